/**
 * The fact a journal entry reports, named the same way whoever saw it: the live cluster watcher (as it
 * happened) or Prometheus (rebuilt afterwards). A hub pod's third OOM kill is
 * `termination/hub-physics/hub-7d9…/hub/3` from either source (the restart count, not a time that each
 * source knows to a different precision), so a backfill never journals what the watcher already did.
 */

export interface FactFields {
  kind: string;
  hub: string | null;
  pod?: unknown;
  container?: unknown;
  restarts?: unknown;
}

/** The fact's key, or null for entries that are counts over time rather than one identifiable fact. */
export function factKey(entry: FactFields): string | null {
  const pod = typeof entry.pod === 'string' ? entry.pod : null;
  if (pod === null || entry.hub === null) return null;
  if (entry.kind === 'pod-oomkilled' || entry.kind === 'pod-restarted') {
    if (typeof entry.restarts !== 'number') return null;
    const container = typeof entry.container === 'string' ? entry.container : '';
    return `termination/${entry.hub}/${pod}/${container}/${entry.restarts}`;
  }
  if (entry.kind === 'pod-pending') return `pending/${entry.hub}/${pod}`;
  return null;
}

/** The fact an entry carries (`fact`, written by the watcher), else the one its fields name. */
export function factOf(entry: FactFields & { fact?: unknown }): string | null {
  return typeof entry.fact === 'string' ? entry.fact : factKey(entry);
}
