/**
 * Alert rules for hub operators, filled in for chosen hubs (namespaces) and the JupyterHub they run. What
 * they cover is what the operators' own alerting lacked in the incidents this project was built from: hub
 * restarts and OOM kills, hub memory near its limit, throttled spawns and 429s, user pods stuck Pending,
 * failed spawns, and a slow hub start-up.
 *
 * The series come from kube-state-metrics, cAdvisor and JupyterHub's /hub/metrics (see docs/prometheus.md).
 * Only the throttling rule depends on the JupyterHub version: 5.x labels a throttled spawn
 * `status="throttled"`, 6.0 `status="failure", reason="throttled"`; without a version both are matched.
 */
import { dump } from 'js-yaml';
import { namespaceMatcher, selector } from './promql';
import {
  failureSelector,
  labelScheme,
  throttled429Selector,
  throttledSelectors,
  type LabelScheme,
} from './spawnLabels';

export interface RuleThresholds {
  /** Hub memory over this share of its limit… */
  memoryRatio: number;
  /** …for this long. */
  memoryFor: string;
  /** Throttled spawns (or 429s) in 5 minutes. */
  throttledPer5m: number;
  /** A user pod Pending longer than this many minutes. */
  pendingMinutes: number;
  /** Failed spawns in 30 minutes (2i2c's own alert uses 2). */
  spawnFailuresPer30m: number;
  /** A hub start-up slower than this many seconds. */
  startupSeconds: number;
}

export const defaultThresholds: RuleThresholds = {
  memoryRatio: 0.9,
  memoryFor: '5m',
  throttledPer5m: 10,
  pendingMinutes: 10,
  spawnFailuresPer30m: 2,
  startupSeconds: 60,
};

export interface RulePackOptions {
  /** The hubs' namespaces (one hub per namespace). */
  namespaces: string[];
  /** e.g. "5.3.0", "6.0.0"; unknown: rules match both label schemes. */
  jupyterhubVersion?: string;
  thresholds?: Partial<RuleThresholds>;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: 'critical' | 'warning' };
  annotations: { summary: string; description: string };
}

export interface RulePack {
  name: string;
  interval: string;
  namespaces: string[];
  scheme: LabelScheme;
  thresholds: RuleThresholds;
  rules: AlertRule[];
}

export const rulePackName = 'jupyterhub-ops-hubs';

/** The rule pack for `options.namespaces`. Throws on an empty list or a threshold that is not a number. */
export function rulePack(options: RulePackOptions): RulePack {
  const namespaces = [...new Set(options.namespaces.map((n) => n.trim()).filter(Boolean))];
  if (namespaces.length === 0) throw new Error('A rule pack needs at least one hub namespace.');
  const t = { ...defaultThresholds, ...options.thresholds };
  const scheme = labelScheme(options.jupyterhubVersion);
  const ns = namespaceMatcher(namespaces);
  const restarts = `sum by (namespace, pod) (increase(${selector('kube_pod_container_status_restarts_total', ns, 'container="hub"')}[10m])) > 0`;
  const throttled = throttledSelectors(scheme, ns)
    .map((s) => `sum by (namespace) (increase(${s}[5m]))`)
    .join('\n  or\n  ');
  const pct = `${Math.round(t.memoryRatio * 100)}%`;
  const hubOf = '{{ $labels.namespace }}';
  const rules: AlertRule[] = [
    {
      alert: 'JupyterHubHubOOMKilled',
      expr: `(${restarts})\nand on (namespace, pod)\n(max by (namespace, pod) (${selector('kube_pod_container_status_last_terminated_reason', ns, 'container="hub"', 'reason="OOMKilled"')}) == 1)`,
      labels: { severity: 'critical' },
      annotations: {
        summary: `The hub of ${hubOf} was OOMKilled`,
        description: `Hub pod {{ $labels.pod }} in ${hubOf} ran out of memory and restarted in the last 10 minutes. While it crash-loops nobody can log in or start a server. If it happens at every start-up, analyze the hub database (start-up query cost) and raise hub.resources.limits.memory.`,
      },
    },
    {
      alert: 'JupyterHubHubRestarted',
      expr: restarts,
      labels: { severity: 'warning' },
      annotations: {
        summary: `The hub of ${hubOf} restarted`,
        description: `Hub pod {{ $labels.pod }} in ${hubOf} restarted in the last 10 minutes. Its previous log (kubectl logs --previous) says why: an OOM kill, "Aborting due to N consecutive spawn failures", a failed upgrade.`,
      },
    },
    {
      alert: 'JupyterHubHubMemoryNearLimit',
      expr: `max by (namespace, pod) (${selector('container_memory_working_set_bytes', ns, 'container="hub"')})\n/ on (namespace, pod)\nmax by (namespace, pod) (${selector('kube_pod_container_resource_limits', ns, 'container="hub"', 'resource="memory"')})\n> ${t.memoryRatio}`,
      for: t.memoryFor,
      labels: { severity: 'warning' },
      annotations: {
        summary: `The hub of ${hubOf} is above ${pct} of its memory limit`,
        description: `Hub pod {{ $labels.pod }} in ${hubOf} has used more than ${pct} of its memory limit for ${t.memoryFor}. The next start-up (which loads every running server) may not fit: it would be OOMKilled.`,
      },
    },
    {
      alert: 'JupyterHubSpawnsThrottled',
      expr: `(\n  ${throttled}\n) > ${t.throttledPer5m}\nor\nsum by (namespace) (increase(${throttled429Selector(ns)}[5m])) > ${t.throttledPer5m}`,
      labels: { severity: 'warning' },
      annotations: {
        summary: `Spawns are being throttled on ${hubOf}`,
        description: `More than ${t.throttledPer5m} spawn requests in 5 minutes on ${hubOf} were refused by the concurrent spawn limit (hub.concurrentSpawnLimit); users see "Too many users trying to log in right now" (HTTP 429 from JupyterHub 5.4.0; earlier versions answered spawn pages with 200). Raise the limit, or add user placeholders before a class starts.`,
      },
    },
    {
      alert: 'JupyterHubUserPodsPending',
      expr: `count by (namespace) (\n  (time() - ${selector('kube_pod_created', ns, 'pod=~"jupyter-.+"')}) > ${t.pendingMinutes * 60}\n  and on (namespace, pod)\n  ${selector('kube_pod_status_phase', ns, 'phase="Pending"')} == 1\n)`,
      labels: { severity: 'warning' },
      annotations: {
        summary: `User servers on ${hubOf} have been Pending for more than ${t.pendingMinutes} minutes`,
        description: `User pods on ${hubOf} have waited in Pending for more than ${t.pendingMinutes} minutes: no room on the user nodes and the cluster autoscaler is slow or at its maximum. Check the pods' FailedScheduling events and the node pool's size.`,
      },
    },
    {
      alert: 'JupyterHubSpawnFailures',
      expr: `sum by (namespace) (increase(${failureSelector(ns)}[30m])) >= ${t.spawnFailuresPer30m}`,
      labels: { severity: 'warning' },
      annotations: {
        summary: `Spawns are failing on ${hubOf}`,
        description: `At least ${t.spawnFailuresPer30m} user servers failed to start on ${hubOf} in 30 minutes. The hub log says why (an image that cannot be pulled, a timeout); after hub.consecutiveFailureLimit failures in a row the hub exits.`,
      },
    },
    {
      alert: 'JupyterHubSlowStartup',
      expr: `max by (namespace) (\n  ${selector('jupyterhub_hub_startup_duration_seconds_sum', ns)}\n  / ${selector('jupyterhub_hub_startup_duration_seconds_count', ns)} > ${t.startupSeconds}\n  and\n  time() - ${selector('process_start_time_seconds', ns)} < 1800\n)`,
      labels: { severity: 'warning' },
      annotations: {
        summary: `The hub of ${hubOf} took more than ${t.startupSeconds} s to start`,
        description: `The hub of ${hubOf} started in the last 30 minutes and its start-up took more than ${t.startupSeconds} s. Start-up loads every running server (init_spawners); a slow one grows with the database and may not fit in memory next time.`,
      },
    },
  ];
  return { name: rulePackName, interval: '1m', namespaces, scheme, thresholds: t, rules };
}

