import * as vscode from 'vscode';
import { formatAgo } from '../core/cluster/kubeTime';
import type { EventKind } from '../core/cluster/model';
import { commands } from '../vscode/contributes';
import type { EventGroupNode, EventNode } from './clusterNodes';
import { groupObjects } from './eventGroups';
import { leafItem, type RowIcon } from './leafItem';
import { eventDescription, eventLabel, oneLine } from './rowText';
import { Tooltip } from './tooltip';

const kindIcon: Record<EventKind, RowIcon> = {
  'oom-killing': ['error', 'problemsErrorIcon.foreground'],
  'system-oom': ['error', 'problemsErrorIcon.foreground'],
  'failed-scheduling': ['clock', 'problemsWarningIcon.foreground'],
  'triggered-scale-up': ['arrow-up', undefined],
  'not-triggered-scale-up': ['circle-slash', 'problemsWarningIcon.foreground'],
  'back-off': ['debug-restart', 'problemsErrorIcon.foreground'],
  evicted: ['sign-out', 'problemsErrorIcon.foreground'],
  unhealthy: ['pulse', 'problemsWarningIcon.foreground'],
  preempted: ['arrow-swap', undefined],
  'scale-down': ['arrow-down', undefined],
  warning: ['warning', 'problemsWarningIcon.foreground'],
};

/**
 * An event row: `OOMKilling ×4 | 10s ago · node/gke-…: Memory cgroup out of memory: Killed process …`.
 * Clicking it opens the event in a read-only document.
 */
export function eventItem(node: EventNode, id: string, now: number): vscode.TreeItem {
  const { event } = node;
  const item = leafItem(eventLabel(event), id, eventDescription(event, now), kindIcon[event.kind]);
  item.contextValue = `event-${event.kind}`;
  item.command = { command: commands.showEvent, title: 'Show Event Details', arguments: [node] };
  item.tooltip = new Tooltip()
    .title(event.reason, `(${event.type})`)
    .field(
      'about',
      `${event.object.kind} ${event.object.namespace ? `${event.object.namespace}/` : ''}${event.object.name}`,
    )
    .field('node', event.node)
    .field('count', event.count)
    .field('first', event.firstTime)
    .field('last', event.time)
    .text(event.message)
    .build();
  return item;
}

/** How many pods a group's hover names before "and N more". */
const hoverObjects = 20;

/**
 * Near-identical events as one row: `FailedScheduling ×64 pods | newest 10s ago · 0/5 nodes are
 * available: …`. Expanding lists the events; the hover lists the pods; clicking opens them all in a
 * read-only document.
 */
export function eventGroupItem(node: EventGroupNode, id: string, now: number): vscode.TreeItem {
  const newest = node.events[0]!;
  const objects = groupObjects(node.events);
  const what = newest.object.kind === 'Pod' ? 'pod' : newest.object.kind.toLowerCase() || 'object';
  const item = new vscode.TreeItem(
    `${oneLine(newest.reason, 60)} ×${objects.length} ${objects.length === 1 ? what : `${what}s`}`,
    vscode.TreeItemCollapsibleState.Collapsed,
  );
  item.id = id;
  item.description = `newest ${formatAgo(newest.time, now)} · ${oneLine(newest.message, 200)}`;
  const [icon, color] = kindIcon[newest.kind];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  item.contextValue = `event-group-${newest.kind}`;
  item.command = { command: commands.showEvent, title: 'Show Event Details', arguments: [node] };
  const occurrences = node.events.reduce((sum, e) => sum + e.count, 0);
  const oldest = node.events.at(-1)!;
  const shown = objects.slice(0, hoverObjects);
  item.tooltip = new Tooltip()
    .title(newest.reason, `(${newest.type}) ×${node.events.length} events`)
    .field('occurrences', occurrences)
    .field('first', oldest.firstTime ?? oldest.time)
    .field('newest', newest.time)
    .text(newest.message)
    .list(
      `${objects.length} ${what}s, newest first`,
      objects.length > shown.length ? [...shown, `… and ${objects.length - shown.length} more`] : shown,
    )
    .build();
  return item;
}
