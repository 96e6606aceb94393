/**
 * What a hub's past says about how long things take, for the readiness check, read from Prometheus:
 *
 * - a spawn: the median of the hub's successful spawns (`jupyterhub_server_spawn_duration_seconds`,
 *   `status="success"` on JupyterHub 5 and 6 alike), computed by Prometheus from the histogram's buckets;
 *   the mean (`_sum / _count`) when the buckets are not there;
 * - a scale-up: each time user pods of the hub waited (phase Pending) and the cluster then gained a node,
 *   the time from the first waiting pod to the node joining (kube-state-metrics); the median of those.
 *
 * Anything that cannot be read is left out (readiness then assumes a stated default) with the reason.
 */
import type { SpawnHistory } from '../readiness/spawnHistory';
import type { PrometheusClient, RangeSeries } from './client';
import { quote, selector } from './promql';
import type { Found } from './source';
import { spawnCount } from './spawnLabels';
import { alignDown, chooseStep } from './step';

export const spawnHistoryLookbackMs = 7 * 86_400_000;
/** Fewer successful spawns than this say little: readiness assumes the default instead. */
export const minSpawns = 3;

export interface SpawnHistoryOptions {
  /** The end of the window (default now). */
  atMs?: number;
  lookbackMs?: number;
  signal?: AbortSignal;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const days = (ms: number) => {
  const d = ms / 86_400_000;
  return Number.isInteger(d) ? `${d} day${d === 1 ? '' : 's'}` : `${Math.round(ms / 3_600_000)} h`;
};

/** Reads the spawn and scale-up history of the hub in `namespace`. Never rejects. */
export async function readSpawnHistory(
  client: PrometheusClient,
  namespace: string,
  options: SpawnHistoryOptions = {},
): Promise<SpawnHistory> {
  const atMs = options.atMs ?? Date.now();
  const lookbackMs = options.lookbackMs ?? spawnHistoryLookbackMs;
  const window = `${Math.round(lookbackMs / 1000)}s`;
  const over = `the last ${days(lookbackMs)}`;
  const n = `namespace=${quote(namespace)}`;
  const success = 'status="success"';
  const why: NonNullable<SpawnHistory['why']> = {};
  const reading: SpawnHistory = { why };

  const [count, quantile, mean] = await Promise.all([
    client.query(`sum(increase(${selector(spawnCount, n, success)}[${window}]))`, atMs, options.signal),
    client.query(
      `histogram_quantile(0.5, sum by (le) (increase(${selector('jupyterhub_server_spawn_duration_seconds_bucket', n, success)}[${window}])))`,
      atMs,
      options.signal,
    ),
    client.query(
      `sum(increase(${selector('jupyterhub_server_spawn_duration_seconds_sum', n, success)}[${window}])) / sum(increase(${selector(spawnCount, n, success)}[${window}]))`,
      atMs,
      options.signal,
    ),
  ]);
  if (!count.ok) why.spawnSeconds = count.error.message;
  else {
    const spawns = Math.round(count.value[0]?.value ?? 0);
    const q = quantile.ok ? quantile.value[0]?.value : undefined;
    const m = mean.ok ? mean.value[0]?.value : undefined;
    if (spawns < minSpawns)
      why.spawnSeconds = `${spawns} successful spawn${spawns === 1 ? '' : 's'} in ${over} in Prometheus (${spawnCount})`;
    else if (q !== undefined && Number.isFinite(q) && q > 0)
      reading.spawnSeconds = {
        seconds: Math.round(q * 10) / 10,
        source: `Prometheus: median of ${spawns} successful spawns in ${over}`,
      };
    else if (m !== undefined && Number.isFinite(m) && m > 0)
      reading.spawnSeconds = {
        seconds: Math.round(m * 10) / 10,
        source: `Prometheus: mean of ${spawns} successful spawns in ${over} (no histogram buckets)`,
      };
    else why.spawnSeconds = `Prometheus has ${spawns} spawns in ${over} but not their durations`;
  }

  const stepSeconds = chooseStep(atMs - lookbackMs, atMs, 60);
  const range = { startMs: alignDown(atMs - lookbackMs, stepSeconds), endMs: atMs, stepSeconds };
  const [pending, nodes] = await Promise.all([
    client.queryRange(
      `sum(${selector('kube_pod_status_phase', n, 'phase="Pending"', 'pod=~"jupyter-.+"')})`,
      range,
      options.signal,
    ),
    client.queryRange('count(kube_node_info)', range, options.signal),
  ]);
  const failed = !pending.ok ? pending.error : !nodes.ok ? nodes.error : null;
  if (failed || !pending.ok || !nodes.ok) {
    why.scaleUpSeconds = failed?.message ?? 'Prometheus did not answer';
    return reading;
  }
  const waits = scaleUpWaits(pending.value, nodes.value);
  if (waits.length === 0) {
    why.scaleUpSeconds =
      nodes.value.length === 0
        ? `no kube-state-metrics series (kube_node_info) in ${over} in Prometheus`
        : `no scale-up in ${over} in Prometheus: no new node while user pods of ${namespace} waited`;
    return reading;
  }
  reading.scaleUpSeconds = {
    seconds: Math.round(median(waits)),
    source: `Prometheus: median of ${waits.length} scale-up${waits.length === 1 ? '' : 's'} in ${over}, from the first waiting user pod to a new node (±${stepSeconds >= 60 ? `${stepSeconds / 60} min` : `${stepSeconds} s`})`,
  };
  return reading;
}

/**
 * Seconds from the start of each waiting spell (pending user pods > 0) to the first rise in the node
 * count during it; spells without a new node are not scale-ups.
 */
export function scaleUpWaits(pending: readonly RangeSeries[], nodes: readonly RangeSeries[]): number[] {
  const waiting = new Map((pending[0]?.points ?? []).map(([ms, v]) => [ms, v]));
  const count = nodes[0]?.points ?? [];
  const waits: number[] = [];
  let spellStart: number | null = null;
  let spellNodes = 0;
  let counted = false;
  for (const [ms, total] of count) {
    const w = waiting.get(ms) ?? 0;
    if (w > 0 && spellStart === null) {
      spellStart = ms;
      spellNodes = total;
      counted = false;
    } else if (spellStart !== null && !counted && total > spellNodes) {
      waits.push((ms - spellStart) / 1000);
      counted = true;
    }
    if (w <= 0) spellStart = null;
  }
  return waits;
}

/** The history read through a source being found (by URL or in the cluster); without one, each figure says why. */
export async function spawnHistoryFrom(finding: Promise<Found>, namespace: string): Promise<SpawnHistory> {
  const found = await finding;
  if (!found.ok) {
    // One short reason: it is said for both figures, in a table cell; the Clusters view has the details.
    const why =
      found.error.code === 'not-found'
        ? 'no Prometheus found in the context'
        : `no Prometheus: ${found.error.message.split(/(?<=\.) /)[0]!.replace(/\.$/, '')}`;
    return { why: { spawnSeconds: why, scaleUpSeconds: why } };
  }
  try {
    return await readSpawnHistory(found.value.client, namespace);
  } finally {
    found.value.dispose();
  }
}
