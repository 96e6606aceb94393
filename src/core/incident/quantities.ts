/** Numbers as an operator reads them in a report: 1,050,051 rows, 5.1 GiB, 1 h 20 min. */

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

const KiB = 1024;
const MiB = KiB * 1024;
const GiB = MiB * 1024;

/** Binary units, as Kubernetes and JupyterHub quantities are: 2147483648 → "2 GiB". */
export function formatBytes(bytes: number): string {
  const trim = (x: number) => x.toFixed(1).replace(/\.0$/, '');
  if (bytes >= GiB) return `${trim(bytes / GiB)} GiB`;
  if (bytes >= MiB) return `${Math.round(bytes / MiB)} MiB`;
  if (bytes >= KiB) return `${Math.round(bytes / KiB)} KiB`;
  return `${Math.round(bytes)} B`;
}

export function toMiB(bytes: number): number {
  return Math.round(bytes / MiB);
}

/** "45 s", "12 min", "1 h 20 min", "2 d 3 h". */
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

/** "once", "twice", "4 times". */
export function formatTimes(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${formatCount(n)} times`;
}

/** "1 pod" / "3 pods". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
