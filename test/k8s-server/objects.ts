/**
 * Builders for the Kubernetes objects of a Zero to JupyterHub deployment, as a real cluster serves them
 * (labels, annotations, owners, names and states taken from z2jh 3.x / 4.x and KubeSpawner 6 / 7).
 * Pure functions: same options, same object (uids are derived from names, times default to T0), so
 * tests can build expectations from them. The test server, scenarios and other engineers' tests share them.
 */
import { createHash } from 'node:crypto';
import { dumpYaml } from '@kubernetes/client-node';
import { kubespawner6PodName, kubespawner7PodName, safeSlug, escapeSlug } from './podNames';
import { hubValuesYaml, type HubValuesOptions } from './hubValues';
import type {
  ConfigMap,
  ContainerSpec,
  ContainerState,
  ContainerStateTerminated,
  ContainerStatus,
  CoreEvent,
  KubeObject,
  Node,
  NodeMetrics,
  ObjectReference,
  Pod,
  PodCondition,
  PodMetrics,
  PodPhase,
  ResourceRequirements,
  Secret,
} from './wireTypes';

export * from './podNames';
export * from './hubValues';
export type * from './wireTypes';

/** The default clock of every builder: a fixed instant, so objects are reproducible. */
export const T0 = '2025-06-02T13:00:00Z';

