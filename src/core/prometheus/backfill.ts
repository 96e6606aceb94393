/**
 * Putting rebuilt history into an incident journal without saying anything twice. A history entry is left
 * out when the journal already states it:
 *
 * - the same line (history ids are derived from what they state, so a second backfill repeats none);
 * - the same fact (factKey.ts): a termination with the same restart count, a pod that went Pending, as the
 *   live watcher journaled it;
 * - a count over time (throttled spawns, pending pods, failed spawns, hub memory, a burst of terminations)
 *   at a time an entry of the same kind for the same hub already covers: the watcher was watching then.
 */
import { factOf } from '../incident/factKey';
import type { Journal } from '../incident/journal';
import type { JournalEntry } from '../incident/journalEntry';
import type { Result, UserError } from '../result';
import type { PrometheusClient } from './client';
import { defaultLookbackMs, rebuildHistory, type History, type HistoryWindow } from './history';
import type { PrometheusProblem } from './problem';

/** Kinds whose entries are counts over a span, compared by time rather than by fact. */
const countedKinds = new Set([
  'pod-pending',
  'spawn-throttled',
  'spawn-failed',
  'hub-memory',
  'pod-oomkilled',
  'pod-restarted',
]);
/** Slack around a journaled span: the two sources see the same minute a scrape apart. */
const slackMs = 2 * 60_000;

interface Span {
  fromMs: number;
  toMs: number;
}

const spanOf = (e: JournalEntry): Span => {
  const from = Date.parse(e.time);
  const to = typeof e.until === 'string' ? Date.parse(e.until) : from;
  return { fromMs: from, toMs: to };
};

/** The history entries the journal does not state yet, in time order. */
export function notYetJournaled(history: readonly JournalEntry[], journaled: readonly JournalEntry[]): JournalEntry[] {
  const ids = new Set(journaled.map((e) => e.id));
  const facts = new Set<string>();
  const spans = new Map<string, Span[]>();
  for (const e of journaled) {
    const fact = factOf(e);
    if (fact) facts.add(fact);
    // A burst line names a sample of its pods: each one's Pending is a fact too.
    if (e.kind === 'pod-pending' && e.hub !== null && Array.isArray(e.pods))
      for (const pod of e.pods) if (typeof pod === 'string') facts.add(`pending/${e.hub}/${pod}`);
    const burst = typeof e.until === 'string' || (typeof e.count === 'number' && e.count > 1);
    // Terminations are one fact each, unless collapsed into a burst that no longer names them.
    const counted = e.kind === 'pod-oomkilled' || e.kind === 'pod-restarted' ? burst : countedKinds.has(e.kind);
    if (counted) {
      const key = `${e.kind}\u0000${e.hub ?? ''}`;
      spans.set(key, [...(spans.get(key) ?? []), spanOf(e)]);
    }
  }
  return history
    .filter((h) => {
      if (ids.has(h.id)) return false;
      const fact = factOf(h);
      if (fact && facts.has(fact)) return false;
      if (!countedKinds.has(h.kind)) return true;
      const own = spanOf(h);
      return !(spans.get(`${h.kind}\u0000${h.hub ?? ''}`) ?? []).some(
        (s) => own.fromMs <= s.toMs + slackMs && own.toMs >= s.fromMs - slackMs,
      );
    })
    .sort((a, b) => a.time.localeCompare(b.time));
}

export interface BackfillOutcome {
  written: number;
  /** History entries the journal already stated. */
  skipped: number;
}

/**
 * Appends the history the journal lacks, oldest first, through the journal (which collapses bursts as it
 * does for live entries). `journaled` is every entry the journal holds (replayed, hidden ones included).
 */
export function backfillJournal(
  journal: Journal,
  history: readonly JournalEntry[],
  journaled: readonly JournalEntry[],
): Result<BackfillOutcome> {
  const fresh = notYetJournaled(history, journaled);
  for (const entry of fresh) {
    const written = journal.append(entry);
    if (!written.ok) return written;
  }
  return { ok: true, value: { written: fresh.length, skipped: history.length - fresh.length } };
}

export interface IncidentBackfill extends BackfillOutcome {
  history: History;
}

/**
 * "Backfill from Prometheus…": rebuilds the history of the journal's hubs over `window` (default: the 6 h
 * before the incident's start, up to now) and appends what the journal lacks. `journaled` is every entry
 * the journal holds (replayed, hidden ones included).
 */
export async function backfillIncident(
  client: PrometheusClient,
  journal: Journal,
  journaled: readonly JournalEntry[],
  options: { window?: HistoryWindow; signal?: AbortSignal; now?: number } = {},
): Promise<Result<IncidentBackfill, PrometheusProblem | UserError>> {
  const startedMs = Date.parse(journal.incident.startedAt);
  const window = options.window ?? {
    fromMs: startedMs - defaultLookbackMs,
    toMs: Math.max(startedMs, options.now ?? Date.now()),
  };
  const hubs = [...new Set(journal.incident.hubs.map((h) => h.namespace))];
  const rebuilt = await rebuildHistory(client, hubs, window, options.signal ? { signal: options.signal } : {});
  if (!rebuilt.ok) return rebuilt;
  const written = backfillJournal(journal, rebuilt.value.entries, journaled);
  if (!written.ok) return written;
  return { ok: true, value: { ...written.value, history: rebuilt.value } };
}
