import * as vscode from 'vscode';
import type { ClustersApi } from '../cluster';
import type { KubeconfigSource } from '../cluster/kubeconfigSource';
import { commands } from '../vscode/contributes';
import type { Log } from '../vscode/log';
import type { HubDbExplorer } from '../explorer';
import type { IncidentRecorder } from '../incident/incidentRecorder';
import { analyzeHubDb, copyHubDbViaHelperPod } from './analyzeHubDb';
import { PlanDocuments, planDocumentScheme } from './planDocuments';
import { followAnalyses } from './followAnalyses';
import type { HubArgument } from './pickHub';
import { manageSnapshots } from './manageSnapshots';
import { SnapshotStore } from './snapshotStore';

/** "Analyze Hub DB", "Open Hub DB File…" and "Hub DB Snapshots…". */
export function registerSnapshots(
  context: vscode.ExtensionContext,
  deps: {
    clusters: ClustersApi;
    kubeconfig: KubeconfigSource;
    recorder: IncidentRecorder;
    explorer: HubDbExplorer;
    log: Log;
  },
): vscode.Disposable {
  const store = new SnapshotStore(context);
  const openInExplorer = deps.explorer.open;
  const plans = new PlanDocuments();
  const analyzeDeps = { ...deps, store, openInExplorer, plans, extensionPath: context.extensionPath };
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(planDocumentScheme, plans),
    followAnalyses({ ...deps, store }),
    vscode.commands.registerCommand(commands.analyzeHubDb, (argument?: HubArgument) =>
      analyzeHubDb(analyzeDeps, argument),
    ),
    vscode.commands.registerCommand(commands.copyHubDbViaHelperPod, (argument?: HubArgument) =>
      copyHubDbViaHelperPod(analyzeDeps, argument),
    ),
    vscode.commands.registerCommand(commands.openHubDbFile, async (uri?: vscode.Uri) => {
      const file =
        uri ??
        (
          await vscode.window.showOpenDialog({
            title: 'Open a JupyterHub database',
            canSelectMany: false,
            filters: { 'SQLite databases': ['sqlite', 'db', 'sqlite3'], 'All files': ['*'] },
          })
        )?.[0];
      if (file) await openInExplorer(file);
    }),
    vscode.commands.registerCommand(commands.manageSnapshots, () => manageSnapshots(store, openInExplorer, deps.log)),
  );
}
