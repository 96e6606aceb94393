import type * as vscode from 'vscode';
import type { ClustersApi } from '../cluster';
import type { HubDbExplorer } from '../explorer';
import type { IncidentRecorder } from '../incident/incidentRecorder';
import type { SnapshotStore } from './snapshotStore';

/**
 * When the explorer analyses a snapshot, the result is about a known hub (the snapshot's sidecar says
 * which): record it in the incident journal at the snapshot's time, and tell the Clusters view, whose hub
 * row then shows a recent OOM prediction. Local files are about no known hub and are left alone.
 */
export function followAnalyses(deps: {
  explorer: HubDbExplorer;
  store: SnapshotStore;
  recorder: IncidentRecorder;
  clusters: ClustersApi;
}): vscode.Disposable {
  return deps.explorer.onDidAnalyze(async ({ uri, analysis, options }) => {
    const snapshot = (await deps.store.list()).snapshots.find((s) => s.file === uri.fsPath);
    if (!snapshot) return;
    deps.recorder.recordAnalysis(analysis, {
      namespace: snapshot.namespace,
      context: snapshot.context,
      ...(options.jupyterhubVersion ? { jupyterhubVersion: options.jupyterhubVersion } : {}),
      time: snapshot.takenAt,
    });
    deps.clusters.setDbFinding(snapshot.context, snapshot.namespace, {
      status: analysis.verdict.status,
      headline: analysis.verdict.headline,
      takenAt: snapshot.takenAt,
    });
  });
}
