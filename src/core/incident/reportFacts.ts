/**
 * What the journal says happened, as numbers and times per hub: the drafting functions turn these into
 * sentences. Only entries whose fields check out (`isKind`) are counted.
 */
import {
  countOf,
  isContainerLimitOom,
  isHubPod,
  isKind,
  startupProblem,
  type EntryOf,
  type JournalEntry,
  type NoteTag,
} from './journalEntry';
import type { ReplayedIncident } from './journalReplay';

/** A first/last time and how many observations fell between them. */
export interface Span {
  count: number;
  firstMs: number;
  lastMs: number;
}

export interface MemorySample {
  ms: number;
  bytes: number;
  limitBytes: number | null;
}

export interface HubFacts {
  /** The hub's namespace. */
  hub: string;
  context: string | null;
  /** Hub OOM kills journaled, each restart once (the watcher and a Prometheus backfill may both see one). */
  hubOomKills: Span | null;
  /** Hub restarts that were not OOM kills (e.g. "Aborting due to N consecutive spawn failures"). */
  hubOtherRestarts: Span | null;
  /**
   * What the hub pods' restart counts say (each journaled kill or restart carries its pod's count): how
   * many restarts there were in all, and how many of them no entry stands for, because they came before
   * the journal (`before`) or between two looks of the watcher. Null when no entry carried a count.
   */
  hubRestarts: { total: number; unjournaled: number; before: number; lastMs: number } | null;
  userOomKills: Span | null;
  pendingPods: Span | null;
  scheduledPods: Span | null;
  failedScheduling: Span | null;
  scaleUps: Span | null;
  scaleUpFailures: { span: Span; latestMessage: string } | null;
  evictions: Span | null;
  backoffs: Span | null;
  throttled: Span | null;
  /** The highest spawn pressure seen, with the limit at that time. */
  peakPressure: { pending: number; limit: number | null; ms: number } | null;
  memory: MemorySample[];
  /** The newest hub DB analysis. */
  analysis: EntryOf<'db-analysis'> | null;
  snapshot: EntryOf<'db-snapshot'> | null;
  /** From the first scale-up to the first pod scheduled after it: how long new nodes took. */
  nodesArrivedAfterMs: number | null;
}

export interface IncidentFacts {
  startMs: number;
  /** The stop time, else the last entry (still recording, or never stopped). */
  endMs: number;
  ongoing: boolean;
  hubs: HubFacts[];
  nodeOoms: Span | null;
  notes: Record<NoteTag | 'untagged', EntryOf<'note'>[]>;
  /** Entries shown in the timeline (everything visible except memory samples). */
  timeline: JournalEntry[];
}

function addTo(span: Span | null, entry: JournalEntry): Span {
  const first = Date.parse(entry.time);
  const last = typeof entry.until === 'string' ? Date.parse(entry.until) : first;
  const n = countOf(entry);
  if (!span) return { count: n, firstMs: first, lastMs: last };
  return { count: span.count + n, firstMs: Math.min(span.firstMs, first), lastMs: Math.max(span.lastMs, last) };
}

function emptyHub(hub: string, context: string | null): HubFacts {
  return {
    hub,
    context,
    hubOomKills: null,
    hubOtherRestarts: null,
    hubRestarts: null,
    userOomKills: null,
    pendingPods: null,
    scheduledPods: null,
    failedScheduling: null,
    scaleUps: null,
    scaleUpFailures: null,
    evictions: null,
    backoffs: null,
    throttled: null,
    peakPressure: null,
    memory: [],
    analysis: null,
    snapshot: null,
    nodesArrivedAfterMs: null,
  };
}

