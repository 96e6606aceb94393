/**
 * Sizes, counts and durations as operators write and read them: the one place that parses a Kubernetes
 * memory quantity and formats a size, for the core, the CLI, the VS Code side and the webviews alike.
 * Browser-safe: no Node, no VS Code, no imports.
 *
 * One size style everywhere: Kubernetes' binary suffixes, short (`412Mi`, `5.1Gi`), the way a pod's
 * `resources.limits.memory` and `kubectl top` write them, so whatever is shown can be pasted back as a limit.
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
/**
 * Kubernetes' quantity grammar (apimachinery `resource.ParseQuantity`): an optionally signed number
 * (`2`, `1.5`, `.5`, `5.`), then one binary suffix, one decimal suffix (`k` is lower case, `m` is milli)
 * or a decimal exponent (`2e9`, `2E3`); nothing between the number and its suffix.
 */
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/**
 * Bytes of a Kubernetes memory quantity, rounded up to a whole byte as Kubernetes does; null when the
 * text is not a quantity Kubernetes would accept, or is less than one byte. Space around it is ignored (it
 * comes from forms); space inside (`2 Gi`) and suffixes Kubernetes does not know (`2K`, `2GB`) are not
 * quantities: a limit written that way would be rejected by the API server too.
 */
export function parseMemoryQuantity(text: string): number | null {
  const match = QUANTITY.exec(text.trim());
  if (!match) return null;
  const [, number, suffix, exponent] = match;
  const factor = suffix ? (BINARY[suffix] ?? DECIMAL[suffix]!) : exponent !== undefined ? 10 ** Number(exponent) : 1;
  const exact = Number(number) * factor;
  // Kubernetes computes in decimal: a float a few ulps off a whole number (0.1G) is that number.
  const nearest = Math.round(exact);
  const bytes = Math.abs(exact - nearest) <= Math.abs(exact) * 8 * Number.EPSILON ? nearest : Math.ceil(exact);
  // Less than one byte (0.1, 500m) is no memory size, even though Kubernetes would round it up to one.
  return Number.isFinite(bytes) && exact >= 1 ? bytes : null;
}

/**
 * Why `text` is not a memory quantity, in one line for a form or a command line, or null when it is one
 * (then `parseMemoryQuantity` gives its bytes). The same grammar as `parseMemoryQuantity`.
 */
export function memoryQuantityProblem(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed) return 'empty: write a quantity such as 2Gi, 512Mi or 2G';
  if (parseMemoryQuantity(trimmed) !== null) return null;
  const parts = /^([+-]?(?:\d+\.?\d*|\.\d+))\s*(.*)$/.exec(trimmed);
  if (!parts) return `"${trimmed.slice(0, 40)}" does not start with a number: write e.g. 2Gi, 512Mi or 2G`;
  const [, number, suffix] = parts as unknown as [string, string, string];
  if (/\s/.test(trimmed.slice(number.length)) && QUANTITY.test(number + suffix))
    return 'no space between the number and its suffix: write e.g. 2Gi';
  if (suffix && !QUANTITY.test(`1${suffix}`)) {
    const hint = /^([kmgtpe])i?b?$/i.exec(suffix);
    const letter = hint?.[1]?.toUpperCase();
    const binary = letter && letter !== 'M' ? `${letter}i` : letter === 'M' ? 'Mi' : undefined;
    const decimal = letter === 'K' ? 'k' : letter;
    return binary
      ? `"${suffix}" is not a Kubernetes suffix: write ${binary} (powers of 1024) or ${decimal} (powers of 1000)`
      : `"${suffix.slice(0, 20)}" is not a Kubernetes suffix (Ki, Mi, Gi, Ti; k, M, G, T)`;
  }
  if (Number(number) < 0) return 'a memory limit cannot be negative';
  return 'less than one byte: a memory limit is at least 1 byte (e.g. 512Mi)';
}

/**
 * Bytes as the exact quantity to write back into a form or a manifest: the largest binary suffix that
 * divides it (2147483648 → 2Gi, 1610612736 → 1536Mi) or the largest decimal one (2000000000 → 2G),
 * whichever is shorter, else plain bytes. `parseMemoryQuantity` reads it back to the same number. For display use `formatBytes`.
 */
export function formatMemoryQuantity(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes <= 0) return String(bytes);
  const exact = (units: Record<string, number>) => {
    const fit = Object.entries(units)
      .filter(([, size]) => size >= 1 && bytes % size === 0)
      .sort((a, b) => b[1] - a[1])[0];
    return fit ? `${bytes / fit[1]}${fit[0]}` : String(bytes);
  };
  // The shorter of the two (2000000000 is 2G, not 1953125Ki); binary when they tie.
  const binary = exact(BINARY);
  const decimal = exact(DECIMAL);
  return decimal.length < binary.length ? decimal : binary;
}

/** Bytes in Kubernetes' binary units, short: 412Mi, 5.1Gi, 900Ki, 12B (three significant figures at most). */
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

/** Bytes as whole MiB (chart values; the chart names its unit). */
export function toMiB(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}

/**
 * A count with thousands separators, as en-US writes it: 1,050,051. Written out rather than
 * `toLocaleString('en-US')`, whose first call loads ICU's number formatting (tens of milliseconds, a large
 * part of a short CLI run); anything but a safe integer still goes through it.
 */
export function formatCount(n: number): string {
  // eslint-disable-next-line no-restricted-syntax -- the one place: fractions and huge numbers.
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = '';
  for (let end = digits.length; end > 0; end -= 3)
    out = digits.slice(Math.max(0, end - 3), end) + (out ? `,${out}` : '');
  return n < 0 ? `-${out}` : out;
}

/** "once", "twice", "4 times". */
export function formatTimes(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${formatCount(n)} times`;
}

/** "1 pod" / "3 pods". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A predicted or measured run time: 0.4 s, 55 s, 3 min 12 s. */
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

/** An elapsed time in milliseconds (a query's): 12 ms under a second, else as formatSeconds. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(Math.max(0, ms))} ms` : formatSeconds(ms / 1000);
}

/** How long something lasted, for reports and the Incident view: 45 s, 12 min, 1 h 20 min, 2 d 3 h. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** An age as kubectl prints it, for cluster rows: 45s, 3m12s, 2h5m, 3d4h. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
}
