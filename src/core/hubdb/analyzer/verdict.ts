import { TIGHT_FRACTION } from './costModel';
import { formatBytes, formatSeconds } from '../../../shared/format';
import type { StartupEstimate } from './startupModel';

export type VerdictStatus = 'fits' | 'tight' | 'oom' | 'unknown';

export interface Verdict {
  /** fits / tight (peak above 70% of the limit) / oom (peak above the limit) / unknown (no limit known). */
  status: VerdictStatus;
  /** The hub pod's memory limit in bytes; null when unknown. */
  limitBytes: number | null;
  /** The predicted peak of the hub process during start-up. */
  peakBytes: number;
  /** Limit minus peak (negative: over the limit); null without a limit. */
  marginBytes: number | null;
  seconds: number;
  /** The version family the verdict is for, and whether it was given or assumed. */
  family: StartupEstimate['family'];
  jupyterhub: string;
  versionAssumed: boolean;
  /** One sentence, verdict first. */
  headline: string;
}

export function verdictFor(estimate: StartupEstimate, limitBytes: number | null, versionAssumed: boolean): Verdict {
  const peak = estimate.peakBytes;
  const version = versionAssumed
    ? `JupyterHub ${estimate.jupyterhub} (assumed: the slowest this DB allows)`
    : `JupyterHub ${estimate.jupyterhub}`;
  const cost = `${formatBytes(peak)} peak, ${formatSeconds(estimate.seconds)} of start-up query`;
  let status: VerdictStatus;
  let headline: string;
  if (limitBytes === null || limitBytes <= 0) {
    status = 'unknown';
    headline = `No memory limit known: ${version} would need ${cost}. z2jh 4.x sets no hub limit by default, so the hub can take the node's memory until the node itself runs out; pass the limit to get a verdict.`;
    limitBytes = null;
  } else if (peak > limitBytes) {
    status = 'oom';
    headline = `OOM: ${version} would need ${cost}, over the hub's ${formatBytes(limitBytes)} limit by ${formatBytes(peak - limitBytes)}. A restart will be killed (OOMKilled, exit 137) before the hub serves anyone.`;
  } else if (peak > TIGHT_FRACTION * limitBytes) {
    status = 'tight';
    headline = `Tight: ${version} would need ${cost}, ${Math.round((peak / limitBytes) * 100)}% of the hub's ${formatBytes(limitBytes)} limit (${formatBytes(limitBytes - peak)} to spare).`;
  } else {
    status = 'fits';
    headline = `Fits: ${version} would need ${cost}, ${Math.round((peak / limitBytes) * 100)}% of the hub's ${formatBytes(limitBytes)} limit.`;
  }
  return {
    status,
    limitBytes,
    peakBytes: peak,
    marginBytes: limitBytes === null ? null : limitBytes - peak,
    seconds: estimate.seconds,
    family: estimate.family,
    jupyterhub: estimate.jupyterhub,
    versionAssumed,
    headline,
  };
}
