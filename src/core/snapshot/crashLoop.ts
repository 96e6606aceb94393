/**
 * A hub OOMKilled at start-up is in CrashLoopBackOff most of the time, and exec needs a running container.
 * Each run lives long enough for a snapshot (seconds), so: watch the pod, and the moment its container
 * runs, take the snapshot; if the run dies under the copy, wait for the next one.
 */
import { Watch, type V1ContainerStatus, type V1Pod } from '@kubernetes/client-node';
import { ContextClient } from '../cluster/contextClient';
import { err, UserError, type Result } from '../result';
import { snapshotHubDb, type SnapshotRequest } from './snapshotHubDb';
import type { SnapshotInfo } from './snapshotFiles';

/** What the operator sees while waiting: "waiting for hub-… to start, restart 5, back-off 2m40s". */
export interface WaitStatus {
  pod: string;
  restarts: number;
  /** CrashLoopBackOff, ContainerCreating, … or 'terminated' (between the kill and the back-off). */
  reason: string;
  /** Time left before the kubelet starts the container again, when it can be told. */
  backOffLeftMs?: number;
  attempt: number;
  text: string;
}

export interface CrashLoopSnapshotRequest extends SnapshotRequest {
  /** Called whenever the pod changes while waiting for a run. */
  onWait?(status: WaitStatus): void;
  /** Snapshot attempts (a run can die under the copy). Default 5. */
  maxAttempts?: number;
  /** Give up waiting for a run after this long. Default 15 minutes (three maximal back-offs). */
  waitTimeoutMs?: number;
  /** For tests: the clock. */
  now?(): number;
}

const KUBELET_MAX_BACKOFF_MS = 300_000;

/** kubelet's "back-off 2m40s restarting failed container=…" → 160000. */
export function parseBackOff(message: string | undefined): number | undefined {
  const m = /back-off ((?:\d+h)?(?:\d+m)?(?:\d+(?:\.\d+)?s)?)/.exec(message ?? '');
  if (!m || !m[1]) return undefined;
  let ms = 0;
  for (const [, n, unit] of m[1].matchAll(/(\d+(?:\.\d+)?)([hms])/g))
    ms += Number(n) * (unit === 'h' ? 3_600_000 : unit === 'm' ? 60_000 : 1000);
  return ms;
}

const formatDuration = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

/** Where the container is, in the operator's words, when it is not running. */
export function waitStatus(pod: V1Pod, container: string, attempt: number, now: number): WaitStatus {
  const name = pod.metadata?.name ?? '?';
  const status: V1ContainerStatus | undefined = pod.status?.containerStatuses?.find((s) => s.name === container);
  const restarts = status?.restartCount ?? 0;
  const waiting = status?.state?.waiting;
  const reason = waiting?.reason ?? (status?.state?.terminated ? 'terminated' : (pod.status?.phase ?? 'Pending'));
  let backOffLeftMs: number | undefined;
  if (waiting?.reason === 'CrashLoopBackOff') {
    const backOff =
      parseBackOff(waiting.message) ?? Math.min(10_000 * 2 ** Math.max(0, restarts - 1), KUBELET_MAX_BACKOFF_MS);
    const finished = Date.parse(status?.lastState?.terminated?.finishedAt?.toString() ?? '');
    if (Number.isFinite(finished)) backOffLeftMs = Math.max(0, finished + backOff - now);
  }
  const parts = [`waiting for ${name} to start`, `restart ${restarts}`];
  if (backOffLeftMs !== undefined) parts.push(`back-off ${formatDuration(backOffLeftMs)}`);
  else if (reason !== 'CrashLoopBackOff') parts.push(reason);
  if (attempt > 1) parts.push(`attempt ${attempt}`);
  return {
    pod: name,
    restarts,
    reason,
    ...(backOffLeftMs !== undefined ? { backOffLeftMs } : {}),
    attempt,
    text: parts.join(', '),
  };
}

const isRunning = (pod: V1Pod, container: string) =>
  pod.status?.containerStatuses?.some((s) => s.name === container && s.state?.running) ?? false;

/**
 * Resolves with the pod once `container` runs, watching the pod (a fresh watch when one ends), or an error
 * when the pod is gone, the wait times out or is cancelled.
 */
