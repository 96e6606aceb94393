import type { CoreV1Event, KubeConfig, PodMetric, V1Node, V1Pod } from '@kubernetes/client-node';
import { messageOf } from '../result';
import { buildHubs, groupHubs, hubKey, type HubExtras } from './buildModel';
import { dedupeEvents, normalizeEvent } from './clusterEvents';
import { ContextClient } from './contextClient';
import type { KubeProblem } from './kubeErrors';
import type { ContextModel } from './model';
import { mainContainer } from './podMemory';
import { lastTermination } from './podTermination';
import { podRole } from './z2jhLabels';

export interface ListPassOptions {
  /** Only these namespaces; empty = the whole cluster. */
  namespaces?: string[];
  /** Read /hub/metrics of hubs with spawns pending (default true). */
  hubMetrics?: boolean;
  /** Read each hub's Helm values for its spawn limit (default true). */
  hubConfig?: boolean;
  now?: () => number;
}

/** Requests at once for the per-hub reads (config, logs, metrics): polite to the API server. */
const perHubConcurrency = 8;

/**
 * One pass over a context without watching: list pods, events, nodes and metrics, read what each hub
 * needs, build the same model the watcher builds. For the CLI and the benchmark.
 */
export async function listContext(
  base: KubeConfig,
  context: string,
  options: ListPassOptions = {},
): Promise<ContextModel> {
  const now = options.now ?? Date.now;
  let client: ContextClient;
  try {
    client = new ContextClient(base, context);
  } catch (error) {
    return errorModel(context, { code: 'bad-context', message: messageOf(error) }, now());
  }
  try {
    return await listWith(client, options, now);
  } finally {
    client.dispose();
  }
}

async function listWith(client: ContextClient, options: ListPassOptions, now: () => number): Promise<ContextModel> {
  const namespaces = [...new Set(options.namespaces ?? [])];
  const scopes: (string | undefined)[] = namespaces.length ? namespaces : [undefined];
  const warnings: string[] = [];

  const podResults = await Promise.all(scopes.map((ns) => attempt(() => client.listPods(ns), client, 'list pods', ns)));
  const pods: V1Pod[] = [];
  const podProblems: KubeProblem[] = [];
  for (const r of podResults) {
    if (r.ok) pods.push(...r.value.items);
    else podProblems.push(r.problem);
  }
  if (podProblems.length === scopes.length) return errorModel(client.context, podProblems[0]!, now());
  warnings.push(...podProblems.map((p) => p.message));

  const eventScopes = namespaces.length && !namespaces.includes('default') ? [...scopes, 'default'] : scopes;
  const [eventResults, nodeResult, metricResults] = await Promise.all([
    Promise.all(eventScopes.map((ns) => attempt(() => client.listEvents(ns), client, 'list events', ns))),
    attempt(() => client.listNodes(), client, 'list nodes', undefined, true),
    Promise.all(scopes.map((ns) => client.podMetrics(ns))),
  ]);
  const events: CoreV1Event[] = [];
  for (const r of eventResults) {
    if (r.ok) events.push(...r.value.items);
    else warnings.push(r.problem.message);
  }
  let nodes: V1Node[] | null = null;
  if (nodeResult.ok) nodes = nodeResult.value.items;
  else warnings.push(`${nodeResult.problem.message} (scale-up and node OOM details limited)`);
  let podMetrics: PodMetric[] | null = null;
  for (const r of metricResults) {
    if (r.ok) podMetrics = [...(podMetrics ?? []), ...r.value];
    else warnings.push(r.error.message);
  }

  const groups = groupHubs(pods);
  const hubExtras = new Map<string, HubExtras>();
  const previousLogs = new Map<string, string>();
  const tasks: (() => Promise<void>)[] = [];
  for (const group of groups) {
    const key = hubKey(group.namespace, group.release);
    const hubPod = group.pods.find((p) => podRole(p) === 'hub' && !p.metadata?.deletionTimestamp);
    if (hubPod && options.hubConfig !== false) {
      tasks.push(async () => {
        hubExtras.set(key, { ...hubExtras.get(key), config: await client.readHubConfig(group.namespace, hubPod) });
      });
    }
    // A hub that exited 1 may have given up after consecutive spawn failures: its previous log says so.
    for (const pod of group.pods.filter((p) => podRole(p) === 'hub')) {
      const t = lastTermination(pod, 'hub');
      if (!t || t.cause !== 'error' || t.exitCode === 0) continue;
      tasks.push(async () => {
        const container = mainContainer(pod, 'hub')?.name ?? t.container;
        const log = await client.readPodLogs(group.namespace, pod.metadata?.name ?? '', {
          container,
          previous: true,
          tailLines: 50,
        });
        if (log.ok) previousLogs.set(pod.metadata?.uid ?? '', log.value);
      });
    }
  }
  await runLimited(tasks, perHubConcurrency);

  const normalized = dedupeEvents(events).map(normalizeEvent);
  let hubs = buildHubs({ pods, events: normalized, nodes, podMetrics, hubExtras, previousLogs, now: now() });
  if (options.hubMetrics !== false) {
    const pressured = hubs.filter((h) => h.spawnPressure.pendingSpawns > 0);
    await runLimited(
      pressured.map((hub) => async () => {
        const key = hubKey(hub.namespace, hub.release);
        const config = hubExtras.get(key)?.config;
        const result = await client.readHubMetrics(hub.namespace, {
          baseUrl: config?.status === 'read' ? config.baseUrl : null,
        });
        if (result.ok) hubExtras.set(key, { ...hubExtras.get(key), metrics: result.value });
        else warnings.push(`${key}: hub metrics not readable: ${result.error.message}`);
      }),
      perHubConcurrency,
    );
    if (pressured.length)
      hubs = buildHubs({ pods, events: normalized, nodes, podMetrics, hubExtras, previousLogs, now: now() });
  }
  return {
    name: client.context,
    status: 'ok',
    warnings: [...new Set(warnings)],
    hubs,
    builtAt: new Date(now()).toISOString(),
  };
}

type Attempt<T> = { ok: true; value: T } | { ok: false; problem: KubeProblem };

async function attempt<T>(
  call: () => Promise<T>,
  client: ContextClient,
  action: string,
  namespace: string | undefined,
  clusterScoped = false,
): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, problem: client.problem(error, action, namespace, clusterScoped) };
  }
}

async function runLimited(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      await task().catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

function errorModel(name: string, problem: { code: string; message: string }, now: number): ContextModel {
  return {
    name,
    status: 'error',
    error: { code: problem.code, message: problem.message },
    warnings: [],
    hubs: [],
    builtAt: new Date(now).toISOString(),
  };
}
