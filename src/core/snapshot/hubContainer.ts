/**
 * Before exec: is the hub pod there, and is its container running? A crash-looping hub cannot take an
 * exec, and saying why (CrashLoopBackOff, the last exit) beats the API's "container not found".
 */
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { UserError } from '../result';

export interface ContainerWhere {
  context: string;
  namespace: string;
  pod: string;
  container: string;
}

/** undefined when exec can proceed, else the operator's explanation. */
export function containerProblem(pod: V1Pod, where: ContainerWhere): UserError | undefined {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed')
    return new UserError(
      `Pod ${where.pod} in ${where.namespace} has finished (phase ${phase}); exec needs a running pod. Pick the current hub pod and retry.`,
      'pod-not-running',
    );
  const inSpec = pod.spec?.containers.some((c) => c.name === where.container);
  if (!inSpec) {
    const names = (pod.spec?.containers ?? []).map((c) => c.name).join(', ');
    return new UserError(
      `Pod ${where.pod} has no container "${where.container}" (it has: ${names || 'none'}). Is this the hub pod?`,
      'container-not-found',
    );
  }
  const status = pod.status?.containerStatuses?.find((s) => s.name === where.container);
  if (status?.state?.running) return undefined;
  return new UserError(notRunningSentence(where, status), 'container-not-running');
}

function notRunningSentence(where: ContainerWhere, status: V1ContainerStatus | undefined): string {
  const subject = `The ${where.container} container of ${where.pod} (${where.namespace}) is not running`;
  if (!status) return `${subject} yet (it has no container status). Wait for the container to start, then retry.`;
  const waiting = status.state?.waiting?.reason;
  const last = status.lastState?.terminated;
  const lastRun = last
    ? `; its last run ended ${last.reason ?? 'with an error'} (exit ${last.exitCode})${status.restartCount ? ` after ${status.restartCount} restarts` : ''}`
    : '';
  if (waiting === 'CrashLoopBackOff')
    return (
      `${subject}: it is in CrashLoopBackOff${lastRun}, and exec needs a running container. ` +
      'Wait for the container to start (retry while it is up between restarts), or copy jupyterhub.sqlite from the hub-db-dir volume with a helper pod.'
    );
  const state =
    waiting ??
    (status.state?.terminated
      ? `terminated (${status.state.terminated.reason ?? 'exit ' + status.state.terminated.exitCode})`
      : 'waiting');
  return `${subject} (${state}${lastRun}). Wait for the container to start, then retry.`;
}