/** The rule pack as Prometheus's own rules data: the `groups` of a rules file. */
export function ruleGroups(pack: RulePack) {
  return {
    groups: [
      {
        name: pack.name,
        interval: pack.interval,
        rules: pack.rules.map((r) => ({
          alert: r.alert,
          expr: r.expr,
          ...(r.for ? { for: r.for } : {}),
          labels: r.labels,
          annotations: r.annotations,
        })),
      },
    ],
  };
}

function header(pack: RulePack, how: string): string {
  const labels =
    pack.scheme === 'both'
      ? 'spawn labels of JupyterHub 5.x and 6, as no version was given'
      : pack.scheme === '6'
        ? 'spawn labels of JupyterHub 6'
        : 'spawn labels of JupyterHub 5.x';
  return [
    `# JupyterHub Ops alert rules for ${pack.namespaces.join(', ')}; ${labels}.`,
    `# ${how}`,
    "# Needs kube-state-metrics, cAdvisor (the kubelet) and each hub's /hub/metrics scraped, with a namespace label.",
    '',
  ].join('\n');
}

const yaml = (value: unknown) => dump(value, { lineWidth: -1, noRefs: true });

/** A Prometheus rules file (`rule_files:`), checked with `promtool check rules`. */
export function rulesFileYaml(pack: RulePack): string {
  return (
    header(pack, 'A Prometheus rules file: list it under rule_files, then check it with promtool check rules.') +
    yaml(ruleGroups(pack))
  );
}

export interface PrometheusRuleOptions {
  /** metadata.name (default the pack's name). */
  name?: string;
  /** metadata.namespace (default: none, kubectl's current one). */
  namespace?: string;
  /** metadata.labels: prometheus-operator picks rules by these (kube-prometheus-stack: release=<its release>). */
  labels?: Record<string, string>;
}

/** The same rules as a prometheus-operator `PrometheusRule` object. */
export function prometheusRuleYaml(pack: RulePack, options: PrometheusRuleOptions = {}): string {
  const object = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: options.name ?? pack.name,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      labels: { 'app.kubernetes.io/name': 'jupyterhub-ops', ...options.labels },
    },
    spec: ruleGroups(pack),
  };
  return (
    header(
      pack,
      'A prometheus-operator PrometheusRule: kubectl apply -f it where the operator looks (kube-prometheus-stack selects rules by its release label).',
    ) + yaml(object)
  );
}
