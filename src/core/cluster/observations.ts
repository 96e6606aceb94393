import { factKey } from '../incident/factKey';
import { oomVictim } from './clusterEvents';
import { hubMemoryHighRatio } from './hubHealth';
import { formatAge, formatBytes } from '../../shared/format';
import { toMillis } from './kubeTime';
import type { EventKind, EventModel, HubModel, PodModel, SpawnPressureLevel } from './model';

/**
 * Something the watcher saw happen, for the incident journal. The shape is the journal's `NewEntry`
 * (kind, time, hub, text, kind-specific fields; see src/core/incident/journalEntry.ts) plus the context
 * and a `key` that names the underlying fact, so a consumer can tell a repeat from a new one.
 */
export interface Observation {
  kind: string;
  /** ISO time the thing happened (not when it was seen, when the cluster says). */
  time: string;
  context: string;
  /** The hub's namespace; null for cluster-wide facts (node events). */
  hub: string | null;
  release?: string;
  text: string;
  key: string;
  /**
   * The fact, named as Prometheus history names it too (src/core/incident/factKey.ts): journaled with the
   * entry, so a backfill from Prometheus skips what the watcher saw.
   */
  fact?: string;
  count?: number;
  pod?: string;
  container?: string;
  component?: string;
  exitCode?: number;
  restarts?: number;
  reason?: string;
  node?: string;
  message?: string;
  process?: string;
  pending?: number;
  limit?: number | null;
  status?: string;
  bytes?: number;
  limitBytes?: number | null;
}

/** The journal kind for each event kind (journal names where it has one). */
const journalKindOfEvent: Record<EventKind, string> = {
  'oom-killing': 'node-oom',
  'system-oom': 'node-oom',
  'failed-scheduling': 'failed-scheduling',
  'triggered-scale-up': 'scale-up',
  'not-triggered-scale-up': 'scale-up-failed',
  'back-off': 'backoff',
  evicted: 'evicted',
  unhealthy: 'unhealthy',
  preempted: 'preempted',
  'scale-down': 'scale-down',
  warning: 'warning',
};

const withFact = (fields: Parameters<typeof factKey>[0]): { fact?: string } => {
  const fact = factKey(fields);
  return fact === null ? {} : { fact };
};

/**
 * At this share of its limit a hub's memory is worth a journal line (the start-up query's peak lands on
 * top); the same share makes the hub degraded in the tree.
 */
export const hubMemoryWarnRatio = hubMemoryHighRatio;
/** On the first look, terminations older than this are history, not news. */
const firstLookWindowMs = 60 * 60_000;

interface PodMemo {
  termination: string | null;
  pending: boolean;
  node: string | null;
  pendingSince: string | null;
}

/** What the observer remembers between models of one context. */
export class ObservationMemory {
  private initialised = false;
  private pods = new Map<string, PodMemo>();
  private eventCounts = new Map<string, number>();
  private nextEventCounts = new Map<string, number>();
  private readonly pressure = new Map<string, SpawnPressureLevel>();
  private readonly throttledReadings = new Set<string>();
  private readonly hubMemoryHigh = new Set<string>();

