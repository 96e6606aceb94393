import type { V1ContainerStateTerminated, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { toIso, toMillis } from './kubeTime';
import type { PodRole, PodTermination, TerminationCause } from './model';
import { mainContainer } from './podMemory';

/** The hub's own last words when `c.JupyterHub.consecutive_failure_limit` is reached (then it exits 1). */
const consecutiveFailuresLine = /Aborting due to (\d+) consecutive spawn failures/;

export function restartsOf(pod: V1Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
}

interface Candidate {
  container: string;
  terminated: V1ContainerStateTerminated;
}

/** A container's latest termination: the current state if it is terminated now, else the previous run. */
function latestOf(status: V1ContainerStatus): Candidate | null {
  const terminated = status.state?.terminated ?? status.lastState?.terminated;
  return terminated ? { container: status.name, terminated } : null;
}

/**
 * Why the pod's main container (or, failing that, any container) last stopped, and what kind of stop it
 * was. `previousLogTail` is the end of that container's previous log, when the caller could read it: it
 * is what tells a hub that gave up after N consecutive spawn failures (exit 1, reason Error) from any
 * other crash with the same exit code.
 */
export function lastTermination(pod: V1Pod, role: PodRole, previousLogTail?: string): PodTermination | null {
  const statuses = pod.status?.containerStatuses ?? [];
  const main = mainContainer(pod, role)?.name;
  const mainStatus = statuses.find((s) => s.name === main);
  let chosen = mainStatus ? latestOf(mainStatus) : null;
  if (!chosen) {
    const others = statuses.map(latestOf).filter((c): c is Candidate => c !== null);
    others.sort((a, b) => (toMillis(b.terminated.finishedAt) ?? 0) - (toMillis(a.terminated.finishedAt) ?? 0));
    chosen = others[0] ?? null;
  }
  if (!chosen) return null;
  const { terminated } = chosen;
  const exitCode = terminated.exitCode ?? 0;
  const reason = terminated.reason ?? (exitCode === 0 ? 'Completed' : 'Error');
  const result: PodTermination = {
    container: chosen.container,
    reason,
    exitCode,
    finishedAt: toIso(terminated.finishedAt),
    cause: 'error',
  };
  const failures = previousLogTail ? consecutiveFailuresLine.exec(previousLogTail) : null;
  result.cause = causeOf(reason, exitCode, failures !== null);
  if (result.cause === 'spawn-failures') result.consecutiveFailures = Number(failures![1]);
  return result;
}

function causeOf(reason: string, exitCode: number, sawConsecutiveFailures: boolean): TerminationCause {
  // The kubelet sets OOMKilled when the cgroup OOM killer ended the container (exit code 137, SIGKILL);
  // a 137 without it is a kill from elsewhere (liveness probe, eviction), not memory.
  if (reason === 'OOMKilled') return 'oom';
  if (exitCode === 0 && (reason === 'Completed' || reason === '')) return 'completed';
  if (exitCode === 1 && sawConsecutiveFailures) return 'spawn-failures';
  return 'error';
}

/** Whether any container is waiting in CrashLoopBackOff right now. */
export function isCrashLooping(pod: V1Pod): boolean {
  return (pod.status?.containerStatuses ?? []).some((c) => c.state?.waiting?.reason === 'CrashLoopBackOff');
}

/** A one-word status in the spirit of kubectl's STATUS column. */
export function podStatusWord(pod: V1Pod): string {
  if (pod.metadata?.deletionTimestamp) return 'Terminating';
  if (pod.status?.reason) return pod.status.reason;
  const inits = pod.status?.initContainerStatuses ?? [];
  for (const init of inits) {
    const waiting = init.state?.waiting?.reason;
    if (waiting && waiting !== 'PodInitializing') return `Init:${waiting}`;
    const terminated = init.state?.terminated;
    if (terminated && terminated.exitCode !== 0) return `Init:${terminated.reason ?? 'Error'}`;
  }
  for (const c of pod.status?.containerStatuses ?? []) {
    if (c.state?.waiting?.reason) return c.state.waiting.reason;
  }
  for (const c of pod.status?.containerStatuses ?? []) {
    if (c.state?.terminated) return c.state.terminated.reason ?? (c.state.terminated.exitCode ? 'Error' : 'Completed');
  }
  return pod.status?.phase ?? 'Unknown';
}