export async function waitForRunningContainer(
  client: ContextClient,
  where: { namespace: string; pod: string; container: string },
  options: { signal?: AbortSignal; timeoutMs: number; onPod?(pod: V1Pod): void },
): Promise<Result<V1Pod, UserError>> {
  const { namespace, pod: name, container } = where;
  const cancelled = err(new UserError('Snapshot cancelled; nothing was saved.', 'cancelled'));
  let current: V1Pod;
  try {
    current = await client.core.readNamespacedPod({ name, namespace });
  } catch (error) {
    if (options.signal?.aborted) return cancelled;
    const problem = client.problem(error, `read pod ${name}`, namespace);
    return err(new UserError(problem.message, problem.code === 'not-found' ? 'pod-not-found' : problem.code));
  }
  if (isRunning(current, container)) return { ok: true, value: current };
  options.onPod?.(current);

  return new Promise((resolve) => {
    let settled = false;
    let watchAbort: AbortController | undefined;
    const finish = (result: Result<V1Pod, UserError>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(poll);
      options.signal?.removeEventListener('abort', onAbort);
      watchAbort?.abort();
      resolve(result);
    };
    const onAbort = () => finish(cancelled);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(
      () =>
        finish(
          err(
            new UserError(
              `The ${container} container of ${name} did not start within ${formatDuration(options.timeoutMs)}. Try again, or copy the database with a helper pod.`,
              'wait-timeout',
            ),
          ),
        ),
      options.timeoutMs,
    );
    const seen = (pod: V1Pod) => {
      if (settled) return;
      if (isRunning(pod, container)) finish({ ok: true, value: pod });
      else options.onPod?.(pod);
    };
    const gone = () =>
      finish(
        err(
          new UserError(
            `Pod ${name} was deleted while waiting for it to start: the hub may have been replaced. Refresh and snapshot the current hub pod.`,
            'pod-not-found',
          ),
        ),
      );
    const startWatch = () => {
      if (settled) return;
      new Watch(client.kubeConfig)
        .watch(
          `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
          { fieldSelector: `metadata.name=${name}` },
          (phase: string, pod: V1Pod) => (phase === 'DELETED' ? gone() : seen(pod)),
          () => setTimeout(startWatch, 500),
        )
        .then(
          (controller) => {
            if (settled) controller.abort();
            else watchAbort = controller;
          },
          () => setTimeout(startWatch, 1000),
        );
    };
    startWatch();
    // A safety net: a watch can be cut without ending (a proxy that buffers); read the pod now and then.
    const poll = setInterval(() => {
      client.core.readNamespacedPod({ name, namespace }).then(seen, () => undefined);
    }, 5000);
  });
}

/** Codes after which the next run of the container may well succeed. */
const RETRYABLE = new Set(['container-not-running', 'interrupted', 'backup-failed', 'pod-not-running']);

/**
 * The snapshot of a hub that may be crash-looping: waits for a running container (reporting the back-off
 * as it goes), snapshots, and when the run dies under the copy, waits for the next run. Cancellable at
 * every step; nothing is left behind on failure (snapshotHubDb's guarantee).
 */
export async function snapshotWhenRunning(request: CrashLoopSnapshotRequest): Promise<Result<SnapshotInfo, UserError>> {
  const context = request.context ?? request.kubeConfig.getCurrentContext();
  const container = request.container ?? 'hub';
  const maxAttempts = request.maxAttempts ?? 5;
  const now = request.now ?? Date.now;
  const opened = ContextClient.open(request.kubeConfig, context);
  if (!opened.ok) return opened;
  const client = opened.value;
  try {
    let last: Result<SnapshotInfo, UserError> | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const ready = await waitForRunningContainer(
        client,
        { namespace: request.namespace, pod: request.pod, container },
        {
          ...(request.signal ? { signal: request.signal } : {}),
          timeoutMs: request.waitTimeoutMs ?? 15 * 60_000,
          onPod: (pod) => request.onWait?.(waitStatus(pod, container, attempt, now())),
        },
      );
      if (!ready.ok) return ready;
      const restartsBefore = ready.value.status?.containerStatuses?.find((s) => s.name === container)?.restartCount;
      last = await snapshotHubDb({ ...request, context });
      if (last.ok || !RETRYABLE.has(last.error.code) || request.signal?.aborted) return last;
      // Retry only when the container really went away under the copy (a restart), not on a steady failure.
      const after = await client.core
        .readNamespacedPod({ name: request.pod, namespace: request.namespace })
        .catch(() => undefined);
      const status = after?.status?.containerStatuses?.find((s) => s.name === container);
      const restarted = !status?.state?.running || status.restartCount !== restartsBefore;
      if (!restarted) return last;
    }
    return last!;
  } finally {
    client.dispose();
  }
}
