import type { HubMetricsReading } from './hubMetrics';
import type { SpawnLimit } from './hubConfig';
import type { HubMetricsSummary, PodModel, SpawnPressure, SpawnPressureLevel } from './model';

export interface SpawnPressureInput {
  userPods: PodModel[];
  limit: SpawnLimit;
  metrics?: HubMetricsReading | undefined;
  previousMetrics?: HubMetricsReading | undefined;
  scaleUpsTriggered: number;
  nodesJoining: number;
}

/**
 * A spawn is in progress, for the hub's concurrent spawn limit, from the moment KubeSpawner creates the
 * pod until the server answers: on the cluster that is a user pod that is Pending or not Ready yet.
 */
export function isSpawning(pod: PodModel): boolean {
  if (pod.role !== 'user' || pod.status === 'Terminating') return false;
  return pod.phase === 'Pending' || (pod.phase === 'Running' && !pod.ready);
}

/** Pending spawns this many or more (and at least a quarter of the limit) count as rising pressure. */
const risingFloor = 3;

export function spawnPressure(input: SpawnPressureInput): SpawnPressure {
  const pending = input.userPods.filter(isSpawning).length;
  const { limit } = input;
  const hubMetrics = summarizeMetrics(input.metrics, input.previousMetrics);
  const saturated: string[] = [];
  const rising: string[] = [];
  const info: string[] = [];

  // JupyterHub treats a limit of 0 as no limit.
  if (limit.limit > 0 && pending >= limit.limit) {
    saturated.push(`${pending} spawns pending, at the concurrent spawn limit of ${limit.limit}`);
  } else if (pending >= Math.max(risingFloor, Math.ceil((limit.limit || 100) / 4))) {
    rising.push(`${pending} spawns pending (limit ${limit.limit || 'off'})`);
  }
  if (hubMetrics?.throttledRecent) {
    saturated.push(`${hubMetrics.throttledRecent} spawn requests throttled (429) since the previous reading`);
  }
  if (hubMetrics?.failuresRecent) rising.push(`${hubMetrics.failuresRecent} spawn failures since the previous reading`);
  if (pending > 0 && input.scaleUpsTriggered > 0) {
    rising.push(`${input.scaleUpsTriggered} user pods waiting for a scale-up`);
  }
  if (input.nodesJoining > 0) info.push(`${input.nodesJoining} new nodes joining (not Ready yet)`);
  if (hubMetrics && hubMetrics.throttledRecent === null && hubMetrics.throttled > 0) {
    info.push(`${hubMetrics.throttled} spawns throttled since the hub started`);
  }
  const level: SpawnPressureLevel = saturated.length ? 'saturated' : rising.length ? 'rising' : 'none';
  return {
    level,
    pendingSpawns: pending,
    concurrentSpawnLimit: limit.limit,
    limitSource: limit.source,
    limitDetail: limit.detail,
    hubMetrics,
    scaleUpsTriggered: input.scaleUpsTriggered,
    nodesJoining: input.nodesJoining,
    reasons: [...saturated, ...rising, ...info],
  };
}

function summarizeMetrics(
  current: HubMetricsReading | undefined,
  previous: HubMetricsReading | undefined,
): HubMetricsSummary | null {
  if (!current) return null;
  // Counters reset when the hub restarts: a smaller value means a new process, so its value is the growth.
  const growth = (now: number, before: number | undefined) =>
    before === undefined ? null : now >= before ? now - before : now;
  return {
    readAt: current.readAt,
    throttled: current.throttled,
    failures: current.failures,
    tooManyUsers: current.tooManyUsers,
    runningServers: current.runningServers,
    throttledRecent: growth(current.throttled, previous?.throttled),
    failuresRecent: growth(current.failures, previous?.failures),
  };
}
