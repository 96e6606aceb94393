import type * as vscode from 'vscode';
import type { ClustersApi } from '../cluster';
import type { FileOrigins, HubDbExplorer } from '../explorer';
import type { IncidentRecorder } from '../incident/incidentRecorder';
import type { SnapshotStore } from './snapshotStore';

/**
 * Tells the explorer which files are snapshots of which hub, and the settings that hub ran with when the
 * snapshot was taken (its sidecar says; a sidecar written before settings were noted falls back to the hub
 * as the Clusters view sees it now). Any other file has no origin.
 */
export function snapshotOrigins(store: SnapshotStore, clusters: ClustersApi): FileOrigins {
  return async (uri) => {
    if (uri.scheme !== 'file') return undefined;
    const snapshot = (await store.list()).snapshots.find((s) => s.file === uri.fsPath);
    if (!snapshot) return undefined;
    const live = clusters.hubs().find((h) => h.context === snapshot.context && h.namespace === snapshot.namespace);
    const settings = snapshot.hubSettings ?? {
      jupyterhubVersion: live?.jupyterhubVersion ?? null,
      memoryLimitBytes: live?.memoryLimitBytes ?? null,
    };
    return { context: snapshot.context, namespace: snapshot.namespace, takenAt: snapshot.takenAt, ...settings };
  };
}

/**
 * When the explorer analyses a snapshot at the settings its hub ran with, that analysis is evidence:
 * record it in the incident journal at the snapshot's time (once per snapshot, however often it is run),
 * and tell the Clusters view, whose hub row then shows the prediction. What-ifs (another version or
 * limit) and local files change neither.
 */
export function followAnalyses(deps: {
  explorer: HubDbExplorer;
  store: SnapshotStore;
  recorder: IncidentRecorder;
  clusters: ClustersApi;
}): vscode.Disposable {
  deps.explorer.useOrigins(snapshotOrigins(deps.store, deps.clusters));
  return deps.explorer.onDidAnalyze(({ uri, analysis, standing }) => {
    if (standing.kind !== 'evidence') return;
    const { origin } = standing;
    deps.recorder.recordAnalysis(analysis, {
      namespace: origin.namespace,
      context: origin.context,
      ...(origin.jupyterhubVersion ? { jupyterhubVersion: origin.jupyterhubVersion } : {}),
      time: origin.takenAt,
      snapshot: uri.fsPath,
    });
    deps.clusters.setDbFinding(origin.context, origin.namespace, {
      status: analysis.verdict.status,
      headline: analysis.verdict.headline,
      takenAt: origin.takenAt,
    });
  });
}
