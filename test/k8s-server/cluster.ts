/**
 * The mutable in-memory cluster behind the test server: objects per store, one global resourceVersion
 * counter (as etcd's revision), a bounded history of changes for watches, and the side data the API
 * serves (metrics, hub metrics behind the service proxy, container logs, exec file trees).
 */
import { randomUUID } from 'node:crypto';
import { ContainerRegistry } from './containerFs';
import { LogStore } from './logStore';
import { namespacedStores, storeOfKind, type StoreName } from './resources';
import type { KubeObject, NodeMetrics, PodMetrics, Secret } from './wireTypes';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ChangeEvent {
  type: WatchEventType;
  store: StoreName;
  rv: number;
  object: KubeObject;
  /** The object before a MODIFIED change (watchers with selectors turn it into ADDED/DELETED). */
  previous?: KubeObject;
}

/** What the hub answers on /hub/metrics behind the service proxy. */
export type HubMetrics = { text: string } | { status: 403 | 404 | 500 | 503; body?: string };

const key = (ns: string | undefined, name: string) => (ns ? `${ns}/${name}` : name);
const clone = <T>(v: T): T => structuredClone(v);

/**
 * As the API server does on write: the type defaults to Opaque, `stringData` is merged into `data`
 * (base64) and never served back.
 */
function normalizeSecret(secret: Secret): void {
  secret.type ??= 'Opaque';
  if (!secret.stringData) return;
  const data = { ...secret.data };
  for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
  secret.data = data;
  delete secret.stringData;
}

export class ClusterState {
  private revision = 1000;
  private readonly stores = new Map<StoreName, Map<string, KubeObject>>(
    (['namespaces', 'nodes', 'pods', 'services', 'events', 'secrets', 'configmaps'] as StoreName[]).map((s) => [
      s,
      new Map(),
    ]),
  );
  private history: ChangeEvent[] = [];
  /** Changes with rv ≤ this are no longer in history: a watch from before gets 410 Gone. */
  private compactedRevision = 1000;
  private readonly listeners = new Set<(e: ChangeEvent) => void>();
  private readonly podMetricsByKey = new Map<string, PodMetrics>();
  private readonly nodeMetricsByName = new Map<string, NodeMetrics>();
  private readonly hubMetricsByNamespace = new Map<string, HubMetrics>();
  private readonly serviceBackends = new Map<string, string>();

  /** false = no metrics-server: the metrics.k8s.io API answers 404 and leaves discovery. */
  metricsEnabled = true;
  readonly logs = new LogStore();

  constructor(
    /** How many changes a watch can resume from; older resourceVersions get 410 Gone. */
    readonly historyLimit: number,
    /** Exec file trees (a real directory per container). */
    readonly containers: ContainerRegistry,
    /** Wall clock used for default timestamps (scenarios set it to virtual time). */
    public now: () => Date = () => new Date(),
  ) {}

  get resourceVersion(): string {
    return String(this.revision);
  }

  // ---- objects ------------------------------------------------------------------------------------

  /** Creates or replaces an object (by kind, namespace, name), bumping the resourceVersion. */
  apply<T extends KubeObject>(object: T): T {
    const store = this.storeFor(object);
    const k = key(object.metadata.namespace, object.metadata.name);
    const previous = this.stores.get(store)!.get(k);
    const next = clone(object);
    if (next.kind === 'Secret') normalizeSecret(next as Secret);
    next.metadata.uid ??= previous?.metadata.uid ?? randomUUID();
    next.metadata.creationTimestamp ??=
      previous?.metadata.creationTimestamp ??
      this.now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
    next.metadata.resourceVersion = String(++this.revision);
    this.stores.get(store)!.set(k, next);
    this.record({ type: previous ? 'MODIFIED' : 'ADDED', store, rv: this.revision, object: next, previous });
    return clone(next);
  }

  /** Applies several objects in order. */
  applyAll(objects: KubeObject[]): void {
    for (const o of objects) this.apply(o);
  }

  /** Changes an existing object in place through `mutate`; throws when it does not exist. */
  patch<T extends KubeObject = KubeObject>(
    kind: string,
    namespace: string | undefined,
    name: string,
    mutate: (object: T) => void,
  ): T {
    const current = this.get<T>(kind, namespace, name);
    if (!current) throw new Error(`patch: no ${kind} ${key(namespace, name)}`);
    mutate(current);
    return this.apply(current);
  }

