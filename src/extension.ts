import * as vscode from 'vscode';
import { registerClusters } from './cluster';
import { KubeconfigSource } from './cluster/kubeconfigSource';
import { registerHubDbExplorer } from './explorer';
import { registerIncident } from './incident';
import { createExtensionLog } from './logChannel';
import { registerSnapshots } from './snapshot';

/** Wiring only: every feature lives in its own module. */
export function activate(context: vscode.ExtensionContext) {
  const log = createExtensionLog();
  const kubeconfig = new KubeconfigSource();
  const clusters = registerClusters(kubeconfig);
  const incident = registerIncident(context, {
    kubeconfig,
    log: log.warn,
    knownNamespaces: (name) => clusters.hubs().flatMap((h) => (h.context === name ? [h.namespace] : [])),
  });
  const explorer = registerHubDbExplorer(context, { log: log.warn });
  context.subscriptions.push(
    log,
    kubeconfig,
    clusters,
    incident,
    explorer,
    // What the cluster watchers see happen goes into the active incident's journal as it happens.
    clusters.onObservation((observation) => incident.recorder.recordObservation(observation)),
    registerSnapshots(context, { clusters, kubeconfig, recorder: incident.recorder, explorer }),
  );
  return { clusters, incident };
}

export function deactivate() {}
