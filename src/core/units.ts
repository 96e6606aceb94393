/**
 * Memory sizes and durations as operators write and read them, shared by the cluster model, the hub DB
 * analyzer and the CLI: Kubernetes memory quantities ("2Gi", "1500M", "2147483648", "1.5Gi", "2e9") and
 * bytes back in kubectl's binary units. Pure, with no client-node import, so the SQL worker and the CLI's
 * analyzer stay light.
 */
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Bytes of a Kubernetes memory quantity; null when the text is not one (or not positive). */
export function parseMemoryQuantity(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)|[eE]([+-]?\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  const number = Number(match[1]);
  const factor = match[2] ? (BINARY[match[2]] ?? DECIMAL[match[2]]!) : match[3] ? 10 ** Number(match[3]) : 1;
  const bytes = Math.round(number * factor);
  return Number.isFinite(bytes) && bytes > 0 ? bytes : null;
}

/**
 * A count with thousands separators, as en-US writes it: 1,050,051. Written out rather than
 * `toLocaleString('en-US')`, whose first call loads ICU's number formatting (tens of milliseconds, a large
 * part of a short CLI run).
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = '';
  for (let end = digits.length; end > 0; end -= 3)
    out = digits.slice(Math.max(0, end - 3), end) + (out ? `,${out}` : '');
  return n < 0 ? `-${out}` : out;
}

/** Bytes in binary units, short: 412Mi, 5.1Gi, 900Ki, 12B. */
export function formatBytes(bytes: number): string {
  const units: [string, number][] = [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ];
  const sign = bytes < 0 ? '-' : '';
  const abs = Math.abs(bytes);
  for (const [unit, size] of units)
    if (abs >= size) {
      const value = abs / size;
      const text = value >= 100 ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '');
      return `${sign}${text}${unit}`;
    }
  return `${sign}${Math.round(abs)}B`;
}

/** Seconds for people: 0.4 s, 55 s, 3 min 12 s. */
export function formatSeconds(seconds: number): string {
  if (seconds < 10)
    return `${
      Math.max(0, seconds)
        .toFixed(seconds < 1 ? 2 : 1)
        .replace(/\.?0+$/, '') || '0'
    } s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}
