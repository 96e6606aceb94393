import * as vscode from 'vscode';
import { registerClusters } from './cluster';
import { KubeconfigSource } from './cluster/kubeconfigSource';
import { registerHubDbExplorer } from './explorer';
import { registerIncident } from './incident';
import { reportTimezone } from './incident/reportTimezone';
import { registerPrometheus } from './prometheus';
import { registerReadiness } from './readiness';
import { registerSnapshots } from './snapshot';
import type { Surfaces } from './vscode/activationShell';
import { openLog } from './vscode/log';

/**
 * Wiring only: every feature lives in its own folder, and all of them write to the one log. A bundle of its
 * own (dist/features.js), loaded on first use (see src/extension.ts): the views, the hub DB editor and the
 * report restore were registered at activation and are handed in as `surfaces`. The explorer, the report and the
 * analyzer are bundles of their own again, which the features load when one is first opened or run.
 */
export function activateFeatures(context: vscode.ExtensionContext, surfaces: Surfaces) {
  const log = openLog();
  const kubeconfig = new KubeconfigSource(log);
  const clusters = registerClusters({ kubeconfig, log, timezone: reportTimezone, surfaces });
  const incident = registerIncident(context, {
    surfaces,
    kubeconfig,
    log,
    knownHubs: () => clusters.hubs(),
  });
  const prometheus = registerPrometheus(context, {
    kubeconfig,
    store: incident.store,
    log,
    timezone: reportTimezone,
    hubs: () => clusters.hubs(),
  });
  incident.reports.usePrometheus(prometheus.sources);
  clusters.showHistory(prometheus.sources);
  const explorer = registerHubDbExplorer(context, { log, surfaces });
  const readiness = registerReadiness(context, {
    clusters,
    kubeconfig,
    recorder: incident.recorder,
    log,
    history: prometheus.sources,
  });
  context.subscriptions.push(
    readiness,
    log,
    kubeconfig,
    clusters,
    incident,
    prometheus,
    explorer,
    // What the cluster watchers see happen goes into the active incident's journal as it happens.
    clusters.onObservation((observation) => incident.recorder.recordObservation(observation)),
    registerSnapshots(context, { clusters, kubeconfig, recorder: incident.recorder, explorer, log }),
  );
  log.info(`JupyterHub Ops ${context.extension.packageJSON.version as string} activated.`);
  return { clusters, incident, readiness, prometheus, explorer };
}
