import type { PodMetric, V1Node, V1Pod } from '@kubernetes/client-node';
import { attributeNodeOom, classifyEvent, oomVictim, toEventModel, type ClusterEvent } from './clusterEvents';
import { spawnLimitOf, type HubConfigRead } from './hubConfig';
import { hubHealth } from './hubHealth';
import type { HubMetricsReading } from './hubMetrics';
import { discoverHubVersion } from './jupyterhubVersion';
import { toMillis } from './kubeTime';
import type { EventModel, HubModel, PodKernelOom, PodModel } from './model';
import { podFacts } from './podFacts';
import { memoryUsed } from './podMemory';
import { pendingReason } from './podPending';
import { lastTermination } from './podTermination';
import { spawnPressure } from './spawnPressure';

/** What the cluster says about a hub beyond its pods and events (read separately, each may be absent). */
export interface HubExtras {
  config?: HubConfigRead;
  metrics?: HubMetricsReading;
  previousMetrics?: HubMetricsReading;
}

/** Everything one context's model is built from. The builder never calls the API itself. */
export interface ClusterSnapshot {
  pods: readonly V1Pod[];
  events: readonly ClusterEvent[];
  /** null when the credentials cannot list nodes. */
  nodes: readonly V1Node[] | null;
  /** null when the cluster has no metrics API (or it is not readable). */
  podMetrics: readonly PodMetric[] | null;
  /** By hub key (`namespace/release`, see `hubKey`). */
  hubExtras?: ReadonlyMap<string, HubExtras>;
  /** The end of the previous log of a terminated container, by pod uid (hub pods, see the watcher). */
  previousLogs?: ReadonlyMap<string, string>;
  now: number;
}

/** Events kept per hub; an hour of a busy hub's events would swamp the tree. */
export const maxEventsPerHub = 100;
/** How far back scale-ups and joining nodes count as "being added now". */
const scaleWindowMs = 10 * 60_000;

export const hubKey = (namespace: string, release: string) => `${namespace}/${release}`;

export interface HubGroup {
  namespace: string;
  release: string;
  pods: V1Pod[];
}

/**
 * One hub per Helm release: pods carry their release as a label (`release`, or
 * `app.kubernetes.io/instance` in z2jh 4.1+). A pod without one (a user pod from a custom spawner
 * config) belongs to its namespace's only release, else to the release named like the namespace (the
 * usual multi-hub convention), else to a hub named after the namespace.
 */
export function groupHubs(pods: readonly V1Pod[]): HubGroup[] {
  const groups = new Map<string, HubGroup>();
  const releasesByNamespace = new Map<string, Set<string>>();
  const unlabelled: V1Pod[] = [];
  for (const pod of pods) {
    const facts = podFacts(pod);
    if (!facts.jupyterhub) continue;
    const { namespace, release } = facts;
    if (release === null) {
      unlabelled.push(pod);
      continue;
    }
    const key = hubKey(namespace, release);
    let group = groups.get(key);
    if (!group) {
      group = { namespace, release, pods: [] };
      groups.set(key, group);
      if (!releasesByNamespace.has(namespace)) releasesByNamespace.set(namespace, new Set());
      releasesByNamespace.get(namespace)!.add(release);
    }
    group.pods.push(pod);
  }
  for (const pod of unlabelled) {
    const { namespace } = podFacts(pod);
    const releases = [...(releasesByNamespace.get(namespace) ?? [])];
    const release = releases.length === 1 ? releases[0]! : namespace;
    const key = hubKey(namespace, release);
    if (!groups.has(key)) groups.set(key, { namespace, release, pods: [] });
    groups.get(key)!.pods.push(pod);
  }
  return [...groups.values()].sort((a, b) => byText(a.namespace, b.namespace) || byText(a.release, b.release));
}

const podKey = (namespace: string, name: string) => `${namespace}/${name}`;

/** `localeCompare`'s order from one collator: a rebuild sorts 10,000 pods, and each call would set one up. */
const byText = new Intl.Collator().compare;

