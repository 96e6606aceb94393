import type { CoreV1Event, EventsV1Event, V1ObjectReference } from '@kubernetes/client-node';
import { formatBytes } from '../../shared/format';
import { toIso, toMillis } from './kubeTime';
import type { EventKind, EventModel } from './model';

/** Both event APIs (core/v1 and events.k8s.io/v1) reduced to the fields the model reads. */
export interface ClusterEvent {
  key: string;
  namespace: string;
  reason: string;
  message: string;
  type: string;
  object: { kind: string; name: string; namespace: string; uid: string };
  /** Milliseconds; null when the event carries no time at all. */
  firstTime: number | null;
  lastTime: number | null;
  count: number;
  /** The node the reporter runs on (kubelet, node-problem-detector), when it says. */
  host: string | null;
}

export function normalizeEvent(event: CoreV1Event | EventsV1Event): ClusterEvent {
  const meta = event.metadata ?? {};
  const namespace = meta.namespace ?? '';
  const common = {
    key: meta.uid || `${namespace}/${meta.name ?? ''}`,
    namespace,
    reason: event.reason ?? '',
    type: event.type ?? 'Normal',
  };
  if ('regarding' in event || 'note' in event) {
    const e = event as EventsV1Event;
    const first = toMillis(e.deprecatedFirstTimestamp) ?? toMillis(e.eventTime);
    return {
      ...common,
      message: e.note ?? '',
      object: objectOf(e.regarding, ''),
      firstTime: first,
      lastTime: toMillis(e.series?.lastObservedTime) ?? toMillis(e.deprecatedLastTimestamp) ?? first,
      count: e.series?.count ?? e.deprecatedCount ?? 1,
      host: e.deprecatedSource?.host ?? null,
    };
  }
  const e = event as CoreV1Event;
  const first = toMillis(e.firstTimestamp) ?? toMillis(e.eventTime) ?? toMillis(meta.creationTimestamp);
  return {
    ...common,
    message: e.message ?? '',
    // Cluster-scoped objects (nodes) have no namespace, though their events live in `default`.
    object: objectOf(e.involvedObject, e.involvedObject?.kind === 'Node' ? '' : namespace),
    firstTime: first,
    lastTime: toMillis(e.series?.lastObservedTime) ?? toMillis(e.lastTimestamp) ?? first,
    count: e.series?.count ?? e.count ?? 1,
    host: e.source?.host ?? null,
  };
}

/** The object an event is about; `namespace` stands in when the reference names none. */
function objectOf(ref: V1ObjectReference | undefined, namespace: string): ClusterEvent['object'] {
  return {
    kind: ref?.kind ?? '',
    name: ref?.name ?? '',
    namespace: ref?.namespace ?? namespace,
    uid: ref?.uid ?? '',
  };
}

const kindOfReason: Record<string, EventKind> = {
  OOMKilling: 'oom-killing',
  SystemOOM: 'system-oom',
  FailedScheduling: 'failed-scheduling',
  TriggeredScaleUp: 'triggered-scale-up',
  NotTriggerScaleUp: 'not-triggered-scale-up',
  BackOff: 'back-off',
  Evicted: 'evicted',
  Unhealthy: 'unhealthy',
  Preempted: 'preempted',
};

/** The model's kind for an event, or null for routine Normal events (Scheduled, Pulled, Started, …). */
export function classifyEvent(event: ClusterEvent): EventKind | null {
  const kind = kindOfReason[event.reason];
  if (kind) return kind;
  // cluster-autoscaler reports ScaleDown, ScaleDownEmpty, ScaleDownFailed… on nodes and pods.
  if (event.reason.startsWith('ScaleDown')) return 'scale-down';
  return event.type === 'Warning' ? 'warning' : null;
}

/** The node an event is about: the object itself, the reporter's host, or "on node X" in the text. */
export function eventNode(event: ClusterEvent): string | null {
  if (event.object.kind === 'Node') return event.object.name;
  const inText = /\bon node (\S+?)[.,]?(?:\s|$)/.exec(event.message);
  if (inText) return inText[1]!;
  return event.host;
}