/** `T0 + seconds` (or `base + seconds`) as an RFC 3339 string without milliseconds, as Kubernetes writes. */
export function at(seconds: number, base: string = T0): string {
  return new Date(Date.parse(base) + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A stable UUID-shaped uid derived from the given parts. */
export function uidFor(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const hex = (seed: string, n: number) => createHash('sha256').update(seed).digest('hex').slice(0, n);
/** Kubernetes' random suffix alphabet (no vowels, no ambiguous characters). */
const suffix = (seed: string, n: number) => {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const bytes = createHash('sha256').update(seed).digest();
  return Array.from(bytes.subarray(0, n), (b) => alphabet[b % alphabet.length]).join('');
};

// ---------------------------------------------------------------------------------------------------
// Chart versions and labels

/** Helm chart version → JupyterHub version (z2jh-facts.md). */
export const jupyterhubVersionOfChart: Record<string, string> = {
  '3.0.0': '4.0.2',
  '3.2.1': '4.0.2',
  '3.3.0': '4.1.0',
  '3.3.3': '4.1.1',
  '3.3.7': '4.1.5',
  '3.3.8': '4.1.6',
  '4.0.0': '5.2.1',
  '4.1.0': '5.2.1',
  '4.2.0': '5.3.0',
  '4.3.0': '5.4.0',
  '4.3.1': '5.4.1',
  '4.3.2': '5.4.3',
  '4.3.3': '5.4.4',
  '4.4.0': '5.5.0',
};

/** A z2jh release: the namespace it lives in, its Helm release name and chart version. */
export interface Release {
  namespace: string;
  /** Helm release name; multi-hub operators often use the namespace. Default: the namespace. */
  release?: string;
  /** Chart version, e.g. '4.2.0' or '3.3.8'. Default '4.2.0' (JupyterHub 5.3.0). */
  chart?: string;
}

const chartOf = (r: Release) => r.chart ?? '4.2.0';
const releaseOf = (r: Release) => r.release ?? r.namespace;
const chartMajor = (r: Release) => Number(chartOf(r).split('.')[0]);
/** z2jh 4.1+ adds the app.kubernetes.io labels to its pods. */
const hasRecommendedLabels = (r: Release) => {
  const [major, minor] = chartOf(r).split('.').map(Number) as [number, number];
  return major > 4 || (major === 4 && minor >= 1);
};

/** The selector labels z2jh puts on the pods of one component. */
export function z2jhPodLabels(r: Release, component: string): Record<string, string> {
  const labels: Record<string, string> = { component, app: 'jupyterhub', release: releaseOf(r) };
  if (hasRecommendedLabels(r)) {
    labels['app.kubernetes.io/component'] = component;
    labels['app.kubernetes.io/name'] = 'jupyterhub';
    labels['app.kubernetes.io/instance'] = releaseOf(r);
  }
  return labels;
}

/** The labels of z2jh's workload objects (Deployments, Services…): selector labels plus chart labels. */
export function z2jhWorkloadLabels(r: Release, component: string): Record<string, string> {
  return {
    ...z2jhPodLabels(r, component),
    chart: `jupyterhub-${chartOf(r)}`,
    heritage: 'Helm',
    ...(hasRecommendedLabels(r)
      ? { 'helm.sh/chart': `jupyterhub-${chartOf(r)}`, 'app.kubernetes.io/managed-by': 'Helm' }
      : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Pod states

/** What a pod's (main) container is doing. */
export type ContainerCondition =
  | { state: 'running'; ready?: boolean; startedAt?: string }
  | { state: 'waiting'; reason: string; message?: string }
  | { state: 'terminated'; reason: string; exitCode: number; startedAt?: string; finishedAt?: string };

export interface PodStateOptions {
  /** Creation time (default T0). */
  created?: string;
  /** Node the pod is bound to; omit (with phase Pending) for an unscheduled pod. */
  node?: string;
  /** Default: Running when the container runs, else Pending. */
  phase?: PodPhase;
  /** Default: running and ready (when a node is set), else none. */
  container?: ContainerCondition;
  restartCount?: number;
  /** The previous run of the container (e.g. OOMKilled exit 137). */
  lastTerminated?: ContainerStateTerminated;
  /** For an unscheduled pod: the PodScheduled=False message (FailedScheduling text). */
  unschedulableMessage?: string;
  /** Pod-level status.reason / message, e.g. Evicted. */
  reason?: string;
  message?: string;
  /** Node the scheduler nominated after preempting (status.nominatedNodeName). */
  nominatedNodeName?: string;
  /** Extra labels / annotations merged over the defaults. */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
}

interface PodParts {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: KubeObject['metadata']['ownerReferences'];
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  spec?: Record<string, unknown>;
}

function containerStatus(
  c: ContainerSpec,
  state: ContainerState,
  ready: boolean,
  restartCount: number,
  lastState: ContainerState,
  podUid: string,
): ContainerStatus {
  const image = c.image.includes(':') ? c.image : `${c.image}:latest`;
  return {
    name: c.name,
    ready,
    started: !!state.running,
    restartCount,
    image,
    imageID: `${image.split(':')[0]}@sha256:${createHash('sha256').update(image).digest('hex')}`,
    ...(state.waiting && !restartCount
      ? {}
      : {
          containerID: `containerd://${createHash('sha256').update(`${podUid}/${c.name}/${restartCount}`).digest('hex')}`,
        }),
    state,
    lastState,
  };
}

function buildPod(parts: PodParts, o: PodStateOptions): Pod {
  const created = o.created ?? T0;
  const uid = o.uid ?? uidFor('pod', parts.namespace, parts.name);
  const scheduled = o.node !== undefined;
  const container: ContainerCondition | undefined =
    o.container ?? (scheduled ? { state: 'running', ready: true, startedAt: at(5, created) } : undefined);
  const phase: PodPhase =
    o.phase ??
    (container?.state === 'running' || (container && (o.restartCount ?? 0) > 0)
      ? 'Running'
      : container?.state === 'terminated'
        ? container.exitCode === 0
          ? 'Succeeded'
          : 'Failed'
        : 'Pending');
  const ready = container?.state === 'running' && container.ready !== false;

  const mainState = (): ContainerState => {
    if (!container) return {};
    if (container.state === 'running') return { running: { startedAt: container.startedAt ?? at(5, created) } };
    if (container.state === 'waiting')
      return { waiting: { reason: container.reason, ...(container.message ? { message: container.message } : {}) } };
    return {
      terminated: {
        exitCode: container.exitCode,
        reason: container.reason,
        startedAt: container.startedAt ?? at(5, created),
        finishedAt: container.finishedAt ?? at(60, created),
        containerID: `containerd://${hex(`${uid}/term`, 64)}`,
      },
    };
  };
  const lastState: ContainerState = o.lastTerminated
    ? { terminated: { containerID: `containerd://${hex(`${uid}/last`, 64)}`, ...o.lastTerminated } }
    : {};

  const conditions: PodCondition[] = [];
  const cond = (type: string, status: boolean, extra: Partial<PodCondition> = {}): PodCondition => ({
    type,
    status: status ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: created,
    ...extra,
  });
  if (scheduled) {
    // The sandbox exists unless the container is still being created.
    conditions.push(
      cond(
        'PodReadyToStartContainers',
        !!container && !(container.state === 'waiting' && container.reason === 'ContainerCreating'),
      ),
    );
    conditions.push(cond('Initialized', true));
    conditions.push(cond('Ready', ready, ready ? {} : { reason: 'ContainersNotReady' }));
    conditions.push(cond('ContainersReady', ready, ready ? {} : { reason: 'ContainersNotReady' }));
    conditions.push(cond('PodScheduled', true));
  } else if (phase === 'Pending') {
    conditions.push(
      cond('PodScheduled', false, {
        reason: 'Unschedulable',
        message: o.unschedulableMessage ?? '0/5 nodes are available: 5 Insufficient memory.',
      }),
    );
  }

  const statuses =
    scheduled && container
      ? parts.containers.map((c, i) =>
          i === 0
            ? containerStatus(c, mainState(), ready, o.restartCount ?? 0, lastState, uid)
            : containerStatus(c, { running: { startedAt: at(5, created) } }, true, 0, {}, uid),
        )
      : undefined;

  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: parts.name,
      namespace: parts.namespace,
      uid,
      creationTimestamp: created,
      labels: { ...parts.labels, ...o.labels },
      ...(parts.annotations || o.annotations ? { annotations: { ...parts.annotations, ...o.annotations } } : {}),
      ...(parts.ownerReferences ? { ownerReferences: parts.ownerReferences } : {}),
    },
    spec: {
      ...(parts.initContainers ? { initContainers: parts.initContainers } : {}),
      containers: parts.containers,
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      ...parts.spec,
      ...(o.node ? { nodeName: o.node } : {}),
    },
    status: {
      phase,
      conditions,
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.message ? { message: o.message } : {}),
      ...(o.nominatedNodeName ? { nominatedNodeName: o.nominatedNodeName } : {}),
      ...(scheduled ? { hostIP: nodeIp(o.node!), podIP: podIp(parts.namespace, parts.name) } : {}),
      ...(scheduled ? { startTime: created } : {}),
      ...(statuses ? { containerStatuses: statuses } : {}),
      qosClass: qosClass(parts.containers),
    },
  };
}

function qosClass(containers: ContainerSpec[]): string {
  const any = containers.some((c) => c.resources?.requests || c.resources?.limits);
  if (!any) return 'BestEffort';
  const guaranteed = containers.every(
    (c) =>
      c.resources?.limits?.memory &&
      c.resources.limits.cpu &&
      (c.resources.requests?.memory ?? c.resources.limits.memory) === c.resources.limits.memory,
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const ipFrom = (seed: string, prefix: string) => {
  const b = createHash('sha256').update(seed).digest();
  return `${prefix}.${b[0]! % 250}.${(b[1]! % 250) + 2}`;
};
const nodeIp = (node: string) => ipFrom(node, '10.128');
const podIp = (ns: string, name: string) => ipFrom(`${ns}/${name}`, '10.4');

/** The "owned by a ReplicaSet" name and owner of a Deployment's pod. */
function deploymentPod(namespace: string, deployment: string, revision: string) {
  const rs = `${deployment}-${hex(`${namespace}/${deployment}/${revision}`, 9).replace(/^[0-9]/, '7')}`;
  return {
    name: `${rs}-${suffix(`${namespace}/${rs}/${revision}`, 5)}`,
    templateHash: rs.slice(deployment.length + 1),
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: rs,
        uid: uidFor('rs', namespace, rs),
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------
// z2jh pods

export interface HubPodOptions extends Release, PodStateOptions {
  /** Resources of the hub container, e.g. { requests: { memory: '128Mi' }, limits: { memory: '2Gi' } }. */
  resources?: ResourceRequirements;
  /** Changes the ReplicaSet hash (a new rollout). */
  revision?: string;
  /** Override the pod name. */
  name?: string;
  /** The Secret mounted as volume `secret` (z2jh: the hub's fullname, `hub` by default). */
  secretName?: string;
  /** The ConfigMap mounted as volume `config` (default `hub`). */
  configMapName?: string;
}

/**
 * The hub pod (Deployment `hub`, container `hub`, port 8081, the hub DB PVC at /srv/jupyterhub, the
 * `hub` ConfigMap as volume `config` and the `hub` Secret, with values.yaml, as volume `secret`).
 */
export function hubPod(o: HubPodOptions): Pod {
  const owner = deploymentPod(o.namespace, 'hub', o.revision ?? chartOf(o));
  return buildPod(
    {
      namespace: o.namespace,
      name: o.name ?? owner.name,
      labels: {
        ...z2jhPodLabels(o, 'hub'),
        'hub.jupyter.org/network-access-proxy-api': 'true',
        'hub.jupyter.org/network-access-proxy-http': 'true',
        'hub.jupyter.org/network-access-singleuser': 'true',
        'pod-template-hash': owner.templateHash,
      },
      annotations: {
        'checksum/config-map': hex(`${o.namespace}/cm`, 64),
        'checksum/secret': hex(`${o.namespace}/secret`, 64),
      },
      ownerReferences: owner.ownerReferences,
      containers: [
        {
          name: 'hub',
          image: `quay.io/jupyterhub/k8s-hub:${chartOf(o)}`,
          args: ['jupyterhub', '--config', '/usr/local/etc/jupyterhub/jupyterhub_config.py', '--upgrade-db'],
          ports: [{ containerPort: 8081, name: 'http', protocol: 'TCP' }],
          resources: o.resources ?? {},
          volumeMounts: [
            {
              mountPath: '/usr/local/etc/jupyterhub/jupyterhub_config.py',
              name: 'config',
              subPath: 'jupyterhub_config.py',
            },
            { mountPath: '/usr/local/etc/jupyterhub/z2jh.py', name: 'config', subPath: 'z2jh.py' },
            { mountPath: '/usr/local/etc/jupyterhub/config/', name: 'config' },
            { mountPath: '/usr/local/etc/jupyterhub/secret/', name: 'secret' },
            { mountPath: '/srv/jupyterhub', name: 'pvc' },
          ],
          readinessProbe: { httpGet: { path: '/hub/health', port: 'http' }, periodSeconds: 2, failureThreshold: 1000 },
          livenessProbe: {
            httpGet: { path: '/hub/health', port: 'http' },
            periodSeconds: 10,
            failureThreshold: 30,
            initialDelaySeconds: 300,
          },
          securityContext: { runAsUser: 1000, runAsGroup: 1000, allowPrivilegeEscalation: false },
        },
      ],
      spec: {
        serviceAccountName: 'hub',
        volumes: [
          { name: 'config', configMap: { name: o.configMapName ?? 'hub' } },
          { name: 'secret', secret: { secretName: o.secretName ?? 'hub' } },
          { name: 'pvc', persistentVolumeClaim: { claimName: 'hub-db-dir' } },
        ],
        nodeSelector: { 'hub.jupyter.org/node-purpose': 'core' },
        securityContext: { fsGroup: 1000 },
      },
    },
    o,
  );
}

export interface SimplePodOptions extends Release, PodStateOptions {
  resources?: ResourceRequirements;
  revision?: string;
  name?: string;
}

/** The proxy pod (Deployment `proxy`, container `chp`). */
export function proxyPod(o: SimplePodOptions): Pod {
  const owner = deploymentPod(o.namespace, 'proxy', o.revision ?? chartOf(o));
  return buildPod(
    {
      namespace: o.namespace,
      name: o.name ?? owner.name,
      labels: {
        ...z2jhPodLabels(o, 'proxy'),
        'hub.jupyter.org/network-access-hub': 'true',
        'hub.jupyter.org/network-access-singleuser': 'true',
        'pod-template-hash': owner.templateHash,
      },
      ownerReferences: owner.ownerReferences,
      containers: [
        {
          name: 'chp',
          image: `quay.io/jupyterhub/configurable-http-proxy:${chartMajor(o) >= 4 ? '4.6.3' : '4.6.1'}`,
          ports: [
            { containerPort: 8000, name: 'http', protocol: 'TCP' },
            { containerPort: 8001, name: 'api', protocol: 'TCP' },
          ],
          resources: o.resources ?? {},
        },
      ],
      spec: { nodeSelector: { 'hub.jupyter.org/node-purpose': 'core' } },
    },
    o,
  );
}

/** One replica of the user-scheduler Deployment (container `kube-scheduler`). */
export function userSchedulerPod(o: SimplePodOptions & { replica?: number }): Pod {
  const owner = deploymentPod(o.namespace, 'user-scheduler', o.revision ?? chartOf(o));
  const name = `${owner.name.slice(0, -5)}${suffix(`${o.namespace}/us/${o.replica ?? 0}`, 5)}`;
  return buildPod(
    {
      namespace: o.namespace,
      name: o.name ?? name,
      labels: { ...z2jhPodLabels(o, 'user-scheduler'), 'pod-template-hash': owner.templateHash },
      ownerReferences: owner.ownerReferences,
      containers: [
        {
          name: 'kube-scheduler',
          image: `registry.k8s.io/kube-scheduler:${chartMajor(o) >= 4 ? 'v1.30.8' : 'v1.28.11'}`,
          resources: o.resources ?? {},
        },
      ],
      spec: { serviceAccountName: 'user-scheduler' },
    },
    o,
  );
}

export interface UserResources {
  /** Memory request, e.g. '256M', '1G' or a plain byte count like '1073741824'. Default '1073741824'. */
  memoryRequest?: string;
  memoryLimit?: string;
  cpuRequest?: string;
  cpuLimit?: string;
}

function userContainerResources(r: UserResources): ResourceRequirements {
  const requests: Record<string, string> = { memory: r.memoryRequest ?? '1073741824' };
  if (r.cpuRequest) requests.cpu = r.cpuRequest;
  const limits: Record<string, string> = {};
  if (r.memoryLimit) limits.memory = r.memoryLimit;
  if (r.cpuLimit) limits.cpu = r.cpuLimit;
  return Object.keys(limits).length ? { requests, limits } : { requests };
}

/** A user-placeholder StatefulSet pod (`user-placeholder-N`, container `pause`, priority −10). */
export function placeholderPod(o: Release & PodStateOptions & UserResources & { index: number }): Pod {
  const release = releaseOf(o);
  const revision = `user-placeholder-${hex(`${o.namespace}/ph`, 10).replace(/^[0-9]/, '6')}`;
  return buildPod(
    {
      namespace: o.namespace,
      name: `user-placeholder-${o.index}`,
      labels: {
        ...z2jhPodLabels(o, 'user-placeholder'),
        'controller-revision-hash': revision,
        'statefulset.kubernetes.io/pod-name': `user-placeholder-${o.index}`,
        'apps.kubernetes.io/pod-index': String(o.index),
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          name: 'user-placeholder',
          uid: uidFor('sts', o.namespace, 'user-placeholder'),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: userContainerResources(o) }],
      spec: {
        priorityClassName: `${release}-user-placeholder-priority`,
        priority: -10,
        schedulerName: `${release}-user-scheduler`,
        tolerations: userTolerations,
        nodeSelector: { 'hub.jupyter.org/node-purpose': 'user' },
        terminationGracePeriodSeconds: 0,
      },
    },
    o,
  );
}

const userTolerations = [
  { effect: 'NoSchedule', key: 'hub.jupyter.org/dedicated', operator: 'Equal', value: 'user' },
  { effect: 'NoSchedule', key: 'hub.jupyter.org_dedicated', operator: 'Equal', value: 'user' },
];

export interface UserPodOptions extends Release, PodStateOptions, UserResources {
  /** The raw JupyterHub user name, e.g. 'li.wei'. */
  username: string;
  /** Named server, '' (default) for the default server. */
  servername?: string;
  /** Default: 7 for chart 4.x, 6 for 3.x. */
  kubespawner?: 6 | 7;
}

/** A user server pod as KubeSpawner 6 (z2jh 3.x) or 7 (z2jh 4.x) creates it. */
export function userPod(o: UserPodOptions): Pod {
  const ks = o.kubespawner ?? (chartMajor(o) >= 4 ? 7 : 6);
  const server = o.servername ?? '';
  const release = releaseOf(o);
  const jh = jupyterhubVersionOfChart[chartOf(o)] ?? (chartMajor(o) >= 4 ? '5.3.0' : '4.1.6');
  const name = ks === 7 ? kubespawner7PodName(o.username, server) : kubespawner6PodName(o.username, server);
  const labels: Record<string, string> = {
    component: 'singleuser-server',
    app: 'jupyterhub',
    release,
    chart: `jupyterhub-${chartOf(o)}`,
    heritage: 'jupyterhub',
    'hub.jupyter.org/network-access-hub': 'true',
  };
  if (ks === 7) {
    labels['app.kubernetes.io/component'] = 'singleuser-server';
    labels['hub.jupyter.org/username'] = safeSlug(o.username);
    labels['hub.jupyter.org/servername'] = server ? safeSlug(server) : '';
    if (hasRecommendedLabels(o)) {
      labels['app.kubernetes.io/name'] = 'jupyterhub';
      labels['app.kubernetes.io/instance'] = release;
      labels['helm.sh/chart'] = `jupyterhub-${chartOf(o)}`;
      labels['app.kubernetes.io/managed-by'] = 'kubespawner';
    }
  } else {
    labels['hub.jupyter.org/username'] = escapeSlug(o.username);
    labels['hub.jupyter.org/servername'] = escapeSlug(server);
  }
  const annotations: Record<string, string> = { 'hub.jupyter.org/username': o.username };
  if (server) annotations['hub.jupyter.org/servername'] = server;
  if (ks === 7) {
    annotations['hub.jupyter.org/kubespawner-version'] = '7.0.0';
    annotations['hub.jupyter.org/jupyterhub-version'] = jh;
  }
  return buildPod(
    {
      namespace: o.namespace,
      name,
      labels,
      annotations,
      initContainers: [
        {
          name: 'block-cloud-metadata',
          image: `quay.io/jupyterhub/k8s-network-tools:${chartOf(o)}`,
          command: [
            'iptables',
            '--append',
            'OUTPUT',
            '--protocol',
            'tcp',
            '--destination',
            '169.254.169.254',
            '--destination-port',
            '80',
            '--jump',
            'DROP',
          ],
        },
      ],
      containers: [
        {
          name: 'notebook',
          image: 'quay.io/jupyterhub/k8s-singleuser-sample:' + chartOf(o),
          args: ['jupyterhub-singleuser'],
          ports: [{ containerPort: 8888, name: 'notebook-port', protocol: 'TCP' }],
          resources: userContainerResources(o),
          env: [
            { name: 'JUPYTERHUB_USER', value: o.username },
            { name: 'JUPYTERHUB_SERVER_NAME', value: server },
          ],
        },
      ],
      spec: {
        restartPolicy: 'OnFailure',
        automountServiceAccountToken: false,
        priorityClassName: `${release}-default-priority`,
        priority: 0,
        schedulerName: `${release}-user-scheduler`,
        tolerations: userTolerations,
        nodeSelector: { 'hub.jupyter.org/node-purpose': 'user' },
        securityContext: { fsGroup: 100 },
      },
    },
    o,
  );
}

/** A continuous-image-puller (DaemonSet) or hook-image-puller pod on one node. */
export function imagePullerPod(o: Release & PodStateOptions & { kind: 'continuous' | 'hook'; node: string }): Pod {
  const component = `${o.kind}-image-puller`;
  return buildPod(
    {
      namespace: o.namespace,
      name: `${component}-${suffix(`${o.namespace}/${component}/${o.node}`, 5)}`,
      labels: {
        ...z2jhPodLabels(o, component),
        'controller-revision-hash': hex(`${o.namespace}/${component}`, 10),
        'pod-template-generation': '1',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          name: component,
          uid: uidFor('ds', o.namespace, component),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      initContainers: [
        { name: 'image-pull-singleuser', image: `quay.io/jupyterhub/k8s-singleuser-sample:${chartOf(o)}` },
      ],
      containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10' }],
      spec: { tolerations: userTolerations },
    },
    o,
  );
}

// ---------------------------------------------------------------------------------------------------
// Nodes, namespaces, services

export interface NodeOptions {
  name: string;
  /** z2jh node purpose; user nodes get the dedicated=user taint. Default 'user'. */
  pool?: 'core' | 'user';
  /** Node-pool name as the cloud labels it. Default `${pool}-pool`. */
  poolName?: string;
  /** Allocatable memory, e.g. '15Gi' or bytes. Default '15399096Ki' (an n2-highmem-2-like node). */
  memory?: string;
  cpu?: string;
  ready?: boolean;
  created?: string;
  unschedulable?: boolean;
  labels?: Record<string, string>;
}

export function node(o: NodeOptions): Node {
  const pool = o.pool ?? 'user';
  const poolName = o.poolName ?? `${pool}-pool`;
  const created = o.created ?? at(-86400);
  const memory = o.memory ?? '15399096Ki';
  const ready = o.ready ?? true;
  const cond = (type: string, status: boolean, reason: string, message: string) => ({
    type,
    status: status ? 'True' : 'False',
    lastHeartbeatTime: created,
    lastTransitionTime: created,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: o.name,
      uid: uidFor('node', o.name),
      creationTimestamp: created,
      labels: {
        'kubernetes.io/hostname': o.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': pool === 'core' ? 'n2-standard-2' : 'n2-highmem-4',
        'topology.kubernetes.io/region': 'us-central1',
        'topology.kubernetes.io/zone': 'us-central1-b',
        'cloud.google.com/gke-nodepool': poolName,
        'hub.jupyter.org/node-purpose': pool,
        ...o.labels,
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: ipFrom(o.name, '10.4') + '/24',
      providerID: `gce://hub-project/us-central1-b/${o.name}`,
      ...(pool === 'user'
        ? { taints: [{ key: 'hub.jupyter.org_dedicated', value: 'user', effect: 'NoSchedule' }] }
        : {}),
      ...(o.unschedulable ? { unschedulable: true } : {}),
    },
    status: {
      capacity: { cpu: o.cpu ?? (pool === 'core' ? '2' : '4'), memory, pods: '110', 'ephemeral-storage': '98831908Ki' },
      allocatable: {
        cpu: pool === 'core' ? '1930m' : '3920m',
        memory,
        pods: '110',
        'ephemeral-storage': '47060071478',
      },
      conditions: [
        cond('MemoryPressure', false, 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', false, 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', false, 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond(
          'Ready',
          ready,
          ready ? 'KubeletReady' : 'KubeletNotReady',
          ready ? 'kubelet is posting ready status' : 'container runtime is down',
        ),
      ],
      addresses: [
        { type: 'InternalIP', address: nodeIp(o.name) },
        { type: 'Hostname', address: o.name },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.31.6-gke.1020000',
        containerRuntimeVersion: 'containerd://1.7.24',
        osImage: 'Container-Optimized OS from Google',
        kernelVersion: '6.1.112+',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

export function namespace(name: string, o: { created?: string; labels?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid: uidFor('ns', name),
      creationTimestamp: o.created ?? at(-30 * 86400),
      labels: { 'kubernetes.io/metadata.name': name, ...o.labels },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/** The hub's ClusterIP service (`hub`, port 8081 named `hub`): the metrics proxy goes through it. */
export function hubService(r: Release): KubeObject {
  return service(r, 'hub', 'hub', [{ name: 'hub', port: 8081, targetPort: 'http', protocol: 'TCP' }], {
    'prometheus.io/scrape': 'true',
    'prometheus.io/path': '/hub/metrics',
    'prometheus.io/port': '8081',
  });
}

export function proxyPublicService(r: Release): KubeObject {
  const s = service(r, 'proxy-public', 'proxy', [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
  (s.spec as Record<string, unknown>).type = 'LoadBalancer';
  return s;
}

export function proxyApiService(r: Release): KubeObject {
  return service(r, 'proxy-api', 'proxy', [{ port: 8001, targetPort: 'api', protocol: 'TCP' }]);
}

// ---------------------------------------------------------------------------------------------------
// The hub's Secret and ConfigMap

export interface HubSecretOptions extends HubValuesOptions {
  /** Secret name (default `hub`; the hub pod's `secretName` must match). */
  name?: string;
  /** values.yaml text as given (e.g. malformed); null = no values.yaml key. Default: rendered values. */
  valuesYaml?: string | null;
  created?: string;
}

/** Helm 3's ownership annotations on every object of a release. */
const helmAnnotations = (r: Release) => ({
  'meta.helm.sh/release-name': releaseOf(r),
  'meta.helm.sh/release-namespace': r.namespace,
});
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * The z2jh `hub` Secret: the merged Helm values as `values.yaml` (where the hub's config loader, and
 * this extension, read `hub.concurrentSpawnLimit`) and the generated proxy token, cookie secret and
 * auth-state key. `data` is base64, as served.
 */
export function hubSecret(r: Release, o: HubSecretOptions = {}): Secret {
  const name = o.name ?? 'hub';
  const values =
    o.valuesYaml === undefined
      ? hubValuesYaml({ ...r, appVersion: jupyterhubVersionOfChart[chartOf(r)] ?? '5.3.0' }, o)
      : o.valuesYaml;
  const data: Record<string, string> = {
    'hub.config.ConfigurableHTTPProxy.auth_token': base64(hex(`${r.namespace}/proxy-token`, 64)),
    'hub.config.CryptKeeper.keys': base64(hex(`${r.namespace}/crypt-key`, 64)),
    'hub.config.JupyterHub.cookie_secret': base64(hex(`${r.namespace}/cookie-secret`, 64)),
  };
  if (values !== null) data['values.yaml'] = base64(values);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace: r.namespace,
      uid: uidFor('secret', r.namespace, name),
      creationTimestamp: o.created ?? at(-7 * 86400),
      labels: z2jhWorkloadLabels(r, 'hub'),
      annotations: helmAnnotations(r),
    },
    type: 'Opaque',
    data,
  };
}

/**
 * The z2jh `hub` ConfigMap: the hub's config loader files (z2jh 1.0+ keeps the values in the Secret,
 * not here). `valuesYaml` adds a values.yaml key, as some older or hand-made setups have.
 */
export function hubConfigMap(r: Release, o: { name?: string; valuesYaml?: string; created?: string } = {}): ConfigMap {
  const name = o.name ?? 'hub';
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: r.namespace,
      uid: uidFor('cm', r.namespace, name),
      creationTimestamp: o.created ?? at(-7 * 86400),
      labels: z2jhWorkloadLabels(r, 'hub'),
      annotations: helmAnnotations(r),
    },
    data: {
      'checksum_hook-image-puller': hex(`${r.namespace}/hook-image-puller`, 64),
      'jupyterhub_config.py': [
        '# Reads the chart values from the mounted Secret (values.yaml) and sets the traits they name.',
        'from z2jh import get_config, set_config_if_not_none',
        '',
        'set_config_if_not_none(c.JupyterHub, "concurrent_spawn_limit", "hub.concurrentSpawnLimit")',
        '',
      ].join('\n'),
      'z2jh.py': '# Helpers for jupyterhub_config.py: chart values and secrets from the mounted files.\n',
      ...(o.valuesYaml !== undefined ? { 'values.yaml': o.valuesYaml } : {}),
    },
  };
}

/** The CA bundle ConfigMap Kubernetes publishes in every namespace. */
export function kubeRootCaConfigMap(namespace: string, created: string = at(-30 * 86400)): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'kube-root-ca.crt',
      namespace,
      uid: uidFor('cm', namespace, 'kube-root-ca.crt'),
      creationTimestamp: created,
    },
    data: {
      'ca.crt': `-----BEGIN CERTIFICATE-----\n${base64(hex(`${namespace}/ca`, 48))}\n-----END CERTIFICATE-----\n`,
    },
  };
}

function service(
  r: Release,
  name: string,
  component: string,
  ports: Record<string, unknown>[],
  annotations?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: r.namespace,
      uid: uidFor('svc', r.namespace, name),
      creationTimestamp: at(-7 * 86400),
      labels: z2jhWorkloadLabels(r, component),
      ...(annotations ? { annotations } : {}),
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: ipFrom(`${r.namespace}/${name}`, '10.8'),
      ports,
      selector: { component, release: releaseOf(r) },
    },
    status: { loadBalancer: {} },
  };
}

// ---------------------------------------------------------------------------------------------------
// Events

export interface EventOptions {
  /** The object the event is about (a built pod or node, or a reference). */
  involved: KubeObject | ObjectReference;
  reason: string;
  message: string;
  type?: 'Normal' | 'Warning';
  /** Who reported it: 'default-scheduler', 'kubelet', 'cluster-autoscaler', 'kernel-monitor'… */
  source?: string;
  /** Node name for kubelet/node-problem-detector events. */
  host?: string;
  first?: string;
  last?: string;
  count?: number;
  /** Namespace of the event; default the involved object's ('default' for nodes, as the real ones). */
  namespace?: string;
  /** Container the event is about, e.g. 'hub' → fieldPath spec.containers{hub}. */
  container?: string;
  /** Distinguishes several events with the same involved object and reason. */
  seq?: number;
}

function referenceOf(o: KubeObject | ObjectReference): ObjectReference {
  if ('metadata' in o && o.metadata) {
    const obj = o as KubeObject;
    return {
      kind: obj.kind,
      ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
      name: obj.metadata.name,
      uid: obj.metadata.uid ?? uidFor(obj.kind, obj.metadata.name),
      apiVersion: obj.apiVersion,
      ...(obj.metadata.resourceVersion ? { resourceVersion: obj.metadata.resourceVersion } : {}),
    };
  }
  return o as ObjectReference;
}

/** A core/v1 Event named as the real ones (`<object>.<hex>`). */
export function event(o: EventOptions): CoreEvent {
  const ref = referenceOf(o.involved);
  if (o.container) ref.fieldPath = `spec.containers{${o.container}}`;
  const ns = o.namespace ?? ref.namespace ?? 'default';
  const first = o.first ?? T0;
  const source = o.source ?? 'kubelet';
  const name = `${ref.name}.${hex(`${ns}/${ref.name}/${o.reason}/${o.seq ?? 0}/${first}`, 16)}`;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: ns, uid: uidFor('event', ns, name), creationTimestamp: first },
    involvedObject: ref,
    reason: o.reason,
    message: o.message,
    type: o.type ?? 'Normal',
    count: o.count ?? 1,
    firstTimestamp: first,
    lastTimestamp: o.last ?? first,
    eventTime: null,
    source: { component: source, ...(o.host ? { host: o.host } : {}) },
    reportingComponent: source,
    reportingInstance: o.host ?? '',
  };
}

// ---------------------------------------------------------------------------------------------------
// Metrics

/** PodMetrics for a pod: usage per container, memory = working set (e.g. '1536Mi' or '408Ki'). */
export function podMetrics(
  pod: Pod,
  usage: Record<string, { cpu: string; memory: string }>,
  timestamp: string = T0,
): PodMetrics {
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace!,
      creationTimestamp: timestamp,
      labels: pod.metadata.labels ?? {},
    },
    timestamp,
    window: '30s',
    containers: pod.spec.containers.filter((c) => usage[c.name]).map((c) => ({ name: c.name, usage: usage[c.name]! })),
  };
}

export function nodeMetrics(n: Node, usage: { cpu: string; memory: string }, timestamp: string = T0): NodeMetrics {
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'NodeMetrics',
    metadata: { name: n.metadata.name, creationTimestamp: timestamp, labels: n.metadata.labels ?? {} },
    timestamp,
    window: '20.05s',
    usage,
  };
}

// ---------------------------------------------------------------------------------------------------
// Common container states, in the words kubelet uses

/** The hub killed for memory: lastState terminated OOMKilled, exit 137. */
export function oomKilled(startedAt: string, finishedAt: string): ContainerStateTerminated {
  return { exitCode: 137, reason: 'OOMKilled', startedAt, finishedAt };
}

/** A crash loop's waiting state. */
export function crashLoopBackOff(
  pod: { namespace: string; name: string; uid?: string },
  container: string,
  backoff = '5m0s',
) {
  return {
    state: 'waiting' as const,
    reason: 'CrashLoopBackOff',
    message: `back-off ${backoff} restarting failed container=${container} pod=${pod.name}_${pod.namespace}(${pod.uid ?? uidFor('pod', pod.namespace, pod.name)})`,
  };
}

// ---------------------------------------------------------------------------------------------------
// The cluster autoscaler's status

/** One node group as the cluster autoscaler reports it. */
export interface NodeGroupState {
  /** The provider's name: a GCE instance group URL, an ASG name, `MachineSet/ns/name`… */
  name: string;
  ready: number;
  /** Registered nodes (ready or not). Default: `ready`. */
  registered?: number;
  /** The size the cloud provider is asked for. Default: `registered`. */
  target?: number;
  min: number;
  max: number;
  scaleUp?: 'NoActivity' | 'InProgress' | 'Backoff';
}

/** cluster-autoscaler's probe times carry the monotonic clock reading Go prints after the wall time. */
const goTime = (iso: string) => `${iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '.123456789')} +0000 UTC`;

/**
 * ConfigMap `kube-system/cluster-autoscaler-status` as an in-cluster cluster-autoscaler writes it:
 * the YAML format of 1.30+ (`format: 'yaml'`, default) or the text of earlier releases.
 */
export function autoscalerStatusConfigMap(o: {
  time: string;
  groups: NodeGroupState[];
  format?: 'yaml' | 'text';
}): ConfigMap {
  const groups = o.groups.map((g) => ({
    ...g,
    registered: g.registered ?? g.ready,
    target: g.target ?? g.registered ?? g.ready,
    scaleUp: g.scaleUp ?? 'NoActivity',
  }));
  const ready = groups.reduce((s, g) => s + g.ready, 0);
  const registered = groups.reduce((s, g) => s + g.registered, 0);
  const inProgress = groups.some((g) => g.scaleUp === 'InProgress');
  const status =
    (o.format ?? 'yaml') === 'yaml'
      ? dumpYaml(
          {
            time: goTime(o.time),
            autoscalerStatus: 'Running',
            clusterWide: {
              health: {
                status: 'Healthy',
                nodeCounts: {
                  registered: { total: registered, ready, notStarted: registered - ready },
                  longUnregistered: 0,
                  unregistered: 0,
                },
                lastProbeTime: o.time,
                lastTransitionTime: o.time,
              },
              scaleUp: {
                status: inProgress ? 'InProgress' : 'NoActivity',
                lastProbeTime: o.time,
                lastTransitionTime: o.time,
              },
              scaleDown: { status: 'NoCandidates', lastProbeTime: o.time, lastTransitionTime: o.time },
            },
            nodeGroups: groups.map((g) => ({
              name: g.name,
              health: {
                status: 'Healthy',
                nodeCounts: {
                  registered: { total: g.registered, ready: g.ready, notStarted: g.registered - g.ready },
                  longUnregistered: 0,
                  unregistered: g.target - g.registered,
                },
                cloudProviderTarget: g.target,
                minSize: g.min,
                maxSize: g.max,
                lastProbeTime: o.time,
                lastTransitionTime: o.time,
              },
              scaleUp: { status: g.scaleUp, lastProbeTime: o.time, lastTransitionTime: o.time },
              scaleDown: { status: 'NoCandidates', lastProbeTime: o.time, lastTransitionTime: o.time },
            })),
          },
          { lineWidth: -1 },
        )
      : [
          `Cluster-autoscaler status at ${goTime(o.time)}:`,
          'Cluster-wide:',
          `  Health:      Healthy (ready=${ready} unready=0 (resourceUnready=0) notStarted=${registered - ready} longNotStarted=0 registered=${registered} longUnregistered=0)`,
          `               LastProbeTime:      ${goTime(o.time)}`,
          `  ScaleUp:     ${inProgress ? 'InProgress' : 'NoActivity'} (ready=${ready} registered=${registered})`,
          `               LastProbeTime:      ${goTime(o.time)}`,
          '  ScaleDown:   NoCandidates (candidates=0)',
          '',
          'NodeGroups:',
          ...groups.flatMap((g) => [
            `  Name:        ${g.name}`,
            `  Health:      Healthy (ready=${g.ready} unready=0 (resourceUnready=0) notStarted=${g.registered - g.ready} longNotStarted=0 registered=${g.registered} longUnregistered=0 cloudProviderTarget=${g.target} (minSize=${g.min}, maxSize=${g.max}))`,
            `               LastProbeTime:      ${goTime(o.time)}`,
            `  ScaleUp:     ${g.scaleUp} (ready=${g.ready} cloudProviderTarget=${g.target})`,
            `               LastProbeTime:      ${goTime(o.time)}`,
            '  ScaleDown:   NoCandidates (candidates=0)',
            '',
          ]),
        ].join('\n');
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'cluster-autoscaler-status',
      namespace: 'kube-system',
      uid: uidFor('cm', 'kube-system', 'cluster-autoscaler-status'),
      annotations: { 'cluster-autoscaler.kubernetes.io/last-updated': goTime(o.time) },
    },
    data: { status },
  };
}
