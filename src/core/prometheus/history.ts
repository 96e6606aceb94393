/**
 * Rebuilding what happened to a hub from Prometheus, for any past window: the journal entries (restarts
 * and OOM kills, hub memory crossing 90 % of its limit, throttled and failed spawns, user pods going
 * Pending, Ready nodes) and the series the report charts (hub memory vs limit, spawns by outcome, pending
 * user pods, Ready nodes). Series that are missing (no kube-state-metrics, a hub that is not scraped or
 * never lived long enough to be) are named in `problems`; the rest still comes back. Anything that stops
 * every query (unreachable, forbidden, timeout, cancelled, not Prometheus) is the error.
 */
import type { JournalEntry } from '../incident/journalEntry';
import { BurstCollapser, defaultCollapseRules, type CollapseRules } from '../incident/journalCollapse';
import type { Result } from '../result';
import type { PrometheusClient, Range, RangeSeries } from './client';
import {
  memoryByPod,
  memoryEntries,
  nodeEntries,
  pendingEntries,
  spawnEntries,
  spawnSteps,
  terminationEntries,
  type MemoryPoint,
  type NodePoint,
  type SpawnStep,
} from './historyEntries';
import type { PrometheusProblem } from './problem';
import { quote, selector } from './promql';
import { spawnCount, throttled429Selector } from './spawnLabels';
import { alignDown, chooseStep } from './step';

export interface HistoryWindow {
  fromMs: number;
  toMs: number;
}

/** The default window: the 6 hours before an incident's start. */
export const defaultLookbackMs = 6 * 3600_000;

export interface HistoryOptions {
  signal?: AbortSignal;
  /** The finest step (default 60 s: entries at the minute they happened). */
  minStepSeconds?: number;
  /** Queries in flight at once (default 4). */
  concurrency?: number;
}

export interface HubHistory {
  hub: string;
  /** Working set of the hub container (with the limit at each point), per hub pod. */
  memory: { pod: string; points: MemoryPoint[] }[];
  /** The hub container's memory limit, per hub pod, for as long as the pod existed. */
  limits: { pod: string; points: [ms: number, bytes: number][] }[];
  /** Spawns by outcome per step (steps without any are left out). */
  spawns: SpawnStep[];
  /** User pods Pending, per point. */
  pending: [ms: number, count: number][];
  /** Raw entries, in time order (not collapsed). */
  entries: JournalEntry[];
  /** Series that were not there, in one line each. */
  problems: string[];
}

export interface History {
  /** Where it came from ("Prometheus 2.42.0 at http://…"). */
  source: string;
  fromMs: number;
  toMs: number;
  stepSeconds: number;
  hubs: HubHistory[];
  /** Nodes and Ready nodes across the cluster, per point. */
  nodes: NodePoint[];
  /** Every entry (hubs' and the cluster's node changes), raw, in time order. */
  entries: JournalEntry[];
  problems: string[];
}

/** Bursts of history entries read as counts of what happened, not as HTTP answers. */
export const historyCollapseRules: CollapseRules = {
  ...defaultCollapseRules,
  phrases: {
    'spawn-throttled': (n) => `${n} spawns throttled by the concurrent spawn limit`,
    'pod-pending': (n) => `${n} user pods Pending`,
  },
};

/** Entries as the journal shows them: bursts collapsed into one line each (the last line of each burst). */
export function collapseHistory(entries: readonly JournalEntry[], rules = historyCollapseRules): JournalEntry[] {
  const collapser = new BurstCollapser(rules);
  const lines = new Map<string, JournalEntry>();
  let n = 0;
  for (const entry of [...entries].sort((a, b) => a.time.localeCompare(b.time))) {
    const line = collapser.next(entry, () => `${entry.id}-${++n}`);
    if (typeof line.supersedes === 'string') lines.delete(line.supersedes);
    lines.set(line.id, line);
  }
  return [...lines.values()]
    .map((line) => {
      const { supersedes: _superseded, ...rest } = line;
      void _superseded;
      return rest as JournalEntry;
    })
    .sort((a, b) => a.time.localeCompare(b.time));
}

/** Runs `tasks` with at most `limit` in flight, keeping their order. */
async function limited<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

type Query = { expr: string; what: string };

/**
 * Rebuilds the history of `hubs` (namespaces) over `window`. The step is the finest that keeps every
 * series under Prometheus's point limit, so a month costs what six hours do.
 */