export function toEventModel(event: ClusterEvent, kind: EventKind): EventModel {
  const model: EventModel = {
    kind,
    reason: event.reason,
    type: event.type,
    time: toIso(event.lastTime),
    firstTime: toIso(event.firstTime),
    count: event.count,
    message: event.message,
    object: { kind: event.object.kind, name: event.object.name, namespace: event.object.namespace },
    key: event.key,
  };
  if (event.object.kind === 'Pod') model.pod = event.object.name;
  const node = eventNode(event);
  if (node) model.node = node;
  return model;
}

/** What the kernel said about one OOM kill, from node-problem-detector's `OOMKilling` text. */
export interface NodeOomKill {
  process: string;
  pid: number | null;
  /** anon + file + shmem RSS of the killed process, in bytes; null when the text does not give them. */
  rssBytes: number | null;
  /** "Memory cgroup out of memory": a container reached its own limit (not the node running out). */
  cgroup: boolean;
  /** The pod's uid when the text carries its cgroup path (`…/pod<uid>/…`). */
  podUid: string | null;
}

export function parseNodeOom(message: string): NodeOomKill | null {
  const process = oomVictim(message);
  if (!process) return null;
  const kB = (name: string) => {
    const m = new RegExp(`\\b${name}:(\\d+)kB`).exec(message);
    return m ? Number(m[1]) * 1024 : null;
  };
  const parts = [kB('anon-rss'), kB('file-rss'), kB('shmem-rss')];
  const uid = /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/.exec(message)?.[1];
  const pid = /Killed process (\d+)/.exec(message)?.[1] ?? /pid:? ?(\d+)/.exec(message)?.[1];
  return {
    process,
    pid: pid ? Number(pid) : null,
    rssBytes: parts[0] === null ? null : parts.reduce<number>((sum, v) => sum + (v ?? 0), 0),
    cgroup: /Memory cgroup out of memory/i.test(message),
    podUid: uid ? uid.replace(/_/g, '-') : null,
  };
}

/** A pod a node's OOM kill may have happened in. */
export interface OomCandidate {
  key: string;
  name: string;
  uid: string;
  node: string | null;
  /** Only user servers are attributed: the hub's and proxy's own kills show in their container status. */
  isUserServer: boolean;
  limitBytes: number | null;
  createdMs: number | null;
}

/**
 * The user server a node-reported OOM kill happened in, when the text and the node's pods say which: the
 * pod's cgroup in the text, else the only user server on the node whose memory limit fits the killed
 * process (a cgroup kill happens at the container's limit), else the only user server on the node.
 */
export function attributeNodeOom(
  event: ClusterEvent,
  candidates: readonly OomCandidate[],
): { pod: OomCandidate; how: string } | null {
  const kill = parseNodeOom(event.message);
  if (!kill) return null;
  if (kill.podUid) {
    const pod = candidates.find((c) => c.uid === kill.podUid && c.isUserServer);
    return pod ? { pod, how: 'the pod named in the kernel’s cgroup path' } : null;
  }
  const node = eventNode(event);
  if (!node) return null;
  const at = event.firstTime ?? event.lastTime;
  const onNode = candidates.filter(
    (c) => c.isUserServer && c.node === node && (at === null || c.createdMs === null || c.createdMs <= at),
  );
  if (kill.cgroup && kill.rssBytes !== null) {
    const rss = kill.rssBytes;
    const fits = onNode.filter((c) => c.limitBytes !== null && rss <= c.limitBytes * 1.02 && rss >= c.limitBytes * 0.5);
    if (fits.length === 1)
      return {
        pod: fits[0]!,
        how: `the only user server on ${node} whose ${formatBytes(fits[0]!.limitBytes!)} limit fits the killed process (${formatBytes(rss)})`,
      };
    if (fits.length > 1) return null;
  }
  return onNode.length === 1 ? { pod: onNode[0]!, how: `the only user server on ${node}` } : null;
}

/** The killed process's name in node OOM events, when the text gives it. */
export function oomVictim(message: string): string | null {
  return (
    /Killed process \d+ \(([^)]+)\)/.exec(message)?.[1] ?? /victim process: ([^,]+), pid/.exec(message)?.[1] ?? null
  );
}

/** The same event can come from two scopes (its namespace and `default`): keep one per uid. */
export function dedupeEvents<T extends CoreV1Event | EventsV1Event>(events: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const e of events) seen.set(e.metadata?.uid ?? `${e.metadata?.namespace}/${e.metadata?.name}`, e);
  return [...seen.values()];
}
