import * as vscode from 'vscode';
import type { ClustersApi, HubSummary } from '../cluster';
import type { ClusterNode } from '../cluster/clusterNodes';
import type { KubeconfigSource } from '../cluster/kubeconfigSource';

/** Where a command should act: a hub row from the tree, or a hub named by context and namespace. */
export type HubArgument = Extract<ClusterNode, { kind: 'hub' }> | { context: string; namespace: string };

const MODEL_WAIT_MS = 20_000;

/**
 * Resolves the hub to act on: the argument when given (tree context menu, other features, tests), else the
 * operator picks a context and then a hub. Hubs come from the Clusters feature's live model; a context
 * nobody has expanded yet is started as if expanded, so discovery lives in one place.
 */
export async function pickHub(
  deps: { clusters: ClustersApi; kubeconfig: KubeconfigSource },
  argument: HubArgument | undefined,
  /** The command asking, for the pickers' titles. */
  asking = 'Analyze Hub DB',
): Promise<HubSummary | undefined> {
  if (argument) {
    const namespace = 'kind' in argument ? argument.hub.namespace : argument.namespace;
    const hubs = await hubsOf(deps, argument.context);
    const hub = hubs.find((h) => h.namespace === namespace);
    if (!hub) throw new Error(`No JupyterHub found in namespace ${namespace} of context ${argument.context}.`);
    return hub;
  }
  const contexts = deps.kubeconfig.get().contexts;
  if (contexts.length === 0)
    throw new Error('No kubeconfig contexts: set KUBECONFIG or the jupyterhubOps.kubeconfig setting.');
  const context =
    contexts.length === 1
      ? contexts[0]!
      : (
          await vscode.window.showQuickPick(
            contexts.map((c) => ({ label: c.name, description: c.current ? 'current' : c.server, context: c })),
            { title: `${asking}: which cluster?`, placeHolder: 'kubeconfig context' },
          )
        )?.context;
  if (!context) return undefined;
  const hubs = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Finding hubs in ${context.name}…` },
    () => hubsOf(deps, context.name),
  );
  if (hubs.length === 0) throw new Error(`No JupyterHub found in context ${context.name}.`);
  const picked = await vscode.window.showQuickPick(
    hubs.map((hub) => ({
      label: hub.namespace,
      description: [hub.jupyterhubVersion ? `JupyterHub ${hub.jupyterhubVersion}` : 'version unknown', hub.health]
        .filter(Boolean)
        .join(' · '),
      detail: hub.hubPod ? `hub pod ${hub.hubPod}` : 'no hub pod',
      hub,
    })),
    { title: `${asking}: which hub in ${context.name}?` },
  );
  return picked?.hub;
}

async function hubsOf(deps: { clusters: ClustersApi; kubeconfig: KubeconfigSource }, contextName: string) {
  const watched = () => deps.clusters.model().contexts.find((c) => c.name === contextName);
  if (!watched()) {
    const info = deps.kubeconfig.get().contexts.find((c) => c.name === contextName);
    if (!info) throw new Error(`No kubeconfig context named ${contextName}.`);
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        listener.dispose();
        reject(new Error(`Context ${contextName} did not answer within ${MODEL_WAIT_MS / 1000} s.`));
      }, MODEL_WAIT_MS);
      const listener = deps.clusters.onDidChangeModel((name) => {
        if (name !== contextName || !watched()) return;
        clearTimeout(timer);
        listener.dispose();
        resolve();
      });
    });
    await deps.clusters.getChildren({ kind: 'context', context: info }); // starts the watch, as expanding does
    await ready;
  }
  const model = watched()!;
  if (model.status === 'error') throw new Error(model.error?.message ?? `Cannot read context ${contextName}.`);
  return deps.clusters.hubs().filter((h) => h.context === contextName);
}
