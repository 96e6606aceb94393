/**
 * Collapsing noise, at append time. A class start makes 150 user pods go Pending and 64 FailedScheduling
 * events within a minute; the timeline should read "150 pods Pending", not 150 lines.
 *
 * Why at append time rather than at render time: the incident view shows the collapsed timeline live,
 * replay returns it without another pass, and operator edits can target a burst by id. The file stays
 * append-only and crash-safe: each new member writes a fresh burst line that `supersedes` the previous
 * burst line (replay keeps only the newest), so a crash mid-burst loses nothing already written.
 *
 * A burst is one kind in one hub; it stays open while members keep arriving within `gapMs` of the latest
 * one, up to `maxSpanMs` from its start (a long storm becomes a few lines, which keeps the timeline
 * readable). Hub pod events never collapse: each OOM kill or restart of the hub matters.
 */
import { countOf, isHubPod, type JournalEntry } from './journalEntry';

export interface CollapseRules {
  gapMs: number;
  maxSpanMs: number;
  /** Kinds that collapse; everything else is written as is. */
  kinds: ReadonlySet<string>;
  /** How many pod names a burst keeps as a sample. */
  samplePods: number;
  /** How bursts of some kinds read, instead of the phrases below. */
  phrases?: Record<string, (n: number, latest: string) => string>;
}

export const defaultCollapseRules: CollapseRules = {
  gapMs: 60_000,
  maxSpanMs: 10 * 60_000,
  kinds: new Set([
    'pod-pending',
    'pod-scheduled',
    'pod-oomkilled',
    'pod-restarted',
    'failed-scheduling',
    'scale-up',
    'scale-up-failed',
    'evicted',
    'backoff',
    'node-oom',
    'spawn-throttled',
    'spawn-failed',
  ]),
  samplePods: 20,
};

/** How a burst of each kind reads; `latest` is the newest member's text. */
const burstPhrases: Record<string, (n: number, latest: string) => string> = {
  'pod-pending': (n) => `${n} pods Pending`,
  'pod-scheduled': (n) => `${n} pods scheduled`,
  'pod-oomkilled': (n) => `${n} pods OOMKilled`,
  'pod-restarted': (n) => `${n} pod restarts`,
  'failed-scheduling': (n, latest) => `${n} FailedScheduling events; latest: ${latest}`,
  'scale-up': (n, latest) => `${n} TriggeredScaleUp events; latest: ${latest}`,
  'scale-up-failed': (n, latest) => `${n} NotTriggerScaleUp events; latest: ${latest}`,
  evicted: (n, latest) => `${n} pods evicted; latest: ${latest}`,
  backoff: (n, latest) => `${n} BackOff events; latest: ${latest}`,
  'node-oom': (n, latest) => `${n} node OOM kills; latest: ${latest}`,
  'spawn-throttled': (n) => `${n} spawn requests throttled (HTTP 429)`,
  'spawn-failed': (n) => `${n} spawns failed`,
};

function burstKey(entry: JournalEntry, rules: CollapseRules): string | null {
  if (!rules.kinds.has(entry.kind) || isHubPod(entry)) return null;
  return `${entry.kind}\u0000${entry.hub ?? ''}`;
}

interface OpenBurst {
  /** The line currently standing for the burst (the one the next member supersedes). */
  line: JournalEntry;
  /** Every line id the burst has had: an edit, hide or delete may name any of them. */
  ids: Set<string>;
  startMs: number;
  lastMs: number;
}

/**
 * Decides the line to write for each new entry. Holds no I/O: the journal writes what `next` returns.
 */
export class BurstCollapser {
  private readonly open = new Map<string, OpenBurst>();

  constructor(private readonly rules: CollapseRules = defaultCollapseRules) {}

  /** The line to append for `entry`: the entry itself, or a burst line superseding the open burst. */
  next(entry: JournalEntry, newId: () => string): JournalEntry {
    const key = burstKey(entry, this.rules);
    if (key === null) return entry;
    const t = Date.parse(entry.time);
    const burst = this.open.get(key);
    const joins =
      burst !== undefined &&
      t - burst.lastMs <= this.rules.gapMs &&
      t >= burst.startMs - this.rules.gapMs &&
      Math.max(t, burst.lastMs) - Math.min(t, burst.startMs) <= this.rules.maxSpanMs;
    if (!burst || !joins) {
      this.open.set(key, { line: entry, ids: new Set([entry.id]), startMs: t, lastMs: t });
      return entry;
    }
    const line = mergeIntoBurst(burst.line, entry, newId(), this.rules);
    const ids = new Set([...burst.ids, line.id]);
    this.open.set(key, { line, ids, startMs: Math.min(t, burst.startMs), lastMs: Math.max(t, burst.lastMs) });
    return line;
  }

  /** Resume after a reload: the latest line of each kind and hub may still be an open burst. */
  seed(entries: readonly JournalEntry[]): void {
    for (const entry of entries) {
      const key = burstKey(entry, this.rules);
      if (key === null) continue;
      const startMs = Date.parse(entry.time);
      const lastMs = typeof entry.until === 'string' ? Date.parse(entry.until) : startMs;
      const current = this.open.get(key);
      if (!current || lastMs >= current.lastMs)
        this.open.set(key, { line: entry, ids: new Set([entry.id]), startMs, lastMs });
    }
  }

  /** A burst the operator hid or deleted is closed: later members start a new, visible burst. */
  forget(id: string): void {
    for (const [key, burst] of this.open) if (burst.ids.has(id)) this.open.delete(key);
  }
}

function podsOf(entry: JournalEntry): string[] {
  if (Array.isArray(entry.pods)) return entry.pods.filter((p): p is string => typeof p === 'string');
  return typeof entry.pod === 'string' ? [entry.pod] : [];
}

function mergeIntoBurst(previous: JournalEntry, member: JournalEntry, id: string, rules: CollapseRules): JournalEntry {
  const count = countOf(previous) + countOf(member);
  const startMs = Math.min(Date.parse(previous.time), Date.parse(member.time));
  const previousUntil = typeof previous.until === 'string' ? Date.parse(previous.until) : Date.parse(previous.time);
  const untilMs = Math.max(previousUntil, Date.parse(member.time));
  const pods = [...new Set([...podsOf(previous), ...podsOf(member)])].slice(0, rules.samplePods);
  const phrase =
    rules.phrases?.[member.kind] ?? burstPhrases[member.kind] ?? ((n: number, latest: string) => `${n} × ${latest}`);
  return {
    ...member,
    id,
    time: new Date(startMs).toISOString(),
    until: new Date(untilMs).toISOString(),
    count,
    text: phrase(count, member.text),
    ...(pods.length > 0 ? { pods } : {}),
    latestText: member.text,
    supersedes: previous.id,
  };
}
