import type { V1Pod } from '@kubernetes/client-node';
import { toMillis } from './kubeTime';
import type { VersionSource } from './model';
import { annotation, chartVersionOf } from './z2jhLabels';

type Triple = [number, number, number];

/** z2jh chart → JupyterHub, from the chart's release notes (docs/z2jh.md). Ranges are inclusive. */
const chartTable: { from: Triple; to: Triple; jupyterhub: string | ((chart: Triple) => string) }[] = [
  { from: [3, 0, 0], to: [3, 2, 1], jupyterhub: '4.0.2' },
  { from: [3, 3, 0], to: [3, 3, 2], jupyterhub: '4.1.0' },
  // 3.3.3 … 3.3.8 track JupyterHub 4.1.1 … 4.1.6 one to one.
  { from: [3, 3, 3], to: [3, 3, 8], jupyterhub: (c) => `4.1.${c[2] - 2}` },
  { from: [4, 0, 0], to: [4, 0, 0], jupyterhub: '5.2.1' },
  { from: [4, 1, 0], to: [4, 1, 0], jupyterhub: '5.2.1' },
  { from: [4, 2, 0], to: [4, 2, 0], jupyterhub: '5.3.0' },
  { from: [4, 3, 0], to: [4, 3, 0], jupyterhub: '5.4.0' },
  { from: [4, 3, 1], to: [4, 3, 1], jupyterhub: '5.4.1' },
  { from: [4, 3, 2], to: [4, 3, 2], jupyterhub: '5.4.3' },
  { from: [4, 3, 3], to: [4, 3, 3], jupyterhub: '5.4.4' },
  { from: [4, 3, 4], to: [4, 3, 4], jupyterhub: '5.4.5' },
  { from: [4, 3, 5], to: [4, 3, 5], jupyterhub: '5.4.6' },
  { from: [4, 4, 0], to: [4, 4, 0], jupyterhub: '5.5.0' },
];

const compare = (a: Triple, b: Triple) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/**
 * The JupyterHub version a z2jh chart version ships, or null when the table does not know it. Dev and
 * pre-release builds (`4.2.1-0.dev.git…`) are not mapped: they may carry any JupyterHub.
 */
export function jupyterhubForChart(chartVersion: string): string | null {
  const match = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(chartVersion.trim());
  if (!match) return null;
  const chart: Triple = [Number(match[1]), Number(match[2]), Number(match[3])];
  const row = chartTable.find((r) => compare(chart, r.from) >= 0 && compare(chart, r.to) <= 0);
  if (!row) return null;
  return typeof row.jupyterhub === 'string' ? row.jupyterhub : row.jupyterhub(chart);
}

export interface HubVersion {
  jupyterhubVersion: string | null;
  chartVersion: string | null;
  versionSource: VersionSource;
  versionDetail: string;
}

const hubImageTag = (pod: V1Pod): string | null => {
  const container = pod.spec?.containers?.find((c) => c.name === 'hub') ?? pod.spec?.containers?.[0];
  const match = /\/k8s-hub:v?(\d+\.\d+\.\d+[^@\s]*)/.exec(container?.image ?? '');
  return match ? match[1]! : null;
};

/**
 * A hub's JupyterHub version, from the most direct source that says it:
 * 1. the `hub.jupyter.org/jupyterhub-version` annotation KubeSpawner writes on user pods (the newest user
 *    pod: pods spawned before an upgrade still carry the old version);
 * 2. the chart label on the hub pod (or any pod of the release), through the chart → JupyterHub table;
 * 3. the tag of the `k8s-hub` image, which is the chart version (operators who build their own image
 *    FROM it lose this).
 */
export function discoverHubVersion(hubPods: V1Pod[], releasePods: V1Pod[], userPods: V1Pod[]): HubVersion {
  const annotated = userPods
    .filter((p) => p.metadata?.annotations?.[annotation.jupyterhubVersion])
    .sort((a, b) => (toMillis(b.metadata?.creationTimestamp) ?? 0) - (toMillis(a.metadata?.creationTimestamp) ?? 0));
  const chartFromLabels =
    [...hubPods, ...releasePods].map((p) => chartVersionOf(p.metadata?.labels)).find((v) => v !== null) ?? null;
  const imageTag = hubPods.map(hubImageTag).find((v) => v !== null) ?? null;
  const chartVersion = chartFromLabels ?? imageTag;

  const newest = annotated[0];
  if (newest) {
    const version = newest.metadata!.annotations![annotation.jupyterhubVersion]!;
    return {
      jupyterhubVersion: version,
      chartVersion,
      versionSource: 'user-pod-annotation',
      versionDetail: `annotation ${annotation.jupyterhubVersion} on ${newest.metadata?.name ?? 'a user pod'} (newest user pod)`,
    };
  }
  if (chartFromLabels) {
    return fromChartVersion(chartFromLabels, chartVersion, 'chart-label', {
      found: `chart label jupyterhub-${chartFromLabels}`,
      notInTable: `chart jupyterhub-${chartFromLabels}`,
    });
  }
  if (imageTag) {
    return fromChartVersion(imageTag, chartVersion, 'hub-image-tag', {
      found: `hub image tag ${imageTag} (chart version)`,
      notInTable: `hub image tag ${imageTag}`,
    });
  }
  return {
    jupyterhubVersion: null,
    chartVersion: null,
    versionSource: 'unknown',
    versionDetail: 'no user-pod annotation, chart label or k8s-hub image tag says the version',
  };
}

/** The JupyterHub version a chart version maps to, saying where the chart version was read. */
function fromChartVersion(
  chart: string,
  chartVersion: string | null,
  source: 'chart-label' | 'hub-image-tag',
  said: { found: string; notInTable: string },
): HubVersion {
  const version = jupyterhubForChart(chart);
  return {
    jupyterhubVersion: version,
    chartVersion,
    versionSource: version ? source : 'unknown',
    versionDetail: version
      ? `${said.found} → JupyterHub ${version}`
      : `${said.notInTable} is not in the chart → JupyterHub table`,
  };
}
