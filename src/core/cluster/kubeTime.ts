/**
 * Kubernetes times arrive two ways: typed list calls give `Date` objects, raw watch events give RFC 3339
 * strings. Everything in the model goes through these helpers so both work.
 */

/** Milliseconds since the epoch (from a Date, an RFC 3339 string or milliseconds), or null. */
export function toMillis(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value === 'string' && value) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

export function toIso(value: unknown): string | null {
  const ms = toMillis(value);
  return ms === null ? null : new Date(ms).toISOString();
}

/** A duration as kubectl prints ages: 45s, 3m12s, 2h5m, 3d4h. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
}

/** "3m12s ago", or "at an unknown time". */
export function formatAgo(iso: string | null, now: number): string {
  const ms = toMillis(iso);
  return ms === null ? 'at an unknown time' : `${formatDuration(now - ms)} ago`;
}