export async function rebuildHistory(
  client: PrometheusClient,
  hubs: readonly string[],
  window: HistoryWindow,
  options: HistoryOptions = {},
): Promise<Result<History, PrometheusProblem>> {
  const stepSeconds = chooseStep(window.fromMs, window.toMs, options.minStepSeconds ?? 60);
  const range: Range = {
    startMs: alignDown(window.fromMs, stepSeconds),
    endMs: window.toMs,
    stepSeconds,
  };
  const perHub = (ns: string): Query[] => {
    const n = `namespace=${quote(ns)}`;
    const userPod = 'pod=~"jupyter-.+"';
    return [
      {
        what: 'restarts',
        expr: `max by (pod, container) (${selector('kube_pod_container_status_restarts_total', n)})`,
      },
      {
        what: 'reasons',
        expr: `max by (pod, container, reason) (${selector('kube_pod_container_status_last_terminated_reason', n)}) == 1`,
      },
      {
        what: 'memory',
        expr: `max by (pod) (${selector('container_memory_working_set_bytes', n, 'container="hub"')})`,
      },
      {
        what: 'limit',
        expr: `max by (pod) (${selector('kube_pod_container_resource_limits', n, 'container="hub"', 'resource="memory"')})`,
      },
      { what: 'spawns', expr: selector(spawnCount, n) },
      { what: '429', expr: throttled429Selector(n) },
      {
        what: 'pending-pods',
        expr: `max by (pod) (${selector('kube_pod_status_phase', n, 'phase="Pending"', userPod)}) == 1`,
      },
      {
        what: 'pending',
        expr: `sum(${selector('kube_pod_status_phase', n, 'phase="Pending"', userPod)})`,
      },
    ];
  };
  const cluster: Query[] = [
    { what: 'nodes', expr: 'count(kube_node_info)' },
    { what: 'ready', expr: 'sum(kube_node_status_condition{condition="Ready", status="true"})' },
  ];
  const queries = [
    ...hubs.flatMap((ns) => perHub(ns).map((q) => ({ ...q, ns }))),
    ...cluster.map((q) => ({ ...q, ns: '' })),
  ];
  let fatal: PrometheusProblem | null = null;
  const answers = await limited(
    queries.map((q) => async () => {
      if (fatal) return [] as RangeSeries[];
      const answer = await client.queryRange(q.expr, range, options.signal);
      if (answer.ok) return answer.value;
      fatal ??= answer.error;
      return [] as RangeSeries[];
    }),
    options.concurrency ?? 4,
  );
  if (fatal) return { ok: false, error: fatal };
  const answer = (ns: string, what: string) => answers[queries.findIndex((q) => q.ns === ns && q.what === what)]!;

  const nodesTotal = answer('', 'nodes')[0]?.points ?? [];
  const readySeries = answer('', 'ready')[0];
  const nodes: NodePoint[] = nodesTotal.map(([ms, total]) => ({
    ms,
    nodes: total,
    ready: readySeries?.points.find((p) => p[0] === ms)?.[1] ?? 0,
  }));
  const problems: string[] = [];
  if (nodesTotal.length === 0)
    problems.push(
      `No kube-state-metrics series in the window (kube_node_info): restarts, OOM kills, memory limits, pending pods and nodes cannot be rebuilt.`,
    );
  const hubHistories: HubHistory[] = hubs.map((ns) => {
    const ctx = { hub: ns, stepSeconds };
    const memory = memoryByPod(answer(ns, 'memory'), answer(ns, 'limit'));
    const spawns = spawnSteps(stepSeconds, answer(ns, 'spawns'), answer(ns, '429'));
    const entries = [
      ...terminationEntries(ctx, answer(ns, 'restarts'), answer(ns, 'reasons')),
      ...memoryEntries(ctx, memory),
      ...spawnEntries(ctx, spawns),
      ...pendingEntries(ctx, answer(ns, 'pending-pods'), range.startMs),
    ].sort((a, b) => a.time.localeCompare(b.time));
    const hubProblems = missingForHub(ns, {
      ksm: nodesTotal.length > 0,
      restarts: answer(ns, 'restarts').length > 0,
      memory: answer(ns, 'memory').length > 0,
      hubMetrics: answer(ns, 'spawns').length > 0,
    });
    return {
      hub: ns,
      memory: [...memory].map(([pod, points]) => ({ pod, points })),
      limits: answer(ns, 'limit').map((l) => ({ pod: l.labels.pod ?? '', points: l.points })),
      spawns,
      pending: (answer(ns, 'pending')[0]?.points ?? []).map(([ms, v]) => [ms, v] as [number, number]),
      entries,
      problems: hubProblems,
    };
  });
  const clusterEntries = nodeEntries({ hub: null, stepSeconds }, nodes);
  return {
    ok: true,
    value: {
      source: client.where,
      fromMs: range.startMs,
      toMs: range.endMs,
      stepSeconds,
      hubs: hubHistories,
      nodes,
      entries: [...hubHistories.flatMap((h) => h.entries), ...clusterEntries].sort((a, b) =>
        a.time.localeCompare(b.time),
      ),
      problems: [...problems, ...hubHistories.flatMap((h) => h.problems)],
    },
  };
}

/** One line per kind of series a hub's history lacks. */
function missingForHub(
  ns: string,
  has: { ksm: boolean; restarts: boolean; memory: boolean; hubMetrics: boolean },
): string[] {
  const out: string[] = [];
  if (has.ksm && !has.restarts)
    out.push(
      `${ns}: no kube-state-metrics series for this namespace in the window: no pods ran there (is the namespace right?).`,
    );
  if (has.restarts && !has.memory)
    out.push(
      `${ns}: no hub memory in the window (container_memory_working_set_bytes{container="hub"}): cAdvisor is not scraped, or the hub container never ran.`,
    );
  if (!has.hubMetrics)
    out.push(
      `${ns}: no JupyterHub metrics in the window (${spawnCount}): the hub is not scraped, or never stayed up long enough to be (a hub OOMKilled during start-up never is).`,
    );
  return out;
}