export function gatherFacts(replayed: ReplayedIncident): IncidentFacts {
  const { incident, entries, stoppedAt } = replayed;
  const hubs = new Map<string, HubFacts>();
  for (const h of incident.hubs) if (!hubs.has(h.namespace)) hubs.set(h.namespace, emptyHub(h.namespace, h.context));
  const hubFor = (name: string) => {
    let h = hubs.get(name);
    if (!h) hubs.set(name, (h = emptyHub(name, null)));
    return h;
  };
  const notes: IncidentFacts['notes'] = { resolution: [], learned: [], action: [], cause: [], untagged: [] };
  let nodeOoms: Span | null = null;
  const scheduledTimes = new Map<HubFacts, number[]>();
  const hubPods = new Map<HubFacts, Map<string, HubPodRestarts>>();
  /** False when this restart of a hub pod was counted already (watcher and backfill both journal it). */
  const firstSight = (h: HubFacts, e: EntryOf<'pod-oomkilled'> | EntryOf<'pod-restarted'>): boolean => {
    if (typeof e.restarts !== 'number' || e.restarts < 1) return true;
    let pods = hubPods.get(h);
    if (!pods) hubPods.set(h, (pods = new Map()));
    const key = `${e.pod}\u0000${e.container ?? ''}`;
    let pod = pods.get(key);
    if (!pod) pods.set(key, (pod = { seen: new Set(), highest: 0, lastMs: Date.parse(e.time) }));
    pod.highest = Math.max(pod.highest, Math.round(e.restarts));
    pod.lastMs = Math.max(pod.lastMs, Date.parse(e.time));
    if (pod.seen.has(Math.round(e.restarts))) return false;
    pod.seen.add(Math.round(e.restarts));
    return true;
  };

  for (const e of entries) {
    if (isKind(e, 'note')) {
      notes[e.tag ?? 'untagged'].push(e);
      continue;
    }
    if (isKind(e, 'node-oom')) {
      // A container at its own limit is not a node out of memory (it shows in the timeline all the same).
      if (!isContainerLimitOom(e)) nodeOoms = addTo(nodeOoms, e);
      continue;
    }
    if (e.hub === null) continue;
    const h = hubFor(e.hub);
    if (isKind(e, 'pod-oomkilled')) {
      if (!isHubPod(e)) h.userOomKills = addTo(h.userOomKills, e);
      else if (firstSight(h, e)) h.hubOomKills = addTo(h.hubOomKills, e);
    } else if (isKind(e, 'pod-restarted')) {
      // An OOM kill also restarts the pod; count only restarts that had another reason.
      if (isHubPod(e) && e.reason !== 'OOMKilled' && e.exitCode !== 137 && firstSight(h, e))
        h.hubOtherRestarts = addTo(h.hubOtherRestarts, e);
    } else if (isKind(e, 'pod-pending')) {
      if (!isHubPod(e)) h.pendingPods = addTo(h.pendingPods, e);
    } else if (isKind(e, 'pod-scheduled')) {
      if (!isHubPod(e)) {
        h.scheduledPods = addTo(h.scheduledPods, e);
        scheduledTimes.set(h, [...(scheduledTimes.get(h) ?? []), Date.parse(e.time)]);
      }
    } else if (isKind(e, 'failed-scheduling')) h.failedScheduling = addTo(h.failedScheduling, e);
    else if (isKind(e, 'scale-up')) h.scaleUps = addTo(h.scaleUps, e);
    else if (isKind(e, 'scale-up-failed'))
      h.scaleUpFailures = {
        span: addTo(h.scaleUpFailures?.span ?? null, e),
        latestMessage: typeof e.latestText === 'string' ? e.latestText : e.message,
      };
    else if (isKind(e, 'evicted')) h.evictions = addTo(h.evictions, e);
    else if (isKind(e, 'backoff')) h.backoffs = addTo(h.backoffs, e);
    else if (isKind(e, 'spawn-throttled')) h.throttled = addTo(h.throttled, e);
    else if (isKind(e, 'spawn-pressure')) {
      if (!h.peakPressure || e.pending > h.peakPressure.pending)
        h.peakPressure = { pending: e.pending, limit: e.limit ?? null, ms: Date.parse(e.time) };
    } else if (isKind(e, 'hub-memory'))
      h.memory.push({ ms: Date.parse(e.time), bytes: e.bytes, limitBytes: e.limitBytes ?? null });
    else if (isKind(e, 'db-analysis')) h.analysis = e;
    else if (isKind(e, 'db-snapshot')) h.snapshot = e;
  }

  for (const [h, pods] of hubPods) h.hubRestarts = restartAccount([...pods.values()]);
  for (const h of hubs.values()) {
    if (h.scaleUps) {
      const after = (scheduledTimes.get(h) ?? []).filter((t) => t >= h.scaleUps!.firstMs).sort((a, b) => a - b)[0];
      h.nodesArrivedAfterMs = after !== undefined ? after - h.scaleUps.firstMs : null;
    }
  }

  const startMs = Date.parse(incident.startedAt);
  const lastEntryMs = Math.max(
    startMs,
    ...entries.map((e) => Date.parse(typeof e.until === 'string' ? e.until : e.time)),
  );
  // An incident never stopped (still recording, or the editor closed) ends, for the report, at its last entry.
  const endMs = stoppedAt !== null ? Date.parse(stoppedAt) : lastEntryMs;
  return {
    startMs,
    endMs,
    ongoing: stoppedAt === null,
    hubs: [...hubs.values()],
    nodeOoms,
    notes,
    timeline: entries.filter((e) => e.kind !== 'hub-memory'),
  };
}

interface HubPodRestarts {
  /** The restart counts journaled (restart n is the n-th time the container was started again). */
  seen: Set<number>;
  highest: number;
  lastMs: number;
}

/**
 * Restarts in all (each pod's highest count, added up over the hub's pods: a Helm upgrade makes a new
 * pod counting from 0) against those an entry stands for.
 */
function restartAccount(pods: HubPodRestarts[]): HubFacts['hubRestarts'] {
  let total = 0;
  let unjournaled = 0;
  let before = 0;
  for (const pod of pods) {
    total += pod.highest;
    unjournaled += pod.highest - pod.seen.size;
    before += Math.min(...pod.seen) - 1;
  }
  return { total, unjournaled, before, lastMs: Math.max(...pods.map((p) => p.lastMs)) };
}

/** Whether a hub had anything worth a sentence. */
export function hubHadSymptoms(h: HubFacts): boolean {
  return Boolean(
    h.hubOomKills ||
    h.hubOtherRestarts ||
    h.userOomKills ||
    h.pendingPods ||
    h.failedScheduling ||
    h.scaleUpFailures ||
    h.evictions ||
    h.throttled ||
    (h.analysis && startupProblem(h.analysis.verdict)),
  );
}
