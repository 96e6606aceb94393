import * as vscode from 'vscode';
import type { ClusterModel, HubHealth } from '../core/cluster/model';
import type { Observation } from '../core/cluster/observations';
import type { ClusterNode } from './clusterNodes';
import { registerClusterCommands } from './clusterCommands';
import { ClustersTreeProvider } from './clustersTreeProvider';
import { DbFindings, type DbFinding } from './dbFindings';
import { views } from '../vscode/contributes';
import type { Surfaces } from '../vscode/activationShell';
import type { Log } from '../vscode/log';
import type { KubeconfigSource } from './kubeconfigSource';
import { LiveContexts } from './liveContexts';
import { EventDocumentProvider, eventDocumentScheme } from './eventDocuments';
import { PodDocumentProvider, podDocumentScheme } from './podDocuments';
import { RowDecorations } from './rowDecorations';
import { hubPodOf } from './rowText';

export type { ClusterNode } from './clusterNodes';
export type { DbFinding } from './dbFindings';
export type { Observation } from '../core/cluster/observations';

/** A hub as other features need it (Analyze Hub DB, incidents): where it is and what it runs. */
export interface HubSummary {
  context: string;
  namespace: string;
  release: string;
  jupyterhubVersion: string | null;
  health: HubHealth;
  /** The hub pod (the Ready one during a rollout), or null when there is none. */
  hubPod: string | null;
  /** The hub container's memory limit in bytes, null when it has none. */
  memoryLimitBytes: number | null;
  memoryUsedBytes: number | null;
}

/** What the Clusters feature gives the rest of the extension (and the in-host tests). */
export interface ClustersApi extends vscode.Disposable {
  /** The tree's real rows, as VS Code gets them. */
  getChildren(node?: ClusterNode): Promise<ClusterNode[]>;
  getTreeItem(node: ClusterNode): vscode.TreeItem;
  /** Re-reads the kubeconfig and restarts every watch. */
  refresh(): void;
  /** The models of the contexts being watched (expanded at least once). */
  model(): ClusterModel;
  hubs(): HubSummary[];
  /** A watched context's model changed: its name. */
  readonly onDidChangeModel: vscode.Event<string>;
  /** Everything the watchers see happen (OOM kills, pending pods, events…), for the incident journal. */
  readonly onObservation: vscode.Event<Observation>;
  /** What the latest hub DB analysis predicts for a hub: a recent OOM prediction badges its row. */
  setDbFinding(context: string, namespace: string, finding: DbFinding): void;
  /** Adds a row per opened context saying whether history is available and from where. */
  showHistory(rows: HistoryRows): void;
}

/** Where each context's history comes from, as a row (the Prometheus feature provides it). */
export interface HistoryRows {
  row(context: string): { label: string; detail: string; severity: 'info' | 'warning'; tooltip?: string };
  readonly onDidChangeRow: vscode.Event<string>;
}

/** The Clusters view: tree, live watches, pod documents, commands. */
export function registerClusters({
  kubeconfig,
  log,
  timezone,
  surfaces,
}: {
  kubeconfig: KubeconfigSource;
  log: Log;
  /** Where the Clusters view was registered at activation. */
  surfaces: Surfaces;
  /** The zone log tabs give their times in (the report's). */
  timezone?: () => string;
}): ClustersApi {
  const live = new LiveContexts(kubeconfig, log);
  const findings = new DbFindings();
  const tree = new ClustersTreeProvider(kubeconfig, live, findings);
  const documents = new PodDocumentProvider(live, log, timezone);
  const events = new EventDocumentProvider();
  const view = surfaces.treeView(views.clusters, tree);
  const expansion = tree.followExpansion(view);
  live.setVisible(view.visible);
  const disposables = vscode.Disposable.from(
    view,
    expansion,
    view.onDidChangeVisibility((e) => live.setVisible(e.visible)),
    vscode.workspace.registerTextDocumentContentProvider(podDocumentScheme, documents),
    vscode.workspace.registerTextDocumentContentProvider(eventDocumentScheme, events),
    vscode.window.registerFileDecorationProvider(new RowDecorations()),
    registerClusterCommands({ tree, live, documents, events, kubeconfig }),
    documents,
    events,
    tree,
    live,
    findings,
  );
  let historyRows: vscode.Disposable | undefined;
  const hubs = (): HubSummary[] =>
    live.model().contexts.flatMap((context) =>
      context.hubs.map((hub): HubSummary => {
        const pod = hubPodOf(hub);
        return {
          context: context.name,
          namespace: hub.namespace,
          release: hub.release,
          jupyterhubVersion: hub.jupyterhubVersion,
          health: hub.health,
          hubPod: pod?.name ?? null,
          memoryLimitBytes: pod?.memory.limitBytes ?? null,
          memoryUsedBytes: pod?.memory.usedBytes ?? null,
        };
      }),
    );
  return {
    getChildren: (node) => tree.getChildren(node),
    getTreeItem: (node) => tree.getTreeItem(node),
    refresh: () => tree.refresh(),
    model: () => live.model(),
    hubs,
    onDidChangeModel: live.onDidChangeContext,
    onObservation: live.onObservation,
    setDbFinding: (context, namespace, finding) => findings.set(context, namespace, finding),
    showHistory: (rows) => {
      historyRows = tree.setHistoryRow(
        (context) => ({ kind: 'message', id: `${context}:history`, ...rows.row(context) }),
        rows.onDidChangeRow,
      );
    },
    dispose: () => {
      historyRows?.dispose();
      disposables.dispose();
    },
  };
}
