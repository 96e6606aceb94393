import * as vscode from 'vscode';
import type { ClustersApi } from '../clusters';
import type { KubeconfigSource } from '../clusters/kubeconfigSource';
import { CommandIds } from '../commands/commandIds';
import type { AnalysisOptions } from '../explorer';
import type { IncidentRecorder } from '../incident/incidentRecorder';
import { analyzeHubDb } from './analyzeHubDb';
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
    openInExplorer(uri: vscode.Uri, options: { analysis?: AnalysisOptions }): Promise<void>;
  },
): vscode.Disposable {
  const store = new SnapshotStore(context);
  const analyzeDeps = { ...deps, store, extensionPath: context.extensionPath };
  return vscode.Disposable.from(
    vscode.commands.registerCommand(CommandIds.analyzeHubDb, (argument?: HubArgument) =>
      analyzeHubDb(analyzeDeps, argument),
    ),
    vscode.commands.registerCommand(CommandIds.openHubDbFile, async (uri?: vscode.Uri) => {
      const file =
        uri ??
        (
          await vscode.window.showOpenDialog({
            title: 'Open a JupyterHub database',
            canSelectMany: false,
            filters: { 'SQLite databases': ['sqlite', 'db', 'sqlite3'], 'All files': ['*'] },
          })
        )?.[0];
      if (file) await deps.openInExplorer(file, {});
    }),
    vscode.commands.registerCommand(CommandIds.manageSnapshots, () => manageSnapshots(store, deps.openInExplorer)),
  );
}
