/**
 * Scenario histories for a real Prometheus: plays a test-server scenario (the same step definitions the
 * live Kubernetes API test server plays) in virtual time and, every scrape interval, writes what the
 * usual exporters would have exposed about the cluster at that instant, as OpenMetrics text with
 * timestamps, ready for `promtool tsdb create-blocks-from openmetrics`:
 *
 * - kube-state-metrics: pod phase, creation time, container restarts, last terminated reason, memory limits,
 *   node info and Ready condition;
 * - cAdvisor (through the kubelet): container working set, from the scenario's pod metrics, for running
 *   containers only;
 * - the hub's own /hub/metrics, exactly the text the scenario serves through the service proxy, scraped only
 *   while a hub pod is Ready (a hub OOMKilled during start-up is never scraped), with the labels a
 *   service-endpoints scrape job adds.
 *
 * So the live scenario and its history agree: same pods, same restarts, same counters, same times.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { parsePrometheusText } from '../../src/core/cluster/hubMetrics';
import { parseMemoryQuantity } from '../../src/shared/format';
import type { ClusterState } from '../k8s-server/cluster';
import { startTestServer } from '../k8s-server/server';
import { Timeline, type Step } from '../k8s-server/scenarios/timeline';
import type { Node, Pod } from '../k8s-server/wireTypes';

export interface HistoryOptions {
  /** The scenario's virtual start (whole seconds). */
  start: Date;
  /** How much of the scenario to record. */
  durationMs: number;
  /** Default 30 s. */
  scrapeIntervalMs?: number;
  /** Scrapes happen this long after each interval boundary (default 7 s: scrapes rarely align with events). */
  scrapeOffsetMs?: number;
}

export interface HistoryFile {
  file: string;
  /** First and last sample times. */
  fromMs: number;
  toMs: number;
  samples: number;
}

type LabelSet = Record<string, string>;

const families: [name: string, type: string][] = [
  ['kube_pod_status_phase', 'gauge'],
  ['kube_pod_created', 'gauge'],
  ['kube_pod_container_status_restarts', 'counter'],
  ['kube_pod_container_status_last_terminated_reason', 'gauge'],
  ['kube_pod_container_resource_limits', 'gauge'],
  ['kube_node_info', 'gauge'],
  ['kube_node_status_condition', 'gauge'],
  ['container_memory_working_set_bytes', 'gauge'],
  ['jupyterhub_server_spawn_duration_seconds', 'histogram'],
  ['jupyterhub_request_duration_seconds', 'histogram'],
  ['jupyterhub_init_spawners_duration_seconds', 'histogram'],
  ['jupyterhub_hub_startup_duration_seconds', 'histogram'],
  ['jupyterhub_running_servers', 'gauge'],
  ['jupyterhub_total_users', 'gauge'],
  ['jupyterhub_active_users', 'gauge'],
  ['process_start_time_seconds', 'gauge'],
];

const phases = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: LabelSet) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',');

/**
 * Plays `steps` from `options.start` for `options.durationMs` and hands every scrape to `onScrape`: its
 * time and its samples as `name{labels} value` lines.
 */
export async function recordScenario(
  steps: Step[],
  options: HistoryOptions,
  onScrape: (ms: number, lines: string[]) => void,
): Promise<void> {
  const server = await startTestServer({ tls: false });
  try {
    const timeline = new Timeline(server, steps, { start: options.start });
    const interval = options.scrapeIntervalMs ?? 30_000;
    const offset = options.scrapeOffsetMs ?? 7_000;
    for (let t = offset; t <= options.durationMs; t += interval) {
      timeline.advanceTo(t);
      onScrape(options.start.getTime() + t, scrape(server.cluster));
    }
  } finally {
    await server.close();
  }
}

/** Plays the scenario and writes its history to `file` as OpenMetrics with timestamps. */
export async function writeScenarioHistory(file: string, steps: Step[], options: HistoryOptions): Promise<HistoryFile> {
  const fd = openSync(file, 'w');
  let samples = 0;
  let first = Infinity;
  let last = -Infinity;
  try {
    writeSync(fd, families.map(([name, type]) => `# TYPE ${name} ${type}\n`).join(''));
    await recordScenario(steps, options, (ms, lines) => {
      const ts = (ms / 1000).toFixed(3);
      writeSync(fd, lines.map((l) => `${l} ${ts}\n`).join(''));
      samples += lines.length;
      first = Math.min(first, ms);
      last = Math.max(last, ms);
    });
    writeSync(fd, '# EOF\n');
  } finally {
    closeSync(fd);
  }
  return { file, fromMs: first, toMs: last, samples };
}