export function isNodeReady(node: V1Node): boolean {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/** The hubs of one context, built from a snapshot. Pure: the same snapshot gives the same model. */
export function buildHubs(snapshot: ClusterSnapshot): HubModel[] {
  return buildHubsWithEvents(snapshot).hubs;
}

/** One context's hubs as built, with what the watcher needs besides the model. */
export interface BuiltHubs {
  hubs: HubModel[];
  /** Every classified event per hub key (the model keeps only the newest). */
  allEvents: Map<string, EventModel[]>;
  /** The pods of each hub (see groupHubs). */
  groups: HubGroup[];
}

/**
 * What a rebuild after a change may keep: the previous build, and the namespaces in which something that
 * goes into a hub's model changed since (its pods, their events, the hub's config, metrics or logs). A hub
 * outside those namespaces keeps its model from `built`; a change that reaches every hub (nodes, pod metrics,
 * an event about a node) is a full rebuild, without `previous`.
 */
export interface PreviousBuild {
  built: BuiltHubs;
  changedNamespaces: ReadonlySet<string>;
}

/**
 * `buildHubs`, plus every classified event per hub key. With `previous`, only the hubs of the changed
 * namespaces are built again (their pods' models, version, spawn pressure, health: the bulk of a rebuild);
 * grouping and the events' hubs are worked out over the whole snapshot as in a full build, so a hub that is
 * built comes out exactly as a full build would make it.
 */
export function buildHubsWithEvents(snapshot: ClusterSnapshot, previous?: PreviousBuild): BuiltHubs {
  const { now } = snapshot;
  const groups = groupHubs(snapshot.pods);
  const metricsByPod = new Map<string, PodMetric>();
  for (const m of snapshot.podMetrics ?? []) metricsByPod.set(podKey(m.metadata.namespace, m.metadata.name), m);

  const eventsByPod = new Map<string, ClusterEvent[]>();
  const classified: { event: ClusterEvent; model: EventModel; attributedTo?: string }[] = [];
  const oomCandidates = snapshot.pods.map((pod) => podFacts(pod).oom);
  const kernelOoms = new Map<string, PodKernelOom>();
  for (const event of snapshot.events) {
    if (event.object.kind === 'Pod') {
      const key = podKey(event.object.namespace || event.namespace, event.object.name);
      let list = eventsByPod.get(key);
      if (!list) eventsByPod.set(key, (list = []));
      list.push(event);
    }
    const kind = classifyEvent(event);
    if (!kind) continue;
    const model = toEventModel(event, kind);
    // A kernel OOM kill that only the node reports: put it on the user server it happened in, if known.
    const found =
      (kind === 'oom-killing' || kind === 'system-oom') && event.object.kind === 'Node'
        ? attributeNodeOom(event, oomCandidates)
        : null;
    if (found) {
      model.pod = found.pod.name;
      const previous = kernelOoms.get(found.pod.key);
      const newer = !previous || (toMillis(model.time) ?? 0) >= (toMillis(previous.time) ?? 0);
      kernelOoms.set(found.pod.key, {
        time: newer ? model.time : previous.time,
        process: newer ? (oomVictim(model.message) ?? '') : previous.process,
        count: (previous?.count ?? 0) + event.count,
        node: model.node ?? '',
        how: found.how,
      });
    }
    classified.push({ event, model, ...(found ? { attributedTo: found.pod.key } : {}) });
  }

  const nodesJoining = (snapshot.nodes ?? []).filter((node) => {
    const created = toMillis(node.metadata?.creationTimestamp);
    return created !== null && now - created <= scaleWindowMs && !isNodeReady(node);
  }).length;

  const hubOfPod = new Map<string, string>();
  const hubsOfNode = new Map<string, Set<string>>();
  const hubsByNamespace = new Map<string, string[]>();
  for (const group of groups) {
    const key = hubKey(group.namespace, group.release);
    if (!hubsByNamespace.has(group.namespace)) hubsByNamespace.set(group.namespace, []);
    hubsByNamespace.get(group.namespace)!.push(key);
    for (const pod of group.pods) {
      hubOfPod.set(podKey(group.namespace, pod.metadata?.name ?? ''), key);
      const node = pod.spec?.nodeName;
      if (node) {
        if (!hubsOfNode.has(node)) hubsOfNode.set(node, new Set());
        hubsOfNode.get(node)!.add(key);
      }
    }
  }

  // Which hubs an event belongs to: its pod's hub; for node events, every hub with pods on that node;
  // for anything else in a hub namespace (a pod already gone, a PVC), the namespace's hub.
  const eventsByHub = new Map<string, EventModel[]>();
  const scaleUpPodsByHub = new Map<string, Set<string>>();
  for (const { event, model, attributedTo } of classified) {
    let hubs: Iterable<string> = [];
    const namespace = event.object.namespace || event.namespace;
    const attributedHub = attributedTo ? hubOfPod.get(attributedTo) : undefined;
    if (attributedHub) {
      hubs = [attributedHub];
    } else if (event.object.kind === 'Node') {
      hubs = hubsOfNode.get(event.object.name) ?? [];
    } else {
      const byPod = event.object.kind === 'Pod' ? hubOfPod.get(podKey(namespace, event.object.name)) : undefined;
      const inNamespace = hubsByNamespace.get(namespace) ?? [];
      if (byPod) hubs = [byPod];
      else if (inNamespace.length === 1) hubs = inNamespace;
      else if (inNamespace.includes(hubKey(namespace, namespace))) hubs = [hubKey(namespace, namespace)];
      else if ((model.kind === 'oom-killing' || model.kind === 'system-oom') && model.node) {
        hubs = hubsOfNode.get(model.node) ?? [];
      }
    }
    for (const hub of hubs) {
      if (!eventsByHub.has(hub)) eventsByHub.set(hub, []);
      eventsByHub.get(hub)!.push(model);
      if (
        model.kind === 'triggered-scale-up' &&
        model.pod &&
        event.lastTime !== null &&
        now - event.lastTime <= scaleWindowMs
      ) {
        if (!scaleUpPodsByHub.has(hub)) scaleUpPodsByHub.set(hub, new Set());
        scaleUpPodsByHub.get(hub)!.add(model.pod);
      }
    }
  }

  const kept = new Map<string, HubModel>();
  if (previous)
    for (const hub of previous.built.hubs)
      if (!previous.changedNamespaces.has(hub.namespace)) kept.set(hubKey(hub.namespace, hub.release), hub);
  const hubs = groups.map((group): HubModel => {
    const key = hubKey(group.namespace, group.release);
    // Newest first, for every hub: `allEvents` holds these same arrays.
    const events = (eventsByHub.get(key) ?? []).sort(
      (a, b) => (toMillis(b.time) ?? 0) - (toMillis(a.time) ?? 0) || byText(a.key, b.key),
    );
    const unchanged = kept.get(key);
    if (unchanged) return unchanged;
    const extras = snapshot.hubExtras?.get(key) ?? {};
    const pods = group.pods
      .map((pod) => podModel(pod, snapshot, metricsByPod, eventsByPod, kernelOoms))
      .sort((a, b) => roleOrder[a.role] - roleOrder[b.role] || byText(a.name, b.name));
    const byRole = (role: string) => group.pods.filter((p) => podFacts(p).role === role);
    const version = discoverHubVersion(byRole('hub'), group.pods, byRole('user'));
    const pressure = spawnPressure({
      userPods: pods.filter((p) => p.role === 'user'),
      limit: spawnLimitOf(extras.config),
      metrics: extras.metrics,
      previousMetrics: extras.previousMetrics,
      scaleUpsTriggered: scaleUpPodsByHub.get(key)?.size ?? 0,
      nodesJoining,
    });
    const { health, healthReasons } = hubHealth(pods, pressure, now);
    return {
      namespace: group.namespace,
      release: group.release,
      chartVersion: version.chartVersion,
      jupyterhubVersion: version.jupyterhubVersion,
      versionSource: version.versionSource,
      versionDetail: version.versionDetail,
      health,
      healthReasons,
      spawnPressure: pressure,
      pods,
      events: events.slice(0, maxEventsPerHub),
      eventsOmitted: Math.max(0, events.length - maxEventsPerHub),
    };
  });
  return { hubs, allEvents: eventsByHub, groups };
}

const roleOrder: Record<PodModel['role'], number> = { hub: 0, proxy: 1, user: 2, placeholder: 3, other: 4 };

function podModel(
  pod: V1Pod,
  snapshot: ClusterSnapshot,
  metricsByPod: Map<string, PodMetric>,
  eventsByPod: Map<string, ClusterEvent[]>,
  kernelOoms: Map<string, PodKernelOom>,
): PodModel {
  const facts = podFacts(pod);
  const { key, role, uid, container, limitBytes } = facts;
  const model: PodModel = {
    name: facts.name,
    uid,
    role,
    component: facts.component,
    phase: facts.phase,
    status: facts.status,
    ready: facts.ready,
    node: facts.node,
    createdAt: facts.createdAt,
    memory: { usedBytes: memoryUsed(container, metricsByPod.get(key)), limitBytes, container },
    restarts: facts.restarts,
    lastTermination: lastTermination(pod, role, snapshot.previousLogs?.get(uid)),
    pending: pendingReason(pod, role, eventsByPod.get(key) ?? [], snapshot.now),
  };
  if (role === 'user') {
    if (facts.user) model.user = facts.user;
    const oom = kernelOoms.get(key);
    if (oom) model.kernelOom = oom;
  }
  return model;
}
