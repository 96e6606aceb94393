import { formatAge } from '../../shared/format';

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

/** "3m12s ago", or "at an unknown time". */
export function formatAgo(iso: string | null, now: number): string {
  const ms = toMillis(iso);
  return ms === null ? 'at an unknown time' : `${formatAge(now - ms)} ago`;
}
