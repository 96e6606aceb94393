import * as vscode from 'vscode';
import { ClustersTreeProvider } from './clusters/clustersTreeProvider';
import { KubeconfigSource } from './clusters/kubeconfigSource';
import { CommandIds } from './commands/commandIds';
import { registerNotAvailableYet } from './commands/notAvailableYet';
import { registerIncident } from './incident';

/** Wiring only: every feature lives in its own module. */
export function activate(context: vscode.ExtensionContext) {
  const kubeconfig = new KubeconfigSource();
  const clusters = new ClustersTreeProvider(kubeconfig);
  context.subscriptions.push(
    kubeconfig,
    clusters,
    vscode.window.createTreeView('jupyterhubOps.clusters', { treeDataProvider: clusters, showCollapseAll: true }),
    vscode.commands.registerCommand(CommandIds.refresh, () => clusters.refresh()),
    registerNotAvailableYet(CommandIds.analyzeHubDb, 'Analyze Hub DB'),
    registerNotAvailableYet(CommandIds.openHubDbFile, 'Open Hub DB File'),
  );
  const incident = registerIncident(context, { kubeconfig });
  context.subscriptions.push(incident);
  return { clusters, incident };
}

export function deactivate() {}