/** Every sample the exporters would expose now (without timestamps). */
function scrape(cluster: ClusterState): string[] {
  const out: string[] = [];
  const sample = (name: string, labels: LabelSet, value: number) => out.push(`${name}{${labelText(labels)}} ${value}`);

  for (const node of cluster.list('nodes') as Node[]) {
    const name = node.metadata.name;
    sample('kube_node_info', { node: name, provider_id: `gce://hub-project/us-central1-b/${name}` }, 1);
    const conditions = (node.status.conditions ?? []) as { type: string; status: string }[];
    const ready = conditions.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
    for (const status of ['true', 'false', 'unknown'])
      sample(
        'kube_node_status_condition',
        { node: name, condition: 'Ready', status },
        ready.toLowerCase() === status ? 1 : 0,
      );
  }

  const usage = new Map<string, Map<string, number>>();
  for (const m of cluster.listPodMetrics()) {
    const byContainer = new Map<string, number>();
    for (const c of m.containers) byContainer.set(c.name, parseMemoryQuantity(c.usage.memory) ?? 0);
    usage.set(`${m.metadata.namespace}/${m.metadata.name}`, byContainer);
  }

  const readyHubs = new Map<string, Pod>();
  for (const pod of cluster.list('pods') as Pod[]) {
    const namespace = pod.metadata.namespace!;
    const podName = pod.metadata.name;
    // kube-state-metrics also labels pod series with the pod's uid; nothing here groups by it, so it is left out.
    const base = { namespace, pod: podName };
    for (const phase of phases) sample('kube_pod_status_phase', { ...base, phase }, pod.status.phase === phase ? 1 : 0);
    sample('kube_pod_created', base, Date.parse(pod.metadata.creationTimestamp ?? '') / 1000);
    const node = pod.spec.nodeName as string | undefined;
    const running = new Set<string>();
    for (const status of pod.status.containerStatuses ?? []) {
      const c = { ...base, container: status.name };
      sample('kube_pod_container_status_restarts_total', c, status.restartCount);
      const last = status.lastState.terminated;
      if (last?.reason) sample('kube_pod_container_status_last_terminated_reason', { ...c, reason: last.reason }, 1);
      if (status.state.running) running.add(status.name);
    }
    for (const container of pod.spec.containers) {
      const limit = parseMemoryQuantity(String(container.resources?.limits?.memory ?? ''));
      if (limit !== null)
        sample(
          'kube_pod_container_resource_limits',
          { ...base, container: container.name, ...(node ? { node } : {}), resource: 'memory', unit: 'byte' },
          limit,
        );
    }
    const used = usage.get(`${namespace}/${podName}`);
    if (used && running.size > 0) {
      let total = 0;
      for (const [container, bytes] of used)
        if (running.has(container)) {
          total += bytes;
          sample(
            'container_memory_working_set_bytes',
            { namespace, pod: podName, container, ...(node ? { node } : {}) },
            bytes,
          );
        }
      // The pod's own cgroup (container=""): what makes a `sum` without a container matcher double count.
      sample('container_memory_working_set_bytes', { namespace, pod: podName, ...(node ? { node } : {}) }, total);
    }
    const isHub = pod.metadata.labels?.component === 'hub';
    const ready = pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (isHub && ready) readyHubs.set(namespace, pod);
  }

  for (const [namespace, hub] of readyHubs) {
    const metrics = cluster.hubMetrics(namespace);
    if (!metrics || !('text' in metrics)) continue;
    const target = {
      job: 'kubernetes-service-endpoints',
      namespace,
      service: 'hub',
      instance: `${String(hub.status.podIP ?? '10.0.0.1')}:8081`,
    };
    for (const s of parsePrometheusText(metrics.text)) {
      const labels = Object.fromEntries(Object.entries(s.labels).filter(([, v]) => v !== ''));
      sample(s.name, { ...labels, ...target }, s.value);
    }
  }
  return out;
}
