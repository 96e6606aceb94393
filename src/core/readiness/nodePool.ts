import type {
  V1Node,
  V1NodeSelectorRequirement,
  V1NodeSelectorTerm,
  V1Pod,
  V1Toleration,
} from '@kubernetes/client-node';
import { isNodeReady } from '../cluster/buildModel';
import { quantityToBytes } from '../cluster/quantity';
import { componentOf } from '../cluster/z2jhLabels';
import type { Resources } from './simulate';

/** Where user servers may go: what the scheduler checks against a node. */
export interface UserScheduling {
  nodeSelector: Record<string, string>;
  /** requiredDuringSchedulingIgnoredDuringExecution terms (any one must match); null = none. */
  requiredTerms: V1NodeSelectorTerm[] | null;
  tolerations: V1Toleration[];
  /** How it was found, in words. */
  source: string;
}

/** A node of the user pool: its room, what already runs on it, and this hub's pods on it. */
export interface PoolNode {
  name: string;
  ready: boolean;
  /** false when cordoned (spec.unschedulable). */
  schedulable: boolean;
  allocatable: Resources;
  /** Requests of every pod bound to the node (placeholders included), except finished ones. */
  requested: Resources;
  /** The part of `requested` that daemon sets hold (every new node has them too). */
  daemonSetRequested: Resources;
  /** User placeholder pods on the node (any release: a user pod preempts them all alike). */
  placeholders: number;
  /** This hub's user servers on the node. */
  userServers: number;
  /** The node pool's name from the cloud's label, when there is one. */
  poolLabel: string | null;
}

/** z2jh's user pods tolerate the dedicated=user taints of a user pool. */
export const z2jhUserTolerations: V1Toleration[] = [
  { key: 'hub.jupyter.org/dedicated', operator: 'Equal', value: 'user', effect: 'NoSchedule' },
  { key: 'hub.jupyter.org_dedicated', operator: 'Equal', value: 'user', effect: 'NoSchedule' },
];

export const nodePurposeLabel = 'hub.jupyter.org/node-purpose';

/** Labels clouds and node provisioners put on a node to say which pool (node group) it belongs to. */
export const poolLabels = [
  'cloud.google.com/gke-nodepool',
  'eks.amazonaws.com/nodegroup',
  'alpha.eksctl.io/nodegroup-name',
  'kubernetes.azure.com/agentpool',
  'agentpool',
  'karpenter.sh/nodepool',
  'kops.k8s.io/instancegroup',
  'node.kubernetes.io/pool',
  'doks.digitalocean.com/node-pool',
];

export const poolLabelOf = (node: V1Node): string | null => {
  const labels = node.metadata?.labels ?? {};
  for (const key of poolLabels) if (labels[key]) return labels[key]!;
  return null;
};

/** The scheduling a pod asks for (its node selector, required node affinity and tolerations). */
export function schedulingOfPod(pod: V1Pod, source: string): UserScheduling {
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return {
    nodeSelector: { ...(pod.spec?.nodeSelector ?? {}) },
    requiredTerms: required?.length ? required : null,
    tolerations: pod.spec?.tolerations ?? [],
    source,
  };
}

function matchesExpression(labels: Record<string, string>, e: V1NodeSelectorRequirement): boolean {
  const value = labels[e.key];
  switch (e.operator) {
    case 'In':
      return value !== undefined && (e.values ?? []).includes(value);
    case 'NotIn':
      return value === undefined || !(e.values ?? []).includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(e.values?.[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(e.values?.[0]);
    default:
      return false;
  }
}

function tolerates(
  tolerations: readonly V1Toleration[],
  taint: { key: string; value?: string; effect: string },
): boolean {
  return tolerations.some(
    (t) =>
      (t.effect === undefined || t.effect === '' || t.effect === taint.effect) &&
      (t.key === undefined || t.key === '' ? t.operator === 'Exists' : t.key === taint.key) &&
      (t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '')),
  );
}

/** Whether the scheduler would consider `node` for a pod with this scheduling (readiness aside). */
export function nodeMatches(node: V1Node, scheduling: UserScheduling): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(scheduling.nodeSelector)) if (labels[k] !== v) return false;
  if (scheduling.requiredTerms) {
    const name = node.metadata?.name ?? '';
    const anyTerm = scheduling.requiredTerms.some(
      (term) =>
        (term.matchExpressions ?? []).every((e) => matchesExpression(labels, e)) &&
        (term.matchFields ?? []).every((e) => matchesExpression({ 'metadata.name': name }, e)),
    );
    if (!anyTerm) return false;
  }
  for (const taint of node.spec?.taints ?? [])
    if ((taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerates(scheduling.tolerations, taint))
      return false;
  return true;
}

