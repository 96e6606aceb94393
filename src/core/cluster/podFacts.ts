import type { V1Pod } from '@kubernetes/client-node';
import type { OomCandidate } from './clusterEvents';
import { toIso, toMillis } from './kubeTime';
import type { PodModel, PodUser } from './model';
import { memoryLimit } from './podMemory';
import { podStatusWord, restartsOf } from './podTermination';
import { userServerOf } from './userServer';
import { componentOf, isJupyterHubPod, podRole, releaseOf } from './z2jhLabels';

/** What a pod object says on its own, without events, metrics, logs or the time. */
export interface PodFacts extends Pick<
  PodModel,
  'name' | 'uid' | 'role' | 'component' | 'phase' | 'status' | 'ready' | 'node' | 'createdAt' | 'restarts'
> {
  jupyterhub: boolean;
  namespace: string;
  /** `namespace/name`. */
  key: string;
  /** The Helm release label, or null. */
  release: string | null;
  /** The main container's name and memory limit (see podMemory). */
  container: string | null;
  limitBytes: number | null;
  oom: OomCandidate;
  user: PodUser | undefined;
}

/**
 * Facts are computed once per pod object. The informers keep a pod's object until the pod changes, and a
 * change brings a new object, so a rebuild of 10,000 pods computes only the pods that changed; nothing here
 * may be derived from anything but the pod.
 */
const known = new WeakMap<V1Pod, PodFacts>();

export function podFacts(pod: V1Pod): PodFacts {
  let facts = known.get(pod);
  if (!facts) {
    facts = computeFacts(pod);
    known.set(pod, facts);
  }
  return facts;
}

function computeFacts(pod: V1Pod): PodFacts {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const key = `${namespace}/${name}`;
  const uid = pod.metadata?.uid ?? '';
  const role = podRole(pod);
  const { container, limitBytes } = memoryLimit(pod, role);
  const node = pod.spec?.nodeName ?? null;
  return {
    jupyterhub: isJupyterHubPod(pod),
    namespace,
    name,
    key,
    uid,
    release: releaseOf(pod),
    role,
    component: componentOf(pod),
    phase: pod.status?.phase ?? 'Unknown',
    status: podStatusWord(pod),
    ready: pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
    node,
    createdAt: toIso(pod.metadata?.creationTimestamp),
    restarts: restartsOf(pod),
    container,
    limitBytes,
    oom: {
      key,
      name,
      uid,
      node,
      isUserServer: role === 'user',
      limitBytes,
      createdMs: toMillis(pod.metadata?.creationTimestamp),
    },
    user: role === 'user' ? userServerOf(pod) : undefined,
  };
}
