/**
 * The resources the test server serves, and the discovery documents kubectl reads before anything else
 * (APIVersions, APIGroupList, APIResourceList).
 */
export type StoreName = 'namespaces' | 'nodes' | 'pods' | 'services' | 'events' | 'secrets' | 'configmaps';

export interface ResourceDef {
  /** Plural resource name in URLs and RBAC messages. */
  name: string;
  singularName: string;
  kind: string;
  group: string;
  version: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  /** Which state store holds the objects (events.k8s.io/v1 events are a view of core events). */
  store: StoreName | 'podmetrics' | 'nodemetrics';
  /** Field selectors the real API server accepts for this resource. */
  fieldSelectors: readonly string[];
  fieldAliases?: Record<string, string>;
}

const meta = ['metadata.name', 'metadata.namespace'];
const readVerbs = ['get', 'list', 'watch'];

/** The field selectors on an event's object reference (`involvedObject` in core/v1, `regarding` in events.k8s.io/v1). */
const objectFields = (ref: string) =>
  ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((f) => `${ref}.${f}`);

/** Events, served by both APIs from one store. */
function eventResource(group: string, fields: string[], fieldAliases?: Record<string, string>): ResourceDef {
  return {
    name: 'events',
    singularName: 'event',
    kind: 'Event',
    group,
    version: 'v1',
    namespaced: true,
    verbs: readVerbs,
    shortNames: ['ev'],
    store: 'events',
    fieldSelectors: [...meta, ...fields],
    ...(fieldAliases ? { fieldAliases } : {}),
  };
}

export const resources: ResourceDef[] = [
  {
    name: 'namespaces',
    singularName: 'namespace',
    kind: 'Namespace',
    group: '',
    version: 'v1',
    namespaced: false,
    verbs: readVerbs,
    shortNames: ['ns'],
    store: 'namespaces',
    fieldSelectors: [...meta, 'status.phase'],
  },
  {
    name: 'nodes',
    singularName: 'node',
    kind: 'Node',
    group: '',
    version: 'v1',
    namespaced: false,
    verbs: readVerbs,
    shortNames: ['no'],
    store: 'nodes',
    fieldSelectors: [...meta, 'spec.unschedulable'],
  },
  {
    name: 'pods',
    singularName: 'pod',
    kind: 'Pod',
    group: '',
    version: 'v1',
    namespaced: true,
    verbs: [...readVerbs, 'create', 'delete'],
    shortNames: ['po'],
    store: 'pods',
    fieldSelectors: [
      ...meta,
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.nominatedNodeName',
    ],
  },
  {
    name: 'services',
    singularName: 'service',
    kind: 'Service',
    group: '',
    version: 'v1',
    namespaced: true,
    verbs: readVerbs,
    shortNames: ['svc'],
    store: 'services',
    fieldSelectors: [...meta, 'spec.clusterIP', 'spec.type'],
  },
  {
    // z2jh keeps the hub's Helm values in the `hub` Secret (key values.yaml); RBAC often denies secrets.
    name: 'secrets',
    singularName: 'secret',
    kind: 'Secret',
    group: '',
    version: 'v1',
    namespaced: true,
    verbs: readVerbs,
    store: 'secrets',
    fieldSelectors: [...meta, 'type'],
  },
  {
    name: 'configmaps',
    singularName: 'configmap',
    kind: 'ConfigMap',
    group: '',
    version: 'v1',
    namespaced: true,
    verbs: readVerbs,
    shortNames: ['cm'],
    store: 'configmaps',
    fieldSelectors: meta,
  },
  eventResource('', [...objectFields('involvedObject'), 'reason', 'reportingComponent', 'source', 'type'], {
    source: 'source.component',
  }),
  eventResource('events.k8s.io', [...objectFields('regarding'), 'reason', 'reportingController', 'type']),
  {
    name: 'selfsubjectaccessreviews',
    singularName: 'selfsubjectaccessreview',
    kind: 'SelfSubjectAccessReview',
    group: 'authorization.k8s.io',
    version: 'v1',
    namespaced: false,
    verbs: ['create'],
    store: 'namespaces', // never listed: the server answers POSTs only
    fieldSelectors: [],
  },
  {
    name: 'pods',
    singularName: '',
    kind: 'PodMetrics',
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    namespaced: true,
    verbs: ['get', 'list'],
    store: 'podmetrics',
    fieldSelectors: meta,
  },
  {
    name: 'nodes',
    singularName: '',
    kind: 'NodeMetrics',
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    namespaced: false,
    verbs: ['get', 'list'],
    store: 'nodemetrics',
    fieldSelectors: meta,
  },
];

/** The store of each kind that can be added to the cluster. */
export const storeOfKind: Record<string, StoreName> = {
  Namespace: 'namespaces',
  Node: 'nodes',
  Pod: 'pods',
  Service: 'services',
  Event: 'events',
  Secret: 'secrets',
  ConfigMap: 'configmaps',
};

export const namespacedStores: ReadonlySet<StoreName> = new Set([
  'pods',
  'services',
  'events',
  'secrets',
  'configmaps',
]);

export function findResource(group: string, version: string, name: string): ResourceDef | undefined {
  return resources.find((r) => r.group === group && r.version === version && r.name === name);
}

/** Subresources listed in discovery (kubectl checks them for logs/exec). */
const subresources = [
  { name: 'pods/log', kind: 'Pod', verbs: ['get'] },
  { name: 'pods/exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
  { name: 'services/proxy', kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
];

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupVersions(metricsEnabled: boolean): { group: string; version: string }[] {
  const list = [
    { group: 'events.k8s.io', version: 'v1' },
    { group: 'authorization.k8s.io', version: 'v1' },
  ];
  if (metricsEnabled) list.push({ group: 'metrics.k8s.io', version: 'v1beta1' });
  return list;
}

export function apiGroupList(metricsEnabled: boolean) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupVersions(metricsEnabled).map(({ group, version }) => ({
      name: group,
      versions: [{ groupVersion: `${group}/${version}`, version }],
      preferredVersion: { groupVersion: `${group}/${version}`, version },
    })),
  };
}

export function apiGroup(group: string, metricsEnabled: boolean) {
  const gv = groupVersions(metricsEnabled).find((g) => g.group === group);
  if (!gv) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: group,
    versions: [{ groupVersion: `${group}/${gv.version}`, version: gv.version }],
    preferredVersion: { groupVersion: `${group}/${gv.version}`, version: gv.version },
  };
}

/** APIResourceList for `/api/v1` (group '') or `/apis/<group>/<version>`; undefined when not served. */
export function apiResourceList(group: string, version: string, metricsEnabled: boolean) {
  if (group === 'metrics.k8s.io' && !metricsEnabled) return undefined;
  const defs = resources.filter((r) => r.group === group && r.version === version);
  if (defs.length === 0) return undefined;
  const list = defs.map((r) => ({
    name: r.name,
    singularName: r.singularName,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs,
    ...(r.shortNames ? { shortNames: r.shortNames } : {}),
  }));
  if (group === '')
    for (const s of subresources)
      list.push({ name: s.name, singularName: '', namespaced: true, kind: s.kind, verbs: s.verbs });
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: list,
  };
}