const zero = (): Resources => ({ memoryBytes: 0, cpuMillis: 0, pods: 0 });
const add = (a: Resources, b: Resources): Resources => ({
  memoryBytes: a.memoryBytes + b.memoryBytes,
  cpuMillis: a.cpuMillis + b.cpuMillis,
  pods: a.pods + b.pods,
});

/** Millicores of a CPU quantity ("3920m", "4", "0.5"). */
export function cpuMillisOf(quantity: string | undefined | null): number {
  if (typeof quantity !== 'string' || !quantity.trim()) return 0;
  const m = /^\s*(\d+(?:\.\d+)?)(m|u|n)?\s*$/.exec(quantity);
  if (!m) return 0;
  const n = Number(m[1]);
  return m[2] === 'm' ? n : m[2] === 'u' ? n / 1000 : m[2] === 'n' ? n / 1e6 : n * 1000;
}

/**
 * What a pod asks the scheduler for: the larger of its containers' summed requests and its biggest init
 * container, plus the pod overhead, as the scheduler counts it.
 */
export function podRequests(pod: V1Pod): Resources {
  const of = (requests: Record<string, string> | undefined): Resources => ({
    memoryBytes: quantityToBytes(requests?.memory) ?? 0,
    cpuMillis: cpuMillisOf(requests?.cpu),
    pods: 0,
  });
  const containers = (pod.spec?.containers ?? []).reduce((sum, c) => add(sum, of(c.resources?.requests)), zero());
  const init = (pod.spec?.initContainers ?? []).map((c) => of(c.resources?.requests));
  const overhead = of(pod.spec?.overhead);
  return {
    memoryBytes: Math.max(containers.memoryBytes, ...init.map((r) => r.memoryBytes)) + overhead.memoryBytes,
    cpuMillis: Math.max(containers.cpuMillis, ...init.map((r) => r.cpuMillis)) + overhead.cpuMillis,
    pods: 1,
  };
}

const finished = (pod: V1Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const isDaemonSetPod = (pod: V1Pod) => (pod.metadata?.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet');

export interface PoolOptions {
  /** This hub's namespace and release: its user servers are counted per node. */
  namespace: string;
  isThisHubsUserPod(pod: V1Pod): boolean;
}

/** The pool's nodes with what runs on them. `pods` are the pods bound to those nodes (any namespace). */
export function poolNodes(nodes: readonly V1Node[], pods: readonly V1Pod[], options: PoolOptions): PoolNode[] {
  const byNode = new Map<string, V1Pod[]>();
  for (const pod of pods) {
    const name = pod.spec?.nodeName;
    if (!name || finished(pod)) continue;
    if (!byNode.has(name)) byNode.set(name, []);
    byNode.get(name)!.push(pod);
  }
  return nodes.map((node) => {
    const name = node.metadata?.name ?? '';
    const alloc = node.status?.allocatable ?? {};
    const onNode = byNode.get(name) ?? [];
    return {
      name,
      ready: isNodeReady(node),
      schedulable: node.spec?.unschedulable !== true,
      allocatable: {
        memoryBytes: quantityToBytes(alloc.memory) ?? 0,
        cpuMillis: cpuMillisOf(alloc.cpu),
        pods: Number.parseInt(alloc.pods ?? '110', 10) || 110,
      },
      requested: onNode.reduce((sum, p) => add(sum, podRequests(p)), zero()),
      daemonSetRequested: onNode.filter(isDaemonSetPod).reduce((sum, p) => add(sum, podRequests(p)), zero()),
      placeholders: onNode.filter((p) => componentOf(p) === 'user-placeholder').length,
      userServers: onNode.filter((p) => options.isThisHubsUserPod(p)).length,
      poolLabel: poolLabelOf(node),
    };
  });
}

/** What a fresh node of the pool offers: a ready node's allocatable minus its daemon sets' requests. */
export function newNodeRoom(pool: readonly PoolNode[]): Resources | null {
  const sample = pool.find((n) => n.ready && n.schedulable) ?? pool[0];
  if (!sample) return null;
  return {
    memoryBytes: sample.allocatable.memoryBytes - sample.daemonSetRequested.memoryBytes,
    cpuMillis: sample.allocatable.cpuMillis - sample.daemonSetRequested.cpuMillis,
    pods: sample.allocatable.pods - sample.daemonSetRequested.pods,
  };
}
