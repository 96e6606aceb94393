// client-node's parser lives in dist/util.js and is not re-exported from the package root.
import { quantityToScalar } from '@kubernetes/client-node/dist/util.js';
import { formatBytes, parseMemoryQuantity } from '../../shared/format';

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
    return parseMemoryQuantity(text);
  }
}

/** "412Mi / 1Gi · 40%", "412Mi (no limit)", "no metrics / 1Gi". */
export function formatMemory(memory: { usedBytes: number | null; limitBytes: number | null }): string {
  const { usedBytes, limitBytes } = memory;
  if (usedBytes === null) return limitBytes === null ? 'no metrics' : `no metrics / ${formatBytes(limitBytes)}`;
  if (limitBytes === null || limitBytes === 0) return `${formatBytes(usedBytes)} (no limit)`;
  return `${formatBytes(usedBytes)} / ${formatBytes(limitBytes)} · ${Math.round((usedBytes / limitBytes) * 100)}%`;
}
