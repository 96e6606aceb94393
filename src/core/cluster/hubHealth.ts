import { formatBytes } from '../../shared/format';
import { formatAgo, toMillis } from './kubeTime';
import type { HubHealth, PodModel, SpawnPressure } from './model';

/** How recent a hub OOM kill must be to call the hub down even if it is back up. */
export const recentOomMs = 10 * 60_000;
/** How far back a restart still says something about the hub's or proxy's state. */
export const recentRestartMs = 60 * 60_000;
/** More user servers than this waiting to start is worth a look even below the spawn limit. */
export const manyPending = 10;
/** A hub using this share of its memory limit is near it: one busy moment from an OOM kill. */
export const hubMemoryHighRatio = 0.8;

const describeTermination = (pod: PodModel, now: number): string => {
  const t = pod.lastTermination!;
  const why =
    t.cause === 'oom'
      ? `OOMKilled (exit ${t.exitCode})`
      : t.cause === 'spawn-failures'
        ? `after ${t.consecutiveFailures} consecutive spawn failures (exit ${t.exitCode})`
        : `${t.reason} (exit ${t.exitCode})`;
  return `${why} ${formatAgo(t.finishedAt, now)}`;
};

const within = (pod: PodModel, ms: number, now: number): boolean => {
  const finished = toMillis(pod.lastTermination?.finishedAt);
  return finished !== null && now - finished <= ms;
};

/**
 * "hub memory at 92% of its 2Gi limit (1.8Gi)", with the last OOM kill however long ago it was: a hub
 * that was killed for memory hours ago and is close to its limit again is the same risk.
 */
function nearMemoryLimit(hub: PodModel, now: number): string | null {
  const { usedBytes, limitBytes } = hub.memory;
  if (usedBytes === null || !limitBytes || usedBytes < limitBytes * hubMemoryHighRatio) return null;
  const pct = Math.round((usedBytes / limitBytes) * 100);
  const t = hub.lastTermination;
  const oom = t?.cause === 'oom' ? `, last OOMKilled ${formatAgo(t.finishedAt, now)}` : '';
  return `hub memory at ${pct}% of its ${formatBytes(limitBytes)} limit (${formatBytes(usedBytes)})${oom}`;
}

/**
 * ok | degraded | down, with the reasons in the operator's words. Down: users cannot log in or spawn
 * (no Ready hub, crash loop, a fresh OOM kill). Degraded: it works but something is wearing thin.
 */
export function hubHealth(
  pods: PodModel[],
  pressure: SpawnPressure,
  now: number,
): { health: HubHealth; healthReasons: string[] } {
  const down: string[] = [];
  const degraded: string[] = [];
  const hubs = pods.filter((p) => p.role === 'hub' && p.status !== 'Terminating');
  const hub = hubs.find((p) => p.ready) ?? hubs[0];

  if (!hub) {
    down.push('no hub pod');
  } else {
    if (hub.status === 'CrashLoopBackOff') down.push(`hub ${hub.name} is in CrashLoopBackOff`);
    else if (!hub.ready) down.push(`hub ${hub.name} is not Ready (${hub.status})`);
    if (hub.lastTermination && hub.lastTermination.cause !== 'completed') {
      const recentOom = hub.lastTermination.cause === 'oom' && within(hub, recentOomMs, now);
      if (recentOom) down.push(`hub ${describeTermination(hub, now)}`);
      else if (within(hub, recentRestartMs, now)) degraded.push(`hub restarted: ${describeTermination(hub, now)}`);
    }
    const near = nearMemoryLimit(hub, now);
    if (near) degraded.push(near);
  }

  const proxies = pods.filter((p) => p.role === 'proxy' && p.status !== 'Terminating');
  if (proxies.length === 0 && hub) degraded.push('no proxy pod');
  for (const proxy of proxies) {
    if (!proxy.ready) degraded.push(`proxy ${proxy.name} is not Ready (${proxy.status})`);
    if (proxy.lastTermination && proxy.lastTermination.cause !== 'completed' && within(proxy, recentRestartMs, now)) {
      degraded.push(`proxy restarted: ${describeTermination(proxy, now)}`);
    }
  }

  if (pressure.level === 'saturated') degraded.push(`spawn pressure saturated: ${pressure.reasons[0]}`);
  else if (pressure.pendingSpawns >= manyPending)
    degraded.push(`${pressure.pendingSpawns} user servers waiting to start`);

  if (down.length) return { health: 'down', healthReasons: [...down, ...degraded] };
  if (degraded.length) return { health: 'degraded', healthReasons: degraded };
  return { health: 'ok', healthReasons: [] };
}