  /**
   * Compares a new model of the context with what was seen before and says what happened. `events` are
   * all classified events per hub key (the model's lists are capped). `explaining` names pods (by uid)
   * whose new termination is still being explained (their previous log is being read): it is reported
   * on a later call, with its cause, instead of now without it.
   */
  observe(
    context: string,
    hubs: readonly HubModel[],
    allEvents: ReadonlyMap<string, readonly EventModel[]>,
    now: number,
    explaining: ReadonlySet<string> = new Set(),
  ): Observation[] {
    const out: Observation[] = [];
    const nextPods = new Map<string, PodMemo>();
    const firstLook = !this.initialised;
    this.nextEventCounts = new Map();
    for (const hub of hubs) {
      const base = { context, hub: hub.namespace, release: hub.release };
      for (const pod of hub.pods) {
        const termination = this.observePod(pod, base, firstLook, now, out, explaining.has(pod.uid));
        nextPods.set(pod.uid, {
          termination,
          pending: pod.phase === 'Pending',
          node: pod.node,
          pendingSince: pod.pending?.since ?? this.pods.get(pod.uid)?.pendingSince ?? null,
        });
      }
      this.observeHub(hub, base, now, out);
      for (const event of allEvents.get(`${hub.namespace}/${hub.release}`) ?? []) {
        this.observeEvent(event, event.object.kind === 'Node' ? { context, hub: null } : base, now, out);
      }
    }
    // Forget deleted pods and expired events, so memory follows the cluster, not its history.
    this.pods = nextPods;
    this.eventCounts = this.nextEventCounts;
    this.initialised = true;
    return out;
  }

  private observePod(
    pod: PodModel,
    base: { context: string; hub: string; release: string },
    firstLook: boolean,
    now: number,
    out: Observation[],
    explaining: boolean,
  ): string | null {
    const t = pod.lastTermination;
    const podFields = { pod: pod.name, component: pod.component };
    const before = this.pods.get(pod.uid);
    const terminationKey = t ? `${pod.uid}/${t.container}/${t.finishedAt ?? pod.restarts}` : null;
    if (t && terminationKey && t.cause !== 'completed' && terminationKey !== before?.termination) {
      const key = terminationKey;
      const finished = toMillis(t.finishedAt);
      // A pod seen for the first time after the first look is new, and so is its termination.
      const news = !firstLook || (finished !== null && now - finished <= firstLookWindowMs);
      if (news && explaining) {
        // Not seen yet: the next call, once the cause is known, reports it.
        return before?.termination ?? null;
      }
      if (news) {
        const time = t.finishedAt ?? new Date(now).toISOString();
        if (t.cause === 'oom') {
          out.push({
            ...base,
            ...podFields,
            kind: 'pod-oomkilled',
            time,
            key,
            container: t.container,
            exitCode: t.exitCode,
            restarts: pod.restarts,
            text: `${pod.name} OOMKilled (container ${t.container}, exit ${t.exitCode}, ${pod.restarts} restarts)`,
            ...withFact({
              kind: 'pod-oomkilled',
              hub: base.hub,
              pod: pod.name,
              container: t.container,
              restarts: pod.restarts,
            }),
          });
        } else {
          const why = t.cause === 'spawn-failures' ? `after ${t.consecutiveFailures} consecutive spawn failures, ` : '';
          out.push({
            ...base,
            ...podFields,
            kind: 'pod-restarted',
            time,
            key,
            container: t.container,
            exitCode: t.exitCode,
            reason: t.reason,
            restarts: pod.restarts,
            text: `${pod.name} restarted: ${why}${t.reason} (exit ${t.exitCode}, ${pod.restarts} restarts)`,
            ...withFact({
              kind: 'pod-restarted',
              hub: base.hub,
              pod: pod.name,
              container: t.container,
              restarts: pod.restarts,
            }),
          });
        }
      }
    }

    if (pod.phase === 'Pending' && !pod.node && (!before || !before.pending)) {
      out.push({
        ...base,
        ...podFields,
        kind: 'pod-pending',
        time: pod.pending?.since ?? pod.createdAt ?? new Date(now).toISOString(),
        key: `${pod.uid}/pending`,
        ...withFact({ kind: 'pod-pending', hub: base.hub, pod: pod.name }),
        ...(pod.pending ? { reason: pod.pending.reason } : {}),
        text: `${pod.name} pending${pod.pending ? `: ${pod.pending.reason}` : ''}`,
      });
    }
    if (before && before.node === null && pod.node) {
      const since = toMillis(before.pendingSince);
      out.push({
        ...base,
        ...podFields,
        kind: 'pod-scheduled',
        time: new Date(now).toISOString(),
        key: `${pod.uid}/scheduled`,
        node: pod.node,
        text: `${pod.name} scheduled on ${pod.node}${since !== null ? ` after ${formatAge(now - since)}` : ''}`,
      });
    }
    return terminationKey;
  }

