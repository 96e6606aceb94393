import type { V1Pod } from '@kubernetes/client-node';
import type { PodRole } from './model';

/** Labels and annotations z2jh and KubeSpawner put on pods (see docs/z2jh.md). */
export const label = {
  component: 'component',
  app: 'app',
  release: 'release',
  chart: 'chart',
  k8sComponent: 'app.kubernetes.io/component',
  k8sName: 'app.kubernetes.io/name',
  k8sInstance: 'app.kubernetes.io/instance',
  helmChart: 'helm.sh/chart',
  username: 'hub.jupyter.org/username',
  servername: 'hub.jupyter.org/servername',
} as const;

export const annotation = {
  username: 'hub.jupyter.org/username',
  servername: 'hub.jupyter.org/servername',
  jupyterhubVersion: 'hub.jupyter.org/jupyterhub-version',
  kubespawnerVersion: 'hub.jupyter.org/kubespawner-version',
} as const;

const roleOfComponent: Record<string, PodRole> = {
  hub: 'hub',
  proxy: 'proxy',
  'singleuser-server': 'user',
  'user-placeholder': 'placeholder',
  autohttps: 'other',
  'user-scheduler': 'other',
  'continuous-image-puller': 'other',
  'hook-image-puller': 'other',
  'image-puller': 'other',
};

const labelsOf = (pod: V1Pod): Record<string, string> => pod.metadata?.labels ?? {};

/** The z2jh component: the 3.x `component` label, else the 4.1+ `app.kubernetes.io/component` one. */
export function componentOf(pod: V1Pod): string {
  const labels = labelsOf(pod);
  return labels[label.component] ?? labels[label.k8sComponent] ?? '';
}

/**
 * Whether a pod belongs to a JupyterHub deployment. z2jh workloads carry `app=jupyterhub` (3.x) or
 * `app.kubernetes.io/name=jupyterhub` (4.1+); KubeSpawner's user pods always carry
 * `component=singleuser-server`, even when a custom config dropped the chart's common labels.
 */
export function isJupyterHubPod(pod: V1Pod): boolean {
  const labels = labelsOf(pod);
  if (labels[label.app] === 'jupyterhub' || labels[label.k8sName] === 'jupyterhub') return true;
  return componentOf(pod) === 'singleuser-server';
}

export function podRole(pod: V1Pod): PodRole {
  return roleOfComponent[componentOf(pod)] ?? 'other';
}

/** The Helm release a pod belongs to, or null when it does not say (then: the namespace's hub). */
export function releaseOf(pod: V1Pod): string | null {
  const labels = labelsOf(pod);
  return labels[label.release] ?? labels[label.k8sInstance] ?? null;
}

/** The chart version from `helm.sh/chart` or `chart` (`jupyterhub-4.2.0`), or null. */
export function chartVersionOf(labels: Record<string, string> | undefined): string | null {
  for (const key of [label.helmChart, label.chart]) {
    const match = /^jupyterhub-(\d+\.\d+\.\d+\S*)$/.exec(labels?.[key] ?? '');
    if (match) return match[1]!;
  }
  return null;
}
