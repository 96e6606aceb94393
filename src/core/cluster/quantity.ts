// client-node's parser lives in dist/util.js and is not re-exported from the package root.
import { quantityToScalar } from '@kubernetes/client-node/dist/util.js';

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/**
 * A Kubernetes quantity (memory) in bytes, or null when it is missing or not a quantity. Uses
 * client-node's `quantityToScalar`, which returns a bigint for suffixed values and throws on fractional
 * ones such as `1.5Gi` (valid in a manifest, though the API server usually canonicalises them): those
 * fall back to a float multiply.
 */
export function quantityToBytes(quantity: string | undefined | null): number | null {
  if (typeof quantity !== 'string' || !quantity.trim()) return null;
  const text = quantity.trim();
  try {
    const scalar = quantityToScalar(text);
    const bytes = typeof scalar === 'bigint' ? Number(scalar) : scalar;
    return Number.isFinite(bytes) && bytes >= 0 ? Math.round(bytes) : null;
  } catch {
    const match = /^(\d+(?:\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)$/.exec(text);
    if (!match) return null;
    const factor = binary[match[2]!] ?? decimal[match[2]!]!;
    return Math.round(Number(match[1]) * factor);
  }
}

/** Bytes in kubectl's binary units, short: 412Mi, 1Gi, 1.5Gi, 900Ki, 12B. */
export function formatBytes(bytes: number): string {
  const units: [string, number][] = [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ];
  for (const [unit, size] of units) {
    if (bytes >= size) {
      const value = bytes / size;
      const text = value >= 100 || Number.isInteger(value) ? Math.round(value).toString() : value.toFixed(1);
      return `${text.replace(/\.0$/, '')}${unit}`;
    }
  }
  return `${Math.round(bytes)}B`;
}

/** "412Mi / 1Gi · 40%", "412Mi (no limit)", "no metrics / 1Gi". */
export function formatMemory(memory: { usedBytes: number | null; limitBytes: number | null }): string {
  const { usedBytes, limitBytes } = memory;
  if (usedBytes === null) return limitBytes === null ? 'no metrics' : `no metrics / ${formatBytes(limitBytes)}`;
  if (limitBytes === null || limitBytes === 0) return `${formatBytes(usedBytes)} (no limit)`;
  return `${formatBytes(usedBytes)} / ${formatBytes(limitBytes)} · ${Math.round((usedBytes / limitBytes) * 100)}%`;
}
