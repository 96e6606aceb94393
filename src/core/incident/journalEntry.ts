/**
 * What an incident journal holds. A journal is JSON Lines: an `incident` header, then one entry per line.
 * Entries are open records: the fields below are the ones this code reads, and any other field (or kind)
 * written by another tool is kept as is and rendered generically.
 */

/** A hub is one namespace in one kubeconfig context (one hub per namespace). */
export interface HubRef {
  context: string;
  namespace: string;
}

/** The first line of a journal file. */
export interface IncidentMeta {
  type: 'incident';
  id: string;
  title: string;
  /** ISO 8601 UTC. */
  startedAt: string;
  hubs: HubRef[];
  severity?: string;
}

/** `prometheus`: rebuilt afterwards from the cluster's Prometheus (history from before anyone looked). */
export type EntrySource = 'cluster' | 'analyzer' | 'operator' | 'tool' | 'prometheus';
export const entrySources: readonly EntrySource[] = ['cluster', 'analyzer', 'operator', 'tool', 'prometheus'];

/** Kinds this code understands; other kinds are kept and shown by their `text`. */
export const knownKinds = [
  'pod-oomkilled',
  'pod-restarted',
  'pod-pending',
  'pod-scheduled',
  'node-oom',
  'failed-scheduling',
  'scale-up',
  'scale-up-failed',
  'evicted',
  'backoff',
  'spawn-pressure',
  'spawn-throttled',
  'spawn-failed',
  'node-count',
  'hub-memory',
  'db-snapshot',
  'db-analysis',
  'readiness-check',
  'note',
  'incident-stopped',
  'entry-edited',
  'entry-hidden',
  'entry-deleted',
] as const;
export type KnownKind = (typeof knownKinds)[number];

/** Records that change another entry instead of adding to the timeline (the file stays append-only). */
export const editKinds = ['entry-edited', 'entry-hidden', 'entry-deleted'] as const;
export type EditKind = (typeof editKinds)[number];

/** One journal line after the header. */
export interface JournalEntry {
  id: string;
  /** ISO 8601 UTC. For a collapsed burst: when the burst began. */
  time: string;
  kind: string;
  /** The hub's namespace, or null for cluster-wide observations (nodes) and incident-level notes. */
  hub: string | null;
  text: string;
  source: EntrySource;
  /** How many observations this line stands for (a collapsed burst, or a count the producer measured). */
  count?: number;
  /** For a collapsed burst: the time of its latest member. */
  until?: string;
  /** This line replaces an earlier burst line (append-only collapsing, see journalCollapse.ts). */
  supersedes?: string;
  [field: string]: unknown;
}

/** What a caller hands to `Journal.append`: id, time and source get defaults. */
export interface NewEntry {
  kind: string;
  text: string;
  hub?: string | null;
  source?: EntrySource;
  time?: string | Date;
  id?: string;
  [field: string]: unknown;
}

/** One row of the analyzer's per-version table. */
export interface VersionCost {
  /** JupyterHub version, e.g. "5.3.0". */
  version: string;
  /** Rows the start-up query's main statement returns. */
  rows: number;
  /** Peak memory in bytes: the hub process at the start-up query's peak, as the analyzer compares it with the limit. */
  peakBytes: number;
  /** CPU seconds of the start-up query. */
  seconds: number;
}

/** A user whose servers drive the start-up cost. */
export interface Offender {
  user: string;
  /** Named servers only (the default server, name '', is not one). */
  namedServers: number;
  /** Running servers, the default server included. */
  running?: number;
  /** All the user's servers: the named ones and the default server, when it exists. */
  spawners?: number;
}

/** The analyzer's verdict against the hub's memory limit; `unknown` when no limit was known (z2jh 4.x sets none). */
export type Verdict = 'fits' | 'tight' | 'oom' | 'unknown';

/** A verdict that says the start-up query does not fit comfortably (unknown says nothing either way). */
export const startupProblem = (verdict: Verdict): boolean => verdict === 'tight' || verdict === 'oom';

/** Kind-specific fields this code reads, by kind. Producers may add more. */
export interface KindFields {
  'pod-oomkilled': { pod: string; container?: string; exitCode?: number; restarts?: number; component?: string };
  'pod-restarted': {
    pod: string;
    container?: string;
    restarts?: number;
    exitCode?: number;
    reason?: string;
    component?: string;
  };
  'pod-pending': { pod: string; reason?: string; component?: string };
  'pod-scheduled': { pod: string; node?: string; component?: string };
  'node-oom': { node: string; reason?: string; process?: string };
  'failed-scheduling': { pod?: string; message: string };
  'scale-up': { pod?: string; message: string };
  'scale-up-failed': { pod?: string; message: string };
  evicted: { pod: string; message?: string };
  backoff: { pod: string; container?: string; message?: string; component?: string };
  /** Spawns in progress against the concurrent spawn limit (z2jh `hub.concurrentSpawnLimit`). */
  'spawn-pressure': { pending: number; limit?: number | null };
  /** HTTP 429 answers to spawn requests; `count` is how many. */
  'spawn-throttled': { status?: string };
  /** Spawns that failed (not rejections); `count` is how many. */
  'spawn-failed': { status?: string };
  /** The cluster's nodes changed: how many are Ready now (and were before). */
  'node-count': { ready: number; nodes?: number; previous?: number | null };
  'hub-memory': { bytes: number; limitBytes?: number | null; pod?: string };
  'db-snapshot': { file?: string; bytes?: number; users?: number; spawners?: number; running?: number };
  'db-analysis': {
    verdict: Verdict;
    jupyterhubVersion?: string;
    chartVersion?: string;
    limitBytes?: number | null;
    table?: VersionCost[];
    offenders?: Offender[];
    remediation?: string[];
  };
  /** "Will this hub hold the event?": the readiness check's verdict and headline figures. */
  'readiness-check': {
    verdict: 'ok' | 'warn' | 'fail';
    attendees: number;
    arrivalMinutes: number;
    lastServerMinutes: number | null;
    usersSeeing429: number;
    peakWaitingForNode: number;
    served: number;
  };
  /** `tag` lets the operator file a note under a report section. */
  note: { tag?: NoteTag };
  'incident-stopped': object;
  'entry-edited': { target: string };
  'entry-hidden': { target: string };
  'entry-deleted': { target: string };
}

