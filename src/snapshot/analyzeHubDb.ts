import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ClustersApi, HubSummary } from '../cluster';
import type { KubeconfigSource } from '../cluster/kubeconfigSource';
import type { HelperPodPlan } from '../core/snapshot/helperPod';
import { writeSidecar, type SnapshotInfo } from '../core/snapshot/snapshotFiles';
import { err, messageOf, ok, type Result, UserError } from '../core/result';
import { formatBytes } from '../shared/format';
import type { HubDbExplorer } from '../explorer';
import type { IncidentRecorder } from '../incident/incidentRecorder';
import { showUserError, type Log } from '../vscode/log';
import { pickHub, type HubArgument } from './pickHub';
import type { PlanDocuments } from './planDocuments';
import { quickCheckOffThread } from './quickCheckOffThread';
import type { SnapshotStore } from './snapshotStore';

export interface AnalyzeHubDbDeps {
  clusters: ClustersApi;
  kubeconfig: KubeconfigSource;
  store: SnapshotStore;
  recorder: IncidentRecorder;
  extensionPath: string;
  openInExplorer: HubDbExplorer['open'];
  /** Where a helper pod's exact spec is shown before it is created. */
  plans: PlanDocuments;
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
  const picked = await pickTarget(deps, argument);
  if (!picked?.ok) return picked && fail(deps.log, picked.error);
  const hub = picked.value;
  deps.log.info(
    `Analyze Hub DB: taking a snapshot of ${hub.namespace}'s hub DB (context ${hub.context}, pod ${hub.hubPod})`,
  );
  // Loaded on first use: it brings @kubernetes/client-node, which activation should not pay for.
  const { snapshotWhenRunning } = await import('../core/snapshot/crashLoop');
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Snapshot of ${hub.namespace}'s hub DB`,
      cancellable: true,
    },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      // A hub OOMKilled at start-up is in CrashLoopBackOff most of the time: wait for its next run and
      // snapshot then, saying where the container is meanwhile.
      return snapshotWhenRunning({
        ...snapshotTarget(deps, hub),
        signal: abort.signal,
        onWait(status) {
          progress.report({ message: status.text });
        },
        onProgress(bytes, rate) {
          // `increment` needs a total the stream does not know: say bytes and rate instead.
          progress.report({ message: `${formatBytes(bytes)} at ${formatBytes(rate)}/s` });
        },
      });
    },
  );
  if (!result.ok) {
    if (!helperPodMayHelp.has(result.error.code)) return fail(deps.log, result.error);
    return offerHelperPod(deps, hub, result.error);
  }
  return opened(deps, hub, result.value);
}

/**
 * "JupyterHub: Copy Hub DB via Helper Pod…": the explicit way round a hub container that never runs long
 * enough. Checks RBAC, shows the exact pod and asks before creating it, copies the claim's database
 * read-only, and deletes the pod whatever happens (cancel and errors included).
 */
export async function copyHubDbViaHelperPod(deps: AnalyzeHubDbDeps, argument?: HubArgument): Promise<AnalyzeOutcome> {
  const picked = await pickTarget(deps, argument);
  if (!picked?.ok) return picked && fail(deps.log, picked.error);
  return viaHelperPod(deps, picked.value);
}

/** The hub to snapshot (picked, or the tree row's) with its hub pod; undefined when the pick was cancelled. */
async function pickTarget(deps: AnalyzeHubDbDeps, argument?: HubArgument): Promise<Result<Target> | undefined> {
  let hub: HubSummary | undefined;
  try {
    hub = await pickHub(deps, argument);
  } catch (error) {
    return err(new UserError(messageOf(error), 'no-hub', { cause: error }));
  }
  if (!hub) return undefined;
  if (!hub.hubPod) return err(noHubPod(hub));
  return ok({ ...hub, hubPod: hub.hubPod });
}

/** Failures after which the hub container is not usable for exec, but its volume still is. */
const helperPodMayHelp = new Set(['wait-timeout', 'container-not-running', 'interrupted', 'exec-unavailable']);
const helperPodAction = 'Copy via Helper Pod…';

