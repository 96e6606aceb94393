/** Numbers for people: thousands separators, binary byte units, short durations. */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? '−' : '';
  let value = Math.abs(bytes);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${sign}${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ${units[unit]}`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 120) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  return `${(seconds / 60).toFixed(1)} min`;
}

export const formatMs = (ms: number): string => formatSeconds(ms / 1000);

const SUFFIX: Record<string, number> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/**
 * A Kubernetes memory quantity ("2Gi", "1500M", "2147483648") in bytes, as a pod's
 * `resources.limits.memory` means it (G = 10^9, Gi = 2^30); undefined when it is not one.
 */
export function parseMemoryQuantity(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(Ki|Mi|Gi|Ti|k|K|M|G|T)?\s*$/.exec(text);
  if (!match) return undefined;
  const bytes = Number(match[1]) * SUFFIX[match[2] ?? '']!;
  return Number.isFinite(bytes) && bytes > 0 ? Math.round(bytes) : undefined;
}
