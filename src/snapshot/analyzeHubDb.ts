import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ClustersApi, HubSummary } from '../cluster';
import type { KubeconfigSource } from '../cluster/kubeconfigSource';
import type { SnapshotInfo } from '../core/snapshot/snapshotFiles';
import { messageOf, type Result, UserError } from '../core/result';
import { formatBytes } from '../shared/format';
import type { HubDbExplorer } from '../explorer';
import type { IncidentRecorder } from '../incident/incidentRecorder';
import { showUserError, type Log } from '../vscode/log';
import { pickHub, type HubArgument } from './pickHub';
import { quickCheckOffThread } from './quickCheckOffThread';
import type { SnapshotStore } from './snapshotStore';

export interface AnalyzeHubDbDeps {
  clusters: ClustersApi;
  kubeconfig: KubeconfigSource;
  store: SnapshotStore;
  recorder: IncidentRecorder;
  extensionPath: string;
  openInExplorer: HubDbExplorer['open'];
  log: Log;
}

/** What the command did, for callers (tests, other features); undefined when the operator cancelled a pick. */
export type AnalyzeOutcome = Result<{ hub: HubSummary; snapshot: SnapshotInfo }, UserError> | undefined;

/**
 * "JupyterHub: Analyze Hub DB": pick a hub (or take it from the tree row), take a consistent read-only
 * snapshot of its SQLite DB over exec with progress and cancel, record it for the incident journal, and open
 * it in the explorer with the analysis for the hub's JupyterHub version and memory limit.
 */
export async function analyzeHubDb(deps: AnalyzeHubDbDeps, argument?: HubArgument): Promise<AnalyzeOutcome> {
  let hub: HubSummary | undefined;
  try {
    hub = await pickHub(deps, argument);
  } catch (error) {
    return fail(deps.log, new UserError(messageOf(error), 'no-hub', { cause: error }));
  }
  if (!hub) return undefined;
  if (!hub.hubPod) {
    return fail(
      deps.log,
      new UserError(
        `Hub ${hub.namespace} has no hub pod right now, so there is no database to copy. Wait for the hub deployment to create one.`,
        'no-hub-pod',
      ),
    );
  }
  const target = { ...hub, hubPod: hub.hubPod };
  deps.log.info(
    `Analyze Hub DB: taking a snapshot of ${hub.namespace}'s hub DB (context ${hub.context}, pod ${hub.hubPod})`,
  );
  // Loaded on first use: it brings @kubernetes/client-node, which activation should not pay for.
  const { snapshotHubDb } = await import('../core/snapshot/snapshotHubDb');
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Snapshot of ${hub.namespace}'s hub DB`,
      cancellable: true,
    },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return snapshotHubDb({
        kubeConfig: deps.kubeconfig.get().kubeConfig,
        context: target.context,
        namespace: target.namespace,
        pod: target.hubPod,
        destFile: deps.store.pathFor(target.context, target.namespace),
        signal: abort.signal,
        wasmPath: join(deps.extensionPath, 'dist', 'sql-wasm.wasm'),
        check: quickCheckOffThread(
          join(deps.extensionPath, 'dist', 'quickCheckWorker.js'),
          join(deps.extensionPath, 'dist', 'sql-wasm.wasm'),
        ),
        onProgress(bytes, rate) {
          // `increment` needs a total the stream does not know: say bytes and rate instead.
          progress.report({ message: `${formatBytes(bytes)} at ${formatBytes(rate)}/s` });
        },
      });
    },
  );
  if (!result.ok) return fail(deps.log, result.error);

  const snapshot = result.value;
  deps.log.info(
    `Analyze Hub DB: snapshot of ${hub.namespace} taken, ${formatBytes(snapshot.bytes)}, quick_check ${snapshot.quickCheck}: ${snapshot.file}`,
  );
  deps.recorder.recordSnapshot({ ...snapshot });
  await deps.openInExplorer(vscode.Uri.file(snapshot.file), {
    analysis: {
      jupyterhubVersion: hub.jupyterhubVersion ?? undefined,
      memoryLimitBytes: hub.memoryLimitBytes ?? undefined,
    },
  });
  return { ok: true, value: { hub, snapshot } };
}

function fail(log: Log, error: UserError): AnalyzeOutcome {
  showUserError(log, error, 'Analyze Hub DB');
  return { ok: false, error };
}