export type NoteTag = 'resolution' | 'learned' | 'action' | 'cause';

export type EntryOf<K extends KnownKind> = JournalEntry & { kind: K } & KindFields[K];

const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const optional =
  <T>(check: (v: unknown) => v is T) =>
  (v: unknown): boolean =>
    v === undefined || v === null || check(v);

function isVersionCost(v: unknown): v is VersionCost {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return isString(r.version) && isCount(r.rows) && isCount(r.peakBytes) && isCount(r.seconds);
}
function isOffender(v: unknown): v is Offender {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return isString(r.user) && isCount(r.namedServers) && optional(isCount)(r.running) && optional(isCount)(r.spawners);
}
const arrayOf =
  <T>(check: (v: unknown) => v is T) =>
  (v: unknown): v is T[] =>
    Array.isArray(v) && v.every(check);

/**
 * The fields each known kind must have before code relies on them. A line of a known kind whose fields
 * are malformed (another tool's bug, a hand edit) is still shown by its text, never trusted for numbers.
 */
const kindChecks: { [K in KnownKind]: (e: JournalEntry) => boolean } = {
  'pod-oomkilled': (e) => isString(e.pod) && optional(isCount)(e.exitCode) && optional(isCount)(e.restarts),
  'pod-restarted': (e) => isString(e.pod) && optional(isCount)(e.restarts),
  'pod-pending': (e) => isString(e.pod),
  'pod-scheduled': (e) => isString(e.pod),
  'node-oom': (e) => isString(e.node),
  'failed-scheduling': (e) => isString(e.message),
  'scale-up': (e) => isString(e.message),
  'scale-up-failed': (e) => isString(e.message),
  evicted: (e) => isString(e.pod),
  backoff: (e) => isString(e.pod),
  'spawn-pressure': (e) => isCount(e.pending) && optional(isCount)(e.limit),
  'spawn-throttled': () => true,
  'spawn-failed': () => true,
  'node-count': (e) => isCount(e.ready) && optional(isCount)(e.nodes) && optional(isCount)(e.previous),
  'hub-memory': (e) => isCount(e.bytes) && optional(isCount)(e.limitBytes),
  'db-snapshot': () => true,
  'db-analysis': (e) =>
    (e.verdict === 'fits' || e.verdict === 'tight' || e.verdict === 'oom' || e.verdict === 'unknown') &&
    optional(isCount)(e.limitBytes) &&
    optional(arrayOf(isVersionCost))(e.table) &&
    optional(arrayOf(isOffender))(e.offenders) &&
    optional(arrayOf(isString))(e.remediation),
  'readiness-check': (e) =>
    (e.verdict === 'ok' || e.verdict === 'warn' || e.verdict === 'fail') &&
    isCount(e.attendees) &&
    isCount(e.arrivalMinutes) &&
    optional(isCount)(e.lastServerMinutes) &&
    isCount(e.usersSeeing429) &&
    isCount(e.peakWaitingForNode) &&
    isCount(e.served),
  note: (e) =>
    e.tag === undefined || e.tag === 'resolution' || e.tag === 'learned' || e.tag === 'action' || e.tag === 'cause',
  'incident-stopped': () => true,
  'entry-edited': (e) => isString(e.target),
  'entry-hidden': (e) => isString(e.target),
  'entry-deleted': (e) => isString(e.target),
};

/** True when `entry` is of `kind` and carries that kind's fields with the right types. */
export function isKind<K extends KnownKind>(entry: JournalEntry, kind: K): entry is EntryOf<K> {
  return entry.kind === kind && kindChecks[kind](entry);
}

export function isKnownKind(kind: string): kind is KnownKind {
  return (knownKinds as readonly string[]).includes(kind);
}

/** How many observations an entry stands for: its `count` when it has a sane one, else 1. */
export function countOf(entry: JournalEntry): number {
  return isCount(entry.count) && entry.count >= 1 ? Math.round(entry.count) : 1;
}

/**
 * The hub pod is the one whose OOM kills and restarts are the incident: the watcher marks it with
 * `component: 'hub'`; z2jh names it `hub-<replicaset hash>-<pod hash>` when it does not.
 */
export function isHubPod(entry: JournalEntry): boolean {
  if (entry.component === 'hub') return true;
  if (entry.component !== undefined) return false;
  return typeof entry.pod === 'string' && /^hub-[a-z0-9]{5,10}-[a-z0-9]{5}$/.test(entry.pod);
}

/**
 * A kernel OOM kill inside a memory cgroup ("Memory cgroup out of memory: Killed process …", reported by
 * node-problem-detector as a node event) is a container reaching its own limit, the same kill as that
 * pod's OOMKilled: it says nothing about the node running out of memory, unlike "System OOM encountered".
 */
export function isContainerLimitOom(entry: JournalEntry): boolean {
  const said = [entry.message, entry.latestText, entry.text].filter((t): t is string => typeof t === 'string');
  return said.some((t) => /memory cgroup out of memory/i.test(t));
}