  /** Deletes an object (a namespace takes its objects with it); returns false when absent. */
  delete(kind: string, namespace: string | undefined, name: string): boolean {
    const store = storeOfKind[kind];
    if (!store) throw new Error(`unknown kind ${kind}`);
    if (store === 'namespaces')
      for (const s of namespacedStores)
        for (const o of this.list(s, name)) this.delete(o.kind, o.metadata.namespace, o.metadata.name);
    const k = key(namespacedStores.has(store) ? namespace : undefined, name);
    const previous = this.stores.get(store)!.get(k);
    if (!previous) return false;
    this.stores.get(store)!.delete(k);
    if (kind === 'Pod') {
      this.podMetricsByKey.delete(k);
      this.logs.deletePod(namespace!, name);
    }
    const gone = clone(previous);
    gone.metadata.resourceVersion = String(++this.revision);
    this.record({ type: 'DELETED', store, rv: this.revision, object: gone });
    return true;
  }

  get<T extends KubeObject = KubeObject>(kind: string, namespace: string | undefined, name: string): T | undefined {
    const store = storeOfKind[kind];
    if (!store) throw new Error(`unknown kind ${kind}`);
    const found = this.stores.get(store)!.get(key(namespacedStores.has(store) ? namespace : undefined, name));
    return found ? (clone(found) as T) : undefined;
  }

  /** Objects of a store sorted as etcd returns them (by namespace, then name); not cloned: read only. */
  list(store: StoreName, namespace?: string): KubeObject[] {
    const all = [...this.stores.get(store)!.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return all.map(([, o]) => o).filter((o) => namespace === undefined || o.metadata.namespace === namespace);
  }

  private storeFor(object: KubeObject): StoreName {
    const store = storeOfKind[object.kind];
    if (!store) throw new Error(`the test server does not store kind ${object.kind}`);
    if (namespacedStores.has(store) && !object.metadata.namespace)
      throw new Error(`${object.kind} ${object.metadata.name} needs a namespace`);
    return store;
  }

  // ---- watch history ------------------------------------------------------------------------------

  private record(event: ChangeEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedRevision = dropped[dropped.length - 1]!.rv;
    }
    for (const listener of [...this.listeners]) listener(event);
  }

  /** Changes after `rv`, or 'expired' when some of them are no longer kept (→ 410 Gone). */
  changesSince(rv: number): ChangeEvent[] | 'expired' {
    if (rv < this.compactedRevision) return 'expired';
    return this.history.filter((e) => e.rv > rv);
  }

  /** The oldest resourceVersion a watch can still start from. */
  get oldestResourceVersion(): number {
    return this.compactedRevision;
  }

  /** Forgets all history, as etcd compaction does: every older resourceVersion now gets 410 Gone. */
  compactHistory(): void {
    this.history = [];
    this.compactedRevision = this.revision;
  }

  /** Calls `listener` for every change from now on; returns the unsubscribe function. */
  subscribe(listener: (e: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- metrics ------------------------------------------------------------------------------------

  setPodMetrics(metrics: PodMetrics): void {
    this.podMetricsByKey.set(key(metrics.metadata.namespace, metrics.metadata.name), clone(metrics));
  }
  setNodeMetrics(metrics: NodeMetrics): void {
    this.nodeMetricsByName.set(metrics.metadata.name, clone(metrics));
  }
  clearMetrics(): void {
    this.podMetricsByKey.clear();
    this.nodeMetricsByName.clear();
  }
  /** Pod metrics, only for pods that still exist (metrics-server drops the others). */
  listPodMetrics(namespace?: string): PodMetrics[] {
    return [...this.podMetricsByKey.values()]
      .filter((m) => namespace === undefined || m.metadata.namespace === namespace)
      .filter((m) => this.get('Pod', m.metadata.namespace, m.metadata.name))
      .sort((a, b) =>
        key(a.metadata.namespace, a.metadata.name).localeCompare(key(b.metadata.namespace, b.metadata.name)),
      );
  }
  listNodeMetrics(): NodeMetrics[] {
    return [...this.nodeMetricsByName.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }

  /** Sets what the hub of `namespace` answers on /hub/metrics (Prometheus text, or an HTTP error). */
  setHubMetrics(namespace: string, metrics: HubMetrics | string): void {
    this.hubMetricsByNamespace.set(namespace, typeof metrics === 'string' ? { text: metrics } : metrics);
  }
  hubMetrics(namespace: string): HubMetrics | undefined {
    return this.hubMetricsByNamespace.get(namespace);
  }

  /**
   * Sends the service proxy's requests for Service `namespace/name` to a real HTTP server (a test
   * Prometheus), as the API server forwards them to the Service's endpoints. undefined removes it.
   */
  setServiceBackend(namespace: string, name: string, url: string | undefined): void {
    if (url === undefined) this.serviceBackends.delete(`${namespace}/${name}`);
    else this.serviceBackends.set(`${namespace}/${name}`, url.replace(/\/+$/, ''));
  }
  serviceBackend(namespace: string, name: string): string | undefined {
    return this.serviceBackends.get(`${namespace}/${name}`);
  }
}
