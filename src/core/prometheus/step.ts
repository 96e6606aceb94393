/**
 * The resolution of a range query. Prometheus refuses a `query_range` of more than 11,000 points per
 * series; we stay under that with room to spare, and round the step to one an operator reads at a glance
 * (1m, 5m, 1h), so a week or a month of history is as cheap to ask for as an afternoon.
 */

/** Prometheus's own limit per series. */
export const prometheusMaxPoints = 11_000;
/** Ours: a margin under it, for the extra point at each end and a window that moves while we ask. */
export const maxPointsPerSeries = 10_000;

const niceSteps = [15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/**
 * The smallest nice step of at least `minSeconds` that keeps the window at most `maxPoints` points.
 * Beyond a day per point, whole days.
 */
export function chooseStep(startMs: number, endMs: number, minSeconds = 60, maxPoints = maxPointsPerSeries): number {
  const span = Math.max(0, endMs - startMs) / 1000;
  const needed = Math.max(minSeconds, span / (maxPoints - 1));
  const nice = niceSteps.find((s) => s >= needed);
  return nice ?? Math.ceil(needed / 86400) * 86400;
}

/** Points a range query returns per series with this step. */
export function pointsFor(startMs: number, endMs: number, stepSeconds: number): number {
  return Math.floor(Math.max(0, endMs - startMs) / 1000 / stepSeconds) + 1;
}

/** "1m", "5m", "2h", "1d": a step as Prometheus writes durations. */
export function formatStep(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** Aligns a time down to the step, so points fall on whole minutes (hours…) like a dashboard's. */
export function alignDown(ms: number, stepSeconds: number): number {
  const step = stepSeconds * 1000;
  return Math.floor(ms / step) * step;
}

/** Milliseconds of a Prometheus duration ("30s", "5m", "1h30m"); NaN when it is not one. */
export function parseDuration(text: string): number {
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(text.trim())) return NaN;
  let ms = 0;
  for (const [, n, unit] of text.trim().matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) {
    const factor = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5, y: 31536e6 }[unit!]!;
    ms += Number(n) * factor;
  }
  return ms;
}