async function offerHelperPod(deps: AnalyzeHubDbDeps, target: Target, error: UserError): Promise<AnalyzeOutcome> {
  deps.log.warn(`Analyze Hub DB: ${error.message}`);
  const choice = await vscode.window.showErrorMessage(`Analyze Hub DB: ${error.message}`, helperPodAction);
  if (choice !== helperPodAction) return { ok: false, error };
  return viaHelperPod(deps, target);
}

async function viaHelperPod(deps: AnalyzeHubDbDeps, target: Target): Promise<AnalyzeOutcome> {
  const { snapshotViaHelperPod } = await import('../core/snapshot/helperPod');
  deps.log.info(`Copy via helper pod: ${target.namespace} (context ${target.context}, hub pod ${target.hubPod})`);
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Copy of ${target.namespace}'s hub DB via a helper pod`,
      cancellable: true,
    },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const { pod: _pod, ...request } = snapshotTarget(deps, target);
      return snapshotViaHelperPod({
        ...request,
        hubPod: target.hubPod,
        signal: abort.signal,
        confirm: (plan) => confirmHelperPod(deps.plans, target, plan),
        onStep(text) {
          deps.log.info(`Copy via helper pod: ${text}`);
          progress.report({ message: text });
        },
        onProgress(bytes, rate) {
          progress.report({ message: `${formatBytes(bytes)} at ${formatBytes(rate)}/s` });
        },
      });
    },
  );
  if (!result.ok) return fail(deps.log, result.error);
  deps.log.info(`Copy via helper pod: ${result.value.helperPod} copied the database and was deleted`);
  return opened(deps, target, result.value.info);
}

/** Shows the exact pod (YAML, read-only) and asks, in a modal dialog, before anything is created. */
async function confirmHelperPod(plans: PlanDocuments, target: Target, plan: HelperPodPlan): Promise<boolean> {
  await plans.show(`${plan.pod.metadata?.name ?? 'helper-pod'}.yaml`, plan.yaml);
  const create = 'Create Pod';
  const answer = await vscode.window.showWarningMessage(
    `Create pod ${plan.pod.metadata?.name ?? ''} in namespace ${target.namespace} (context ${target.context})?`,
    {
      modal: true,
      detail:
        `It mounts claim ${plan.claim} read-only on the hub's node, copies ${plan.dbPath}, and is deleted ` +
        `right after (it stops itself after 20 minutes in any case). The exact pod is open in the editor.`,
    },
    create,
  );
  return answer === create;
}

type Target = HubSummary & { hubPod: string };

/** What every snapshot of `target` shares: the cluster, the pod, where the copy goes, its check. */
function snapshotTarget(deps: AnalyzeHubDbDeps, target: Target) {
  return {
    kubeConfig: deps.kubeconfig.get().kubeConfig,
    context: target.context,
    namespace: target.namespace,
    pod: target.hubPod,
    destFile: deps.store.pathFor(target.context, target.namespace),
    wasmPath: join(deps.extensionPath, 'dist', 'sql-wasm.wasm'),
    check: quickCheckOffThread(
      join(deps.extensionPath, 'dist', 'quickCheckWorker.js'),
      join(deps.extensionPath, 'dist', 'sql-wasm.wasm'),
    ),
  };
}

function noHubPod(hub: HubSummary): UserError {
  return new UserError(
    `Hub ${hub.namespace} has no hub pod right now, so there is no database to copy. Wait for the hub deployment to create one.`,
    'no-hub-pod',
  );
}

/**
 * Records the snapshot for the journal, with the hub's version and limit beside it (the analysis at those is
 * the evidence; any other is a what-if), and opens it with that analysis.
 */
async function opened(deps: AnalyzeHubDbDeps, hub: HubSummary, taken: SnapshotInfo): Promise<AnalyzeOutcome> {
  const snapshot: SnapshotInfo = {
    ...taken,
    hubSettings: { jupyterhubVersion: hub.jupyterhubVersion ?? null, memoryLimitBytes: hub.memoryLimitBytes ?? null },
  };
  try {
    await writeSidecar(snapshot);
  } catch (error) {
    // The snapshot stands; without the settings its analyses compare with the hub as it is now.
    deps.log.warn(`Analyze Hub DB: could not note the hub's settings beside the snapshot: ${messageOf(error)}`);
  }
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
