/**
 * Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`) as kubectl asks for it,
 * with the columns the real API server prints for pods, events, nodes, namespaces, services, secrets and
 * config maps; other resources get Name and Age.
 */
import type { IncomingMessage } from 'node:http';
import type { ResourceDef } from './resources';
import type { ConfigMap, CoreEvent, KubeObject, Pod, Secret } from './wireTypes';

interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  priority?: number;
}

export function wantsTable(req: IncomingMessage): boolean {
  return /as=Table/.test(req.headers.accept ?? '');
}

/** Kubernetes' HumanDuration, as in the AGE and LAST SEEN columns. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  if (d < 365 * 8) return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
  return `${y}y`;
}

const since = (now: Date, time: string | undefined | null) =>
  time ? humanDuration(now.getTime() - Date.parse(time)) : '<unknown>';

/** The pod STATUS column, following kubectl's printPod. */
function podStatus(p: Pod): string {
  let reason = (p.status.reason as string | undefined) ?? p.status.phase;
  for (const c of p.status.containerStatuses ?? []) {
    if (c.state.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state.terminated?.reason) reason = c.state.terminated.reason;
    else if (c.state.terminated) reason = `ExitCode:${c.state.terminated.exitCode}`;
  }
  if (p.metadata.deletionTimestamp) reason = 'Terminating';
  return reason;
}

function podRow(p: Pod, now: Date): unknown[] {
  const statuses = p.status.containerStatuses ?? [];
  const ready = statuses.filter((c) => c.ready).length;
  const restarts = statuses.reduce((n, c) => n + c.restartCount, 0);
  const lastRestart = statuses
    .map((c) => c.lastState.terminated?.finishedAt)
    .filter((t): t is string => !!t)
    .sort()
    .at(-1);
  return [
    p.metadata.name,
    `${ready}/${p.spec.containers.length}`,
    podStatus(p),
    restarts && lastRestart ? `${restarts} (${since(now, lastRestart)} ago)` : String(restarts),
    since(now, p.metadata.creationTimestamp),
    (p.status.podIP as string | undefined) ?? '<none>',
    p.spec.nodeName ?? '<none>',
    (p.status.nominatedNodeName as string | undefined) ?? '<none>',
    '<none>',
  ];
}

function eventRow(e: CoreEvent, now: Date): unknown[] {
  const io = e.involvedObject;
  return [
    since(now, e.lastTimestamp ?? e.eventTime),
    e.type,
    e.reason,
    `${io.kind.toLowerCase()}/${io.name}`,
    e.message,
    `${e.source.component}${e.source.host ? `, ${e.source.host}` : ''}`,
    io.fieldPath ?? '',
    since(now, e.firstTimestamp),
    e.count,
    e.metadata.name,
  ];
}

/**
 * Columns as the API server declares them: `Name` is the object's name, `Data` and `Count` are integers, the
 * rest strings; the `wide` ones (priority 1) show only with `-o wide`.
 */
function columns(names: string[], wide: string[] = []): Column[] {
  const column = (name: string, priority: number): Column => ({
    name,
    type: name === 'Data' || name === 'Count' ? 'integer' : 'string',
    ...(name === 'Name' ? { format: 'name' } : {}),
    ...(priority ? { priority } : {}),
  });
  return [...names.map((n) => column(n, 0)), ...wide.map((n) => column(n, 1))];
}

const tables: Record<string, { columns: Column[]; row: (o: KubeObject, now: Date) => unknown[] }> = {
  pods: {
    columns: columns(
      ['Name', 'Ready', 'Status', 'Restarts', 'Age'],
      ['IP', 'Node', 'Nominated Node', 'Readiness Gates'],
    ),
    row: (o, now) => podRow(o as Pod, now),
  },
  events: {
    columns: columns(
      ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
      ['Source', 'Subobject', 'First Seen', 'Count', 'Name'],
    ),
    row: (o, now) => eventRow(o as CoreEvent, now),
  },
  nodes: {
    columns: columns(['Name', 'Status', 'Roles', 'Age', 'Version']),
    row: (o, now) => {
      const status = o.status as {
        conditions?: { type: string; status: string }[];
        nodeInfo?: { kubeletVersion?: string };
      };
      const ready = status.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? 'Ready' : 'NotReady';
      const unschedulable = (o.spec as { unschedulable?: boolean }).unschedulable ? ',SchedulingDisabled' : '';
      return [
        o.metadata.name,
        ready + unschedulable,
        '<none>',
        since(now, o.metadata.creationTimestamp),
        status.nodeInfo?.kubeletVersion ?? '',
      ];
    },
  },
  namespaces: {
    columns: columns(['Name', 'Status', 'Age']),
    row: (o, now) => [
      o.metadata.name,
      (o.status as { phase?: string }).phase ?? 'Active',
      since(now, o.metadata.creationTimestamp),
    ],
  },
  services: {
    columns: columns(['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age']),
    row: (o, now) => {
      const spec = o.spec as { type?: string; clusterIP?: string; ports?: { port: number; protocol?: string }[] };
      const ports = (spec.ports ?? []).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',');
      return [
        o.metadata.name,
        spec.type ?? 'ClusterIP',
        spec.clusterIP ?? '',
        '<none>',
        ports,
        since(now, o.metadata.creationTimestamp),
      ];
    },
  },
  secrets: {
    columns: columns(['Name', 'Type', 'Data', 'Age']),
    row: (o, now) => {
      const secret = o as Secret;
      const keys = Object.keys(secret.data ?? {}).length;
      return [o.metadata.name, secret.type ?? 'Opaque', keys, since(now, o.metadata.creationTimestamp)];
    },
  },
  configmaps: {
    columns: columns(['Name', 'Data', 'Age']),
    row: (o, now) => {
      const cm = o as ConfigMap;
      const keys = Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length;
      return [o.metadata.name, keys, since(now, o.metadata.creationTimestamp)];
    },
  },
};

const fallback = {
  columns: columns(['Name', 'Age']),
  row: (o: KubeObject, now: Date) => [o.metadata.name, since(now, o.metadata.creationTimestamp)],
};

/** A meta.k8s.io/v1 Table of the objects (rows carry PartialObjectMetadata, as by default). */
export function toTable(
  def: ResourceDef,
  objects: KubeObject[],
  now: Date,
  listMetadata: Record<string, unknown>,
  withColumns = true,
): unknown {
  const printer = (def.group === '' ? tables[def.name] : undefined) ?? fallback;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMetadata,
    columnDefinitions: withColumns
      ? printer.columns.map((c) => ({
          name: c.name,
          type: c.type,
          format: c.format ?? '',
          description: '',
          priority: c.priority ?? 0,
        }))
      : [],
    rows: objects.map((o) => ({
      cells: printer.row(o, now),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
