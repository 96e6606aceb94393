/** What every scenario stands on: the cluster's node pools and a z2jh release's fixed parts. */
import { createHash } from 'node:crypto';
import {
  hubConfigMap,
  hubSecret,
  hubService,
  kubeRootCaConfigMap,
  namespace as namespaceObject,
  node,
  nodeMetrics,
  proxyApiService,
  proxyPod,
  proxyPublicService,
  userSchedulerPod,
  type HubValuesOptions,
  type Release,
} from '../objects';
import type { Node } from '../wireTypes';
import type { ScenarioContext } from './timeline';

const suffix = (seed: string) => {
  const alphabet = 'bcdfghjklmnpqrstvwxz0123456789';
  return Array.from(
    createHash('sha256').update(seed).digest().subarray(0, 4),
    (b) => alphabet[b % alphabet.length],
  ).join('');
};

export const corePoolNodes = ['gke-hub-cluster-core-pool-8d1c3f2a-7k2x', 'gke-hub-cluster-core-pool-8d1c3f2a-q9m4'];

/** The n-th node of the user pool (0-based); the pool starts with 3. */
export const userPoolNode = (n: number) => `gke-hub-cluster-user-pool-5c1f2e3a-${suffix(`user-${n}`)}`;
export const initialUserNodes = 3;
/** User servers that fit on one user node (≈15 GiB allocatable, 1 GiB requests, daemon sets). */
export const usersPerNode = 14;
/** The user pool's managed instance group, as the cluster autoscaler names it. */
export const userPoolGroup =
  'https://www.googleapis.com/compute/v1/projects/hub-project/zones/us-central1-b/instanceGroups/gke-hub-cluster-user-pool-5c1f2e3a-grp';
export const userPoolMax = 10;
/** The core pool's instance group (fixed size: the autoscaler lists it with min = max). */
export const corePoolGroup =
  'https://www.googleapis.com/compute/v1/projects/hub-project/zones/us-central1-b/instanceGroups/gke-hub-cluster-core-pool-8d1c3f2a-grp';

export function coreNodes(created?: string): Node[] {
  return corePoolNodes.map((name) =>
    node({ name, pool: 'core', poolName: 'core-pool', ...(created ? { created } : {}) }),
  );
}

export function userNode(n: number, created?: string): Node {
  return node({ name: userPoolNode(n), pool: 'user', poolName: 'user-pool', ...(created ? { created } : {}) });
}

/**
 * Applies the base nodes once (several scenarios in one cluster share them), and `kube-system`, where the
 * cluster's own components (the autoscaler's status) live. `userNodes`: the user pool's size (default 3).
 */
export function ensureBaseNodes(ctx: ScenarioContext, userNodes = initialUserNodes): void {
  const created = new Date(ctx.start.getTime() - 20 * 86400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (!ctx.cluster.get('Namespace', undefined, 'kube-system'))
    ctx.cluster.apply(
      namespaceObject('kube-system', {
        created: new Date(ctx.start.getTime() - 30 * 86400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      }),
    );
  for (const n of [...coreNodes(created), ...Array.from({ length: userNodes }, (_, i) => userNode(i, created))])
    if (!ctx.cluster.get('Node', undefined, n.metadata.name)) {
      ctx.cluster.apply(n);
      ctx.cluster.setNodeMetrics(nodeMetrics(n, { cpu: '412m', memory: '3480Mi' }, ctx.iso()));
    }
}

/**
 * Namespace, services, the hub's ConfigMap and Secret (values.yaml from `values`), proxy and
 * user-scheduler of a release, all healthy.
 */
export function deployRelease(ctx: ScenarioContext, release: Release, values: HubValuesOptions = {}): void {
  const created = new Date(ctx.start.getTime() - 7 * 86400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  ctx.cluster.apply(namespaceObject(release.namespace, { created }));
  ctx.cluster.apply(kubeRootCaConfigMap(release.namespace, created));
  ctx.cluster.applyAll([hubService(release), proxyApiService(release), proxyPublicService(release)]);
  ctx.cluster.applyAll([hubConfigMap(release, { created }), hubSecret(release, { ...values, created })]);
  ctx.cluster.apply(proxyPod({ ...release, node: corePoolNodes[1]!, created }));
  for (const replica of [0, 1])
    ctx.cluster.apply(userSchedulerPod({ ...release, replica, node: corePoolNodes[replica]!, created }));
}
