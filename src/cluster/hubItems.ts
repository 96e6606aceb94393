import * as vscode from 'vscode';
import type { HubModel, PodModel } from '../core/cluster/model';
import { formatMemory } from '../core/cluster/quantity';
import type { GroupNode, HubNode } from './clusterNodes';
import type { DbFinding } from './dbFindings';
import { rowUri } from './rowDecorations';
import { eventsDescription, groupTitles, hubDescription, hubLabel, hubPodOf, podGroupDescription } from './rowText';
import { Tooltip } from './tooltip';

const healthIcon: Record<HubModel['health'], [string, string]> = {
  ok: ['pass', 'testing.iconPassed'],
  degraded: ['warning', 'problemsWarningIcon.foreground'],
  down: ['error', 'problemsErrorIcon.foreground'],
};

/**
 * A hub row: `hub-physics | 5.3.0 · down · OOMKilled ×4`. Its contextValue is exactly `hub`, so other
 * features can add menu items with `viewItem == hub`.
 */
export function hubItem(node: HubNode, id: string, now: number, finding?: DbFinding): vscode.TreeItem {
  const { hub } = node;
  const item = new vscode.TreeItem(hubLabel(hub), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = id;
  const predictsOom = finding?.status === 'oom';
  item.description = `${hubDescription(hub, now, predictsOom)}${node.stale ? ' · last seen' : ''}`;
  const [icon, color] = healthIcon[hub.health];
  item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
  item.contextValue = 'hub';
  const hubPod = hubPodOf(hub);
  if (predictsOom) item.resourceUri = rowUri('db-oom', id);
  else if (hubPod?.lastTermination?.cause === 'oom' && hub.health !== 'ok') item.resourceUri = rowUri('oom', id);
  else if (hub.health === 'down') item.resourceUri = rowUri('error', id);
  item.tooltip = hubTooltip(hub, hubPod, node.stale, finding);
  return item;
}

function hubTooltip(
  hub: HubModel,
  hubPod: PodModel | undefined,
  stale: boolean,
  finding: DbFinding | undefined,
): vscode.MarkdownString {
  const pressure = hub.spawnPressure;
  const metrics = pressure.hubMetrics;
  return new Tooltip()
    .title(`${hub.namespace}`, hub.release !== hub.namespace ? `(release ${hub.release})` : '')
    .field('JupyterHub', hub.jupyterhubVersion ?? 'unknown')
    .field('found from', hub.versionDetail)
    .field('chart', hub.chartVersion)
    .field('health', `${hub.health}${stale ? ' (last seen: the context cannot be read now)' : ''}`)
    .field('hub pod', hubPod ? `${hubPod.name} (${hubPod.status})` : 'none')
    .field('hub memory', hubPod ? formatMemory(hubPod.memory) : null)
    .field(
      'spawns pending',
      `${pressure.pendingSpawns} of the concurrent spawn limit ${pressure.concurrentSpawnLimit || 'off'} (${pressure.level})`,
    )
    .field('limit from', pressure.limitDetail)
    .field(
      'hub metrics',
      metrics
        ? `${metrics.throttled} throttled, ${metrics.failures} failed spawns, ${metrics.runningServers ?? '?'} running servers`
        : null,
    )
    .field('hub DB', finding ? `${finding.headline} (snapshot ${finding.takenAt})` : null)
    .list('Health', hub.healthReasons)
    .list('Spawn pressure', pressure.reasons)
    .build();
}

const groupIcon: Record<GroupNode['group'], string> = {
  hub: 'server-process',
  proxy: 'arrow-swap',
  user: 'account',
  placeholder: 'debug-pause',
  other: 'extensions',
  events: 'history',
};

/** The Hub group starts open: it is one row and the one looked at first. */
export function groupItem(node: GroupNode, hub: HubModel, id: string): vscode.TreeItem {
  const pods = hub.pods.filter((p) => p.role === node.group);
  const item = new vscode.TreeItem(
    groupTitles[node.group],
    node.group === 'hub' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
  );
  item.id = id;
  item.description = node.group === 'events' ? eventsDescription(hub) : podGroupDescription(pods);
  item.iconPath = new vscode.ThemeIcon(groupIcon[node.group]);
  item.contextValue = `group-${node.group}`;
  return item;
}