  private observeHub(
    hub: HubModel,
    base: { context: string; hub: string; release: string },
    now: number,
    out: Observation[],
  ): void {
    const key = `${hub.namespace}/${hub.release}`;
    const pressure = hub.spawnPressure;
    const rank = { none: 0, rising: 1, saturated: 2 };
    const before = this.pressure.get(key) ?? 'none';
    if (rank[pressure.level] > rank[before]) {
      out.push({
        ...base,
        kind: 'spawn-pressure',
        time: new Date(now).toISOString(),
        key: `${key}/spawn-pressure/${now}`,
        pending: pressure.pendingSpawns,
        limit: pressure.concurrentSpawnLimit,
        status: pressure.level,
        text: `spawn pressure ${pressure.level}: ${pressure.reasons[0] ?? `${pressure.pendingSpawns} spawns pending`}`,
      });
    }
    this.pressure.set(key, pressure.level);

    const metrics = pressure.hubMetrics;
    if (metrics?.throttledRecent && !this.throttledReadings.has(`${key}/${metrics.readAt}`)) {
      this.throttledReadings.add(`${key}/${metrics.readAt}`);
      out.push({
        ...base,
        kind: 'spawn-throttled',
        time: metrics.readAt,
        key: `${key}/throttled/${metrics.readAt}`,
        count: metrics.throttledRecent,
        status: 'throttled',
        text: `${metrics.throttledRecent} spawn requests throttled (429, concurrent spawn limit ${pressure.concurrentSpawnLimit})`,
      });
    }

    const hubPod = hub.pods.find((p) => p.role === 'hub' && p.ready) ?? hub.pods.find((p) => p.role === 'hub');
    const { usedBytes, limitBytes } = hubPod?.memory ?? { usedBytes: null, limitBytes: null };
    const high = usedBytes !== null && limitBytes !== null && usedBytes >= limitBytes * hubMemoryWarnRatio;
    if (high && hubPod && !this.hubMemoryHigh.has(key)) {
      out.push({
        ...base,
        kind: 'hub-memory',
        time: new Date(now).toISOString(),
        key: `${key}/hub-memory/${now}`,
        pod: hubPod.name,
        component: 'hub',
        bytes: usedBytes,
        limitBytes,
        text: `hub memory ${formatBytes(usedBytes)} of ${formatBytes(limitBytes)} limit (${Math.round((usedBytes / limitBytes) * 100)}%)`,
      });
    }
    if (high) this.hubMemoryHigh.add(key);
    else this.hubMemoryHigh.delete(key);
  }

  private observeEvent(
    event: EventModel,
    base: { context: string; hub: string | null; release?: string },
    now: number,
    out: Observation[],
  ): void {
    const seen = this.nextEventCounts.get(event.key) ?? this.eventCounts.get(event.key);
    this.nextEventCounts.set(event.key, Math.max(seen ?? 0, event.count));
    if (seen !== undefined && event.count <= seen) return;
    const observation: Observation = {
      ...base,
      kind: journalKindOfEvent[event.kind],
      time: event.time ?? new Date(now).toISOString(),
      key: `event/${event.key}`,
      count: event.count,
      reason: event.reason,
      message: event.message,
      text: `${event.reason} ${event.object.kind.toLowerCase()}/${event.object.name}: ${event.message}`,
    };
    if (event.pod) observation.pod = event.pod;
    if (event.node) observation.node = event.node;
    if (event.kind === 'oom-killing' || event.kind === 'system-oom') {
      const victim = oomVictim(event.message);
      if (victim) observation.process = victim;
    }
    out.push(observation);
  }
}
