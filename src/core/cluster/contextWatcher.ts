import type { CoreV1Event, KubeConfig, KubernetesObject, PodMetric, V1Node, V1Pod } from '@kubernetes/client-node';
import { messageOf } from '../result';
import { buildHubsWithEvents, hubKey, type BuiltHubs, type HubExtras, type HubGroup } from './buildModel';
import { dedupeEvents, normalizeEvent } from './clusterEvents';
import { ContextClient, z2jhPodSelector } from './contextClient';
import type { HubConfigRead } from './hubConfig';
import type { HubMetricsReading } from './hubMetrics';
import type { KubeProblem } from './kubeErrors';
import type { ContextModel, HubModel } from './model';
import { ObservationMemory, type Observation } from './observations';
import { ResilientInformer, type Backoff } from './resilientInformer';
import { podFacts } from './podFacts';
import { lastTermination } from './podTermination';
import { mainContainer } from './podMemory';

export interface ContextWatcherOptions {
  namespaces: string[];
  /**
   * 'summary' watches only the z2jh pods (one list, then one watch per scope): enough for each hub's
   * health and counts on a collapsed context row, without events, nodes, metrics, side reads or
   * observations. 'full' (the default) watches everything the tree shows below the context.
   */
  scope?: 'full' | 'summary';
  backoff: Backoff;
  debounceMs: number;
  metricsIntervalMs: number;
  now: () => number;
  onModel: (model: ContextModel) => void;
  onObservations: (observations: Observation[]) => void;
}

/** Lines of a terminated hub's previous log to read: the consecutive-failures line is near the end. */
const previousLogTail = 50;
/** Hub metrics read per metrics tick at most (only hubs with spawns pending are read). */
const hubMetricsPerTick = 8;

/** A hub's config as read for one hub pod; `hubPodUid` '' asks for a new read on the next rebuild. */
interface HubConfigEntry {
  hubPodUid: string;
  config: HubConfigRead | null;
  reading: boolean;
}

/**
 * What changed since the last build, for the next one (see PreviousBuild): the namespaces whose hubs are to
 * be built again, or 'all'.
 */
type Changed = Set<string> | 'all';
/** What one change reaches: the hubs of one namespace, or every hub of the context. */
type Reach = { namespace: string } | 'all';

/** A pod's change reaches the hubs of its namespace (see groupHubs). */
const podChanges = (pod: V1Pod): Reach => ({ namespace: pod.metadata?.namespace ?? '' });

/**
 * An event reaches the hubs of the namespace of what it is about; an event about a node (a kernel OOM kill,
 * a node joining) may be any hub's, on that node or not (see buildHubsWithEvents).
 */
const eventChanges = (event: CoreV1Event): Reach => {
  const about = event.involvedObject;
  if (about?.kind === 'Node') return 'all';
  const namespace = about?.namespace || event.metadata?.namespace;
  return namespace ? { namespace } : 'all';
};

interface Slot<T extends KubernetesObject> {
  informer: ResilientInformer<T>;
  problem: KubeProblem | null;
  /** Whether its informer has said it listed once (see schedule). */
  listed: boolean;
}

/**
 * Watches one kubeconfig context: pods and events per scope (the configured namespaces, or the whole
 * cluster), nodes, pod metrics on an interval, and per hub its config, metrics and a terminated hub's
 * previous log. Rebuilds the context's model (debounced) when anything changes.
 */
export class ContextWatcher {
  private readonly client: ContextClient | null;
  private readonly setupError: { code: string; message: string } | null = null;
  private readonly pods: Slot<V1Pod>[] = [];
  private readonly events: Slot<CoreV1Event>[] = [];
  private nodes: Slot<V1Node> | null = null;
  private podMetrics: PodMetric[] | null = null;
  private metricsProblem: string | null = null;
  private readonly hubConfigs = new Map<string, HubConfigEntry>();
  private readonly hubMetrics = new Map<string, { current: HubMetricsReading; previous?: HubMetricsReading }>();
  private readonly hubMetricsProblems = new Map<string, string>();
  private readonly previousLogs = new Map<string, string>();
  private readonly logsRead = new Set<string>();
  /** Hub pods (uid) whose previous log is being read to explain a termination. */
  private readonly logsInFlight = new Set<string>();
  private readonly memory = new ObservationMemory();
  private lastHubs: HubModel[] = [];
  private lastBuilt: BuiltHubs | null = null;
  private changed: Changed = 'all';
  /** options.now() at the last full build: time moves every hub's model (pending for, scale-up window). */
  private lastFullBuild = -Infinity;
  private current: ContextModel;
  private debounceTimer: NodeJS.Timeout | undefined;
  /** performance.now() at the last change (-Infinity before the first), whether a model was built, when the next is due. */
  private lastChange = -Infinity;
  private built = false;
  private rebuildDue = Infinity;
  private metricsTimer: NodeJS.Timeout | undefined;
  private metricsPaused = false;
  private metricsInFlight = false;
  private disposed = false;

  constructor(
    base: KubeConfig,
    readonly name: string,
    private readonly options: ContextWatcherOptions,
  ) {
    let client: ContextClient | null = null;
    try {
      client = new ContextClient(base, name);
    } catch (error) {
      this.setupError = { code: 'bad-context', message: messageOf(error) };
    }
    this.client = client;
    this.current = {
      name,
      status: this.setupError ? 'error' : 'ok',
      ...(this.setupError ? { error: this.setupError } : {}),
      warnings: [],
      hubs: [],
      builtAt: new Date(options.now()).toISOString(),
    };
  }

  get model(): ContextModel {
    return this.current;
  }

  get contextClient(): ContextClient | null {
    return this.client;
  }

  start(): void {
    const client = this.client;
    if (!client || this.disposed) {
      this.options.onModel(this.current);
      return;
    }
    const slot = <T extends KubernetesObject>(
      path: string,
      list: () => Promise<{ items: T[]; resourceVersion: string }>,
      action: string,
      namespace: string | undefined,
      changes: (object: T) => Reach,
      labelSelector?: string,
    ): Slot<T> => {
      const clusterScoped = path === '/api/v1/nodes';
      const created: Slot<T> = { problem: null, listed: false } as Slot<T>;
      created.informer = new ResilientInformer<T>(
        client.kubeConfig,
        path,
        list,
        {
          onChange: (object) => this.schedule(changes(object)),
          onHealthy: () => {
            // After a problem, and after the first list (an empty one changes nothing, but may settle the watch).
            if (created.problem || !created.listed) {
              created.problem = null;
              created.listed = true;
              this.schedule('all');
            }
          },
          onProblem: (error: unknown) => {
            created.problem = client.problem(error, action, namespace, clusterScoped);
            this.schedule('all');
          },
        },
        this.options.backoff,
        labelSelector ? { labelSelector } : {},
      );
      return created;
    };
    const scopes: (string | undefined)[] = this.options.namespaces.length ? this.options.namespaces : [undefined];
    const summary = this.options.scope === 'summary';
    for (const namespace of scopes) {
      const base = namespace ? `/api/v1/namespaces/${encodeURIComponent(namespace)}` : '/api/v1';
      this.pods.push(
        slot(`${base}/pods`, () => client.listPods(namespace), 'list pods', namespace, podChanges, z2jhPodSelector),
      );
      if (!summary)
        this.events.push(
          slot(`${base}/events`, () => client.listEvents(namespace), 'list events', namespace, eventChanges),
        );
    }
    if (summary) {
      for (const slot of this.pods) slot.informer.start();
      return;
    }
    if (this.options.namespaces.length && !this.options.namespaces.includes('default')) {
      // Node OOM events (OOMKilling, SystemOOM) live in `default`; a namespace-limited token may not see them.
      this.events.push(
        slot(
          '/api/v1/namespaces/default/events',
          () => client.listEvents('default'),
          'list node events',
          'default',
          eventChanges,
        ),
      );
    }
    const nodeSlot = slot(
      '/api/v1/nodes',
      () => client.listNodes(),
      'list nodes',
      undefined,
      () => 'all',
    );
    this.nodes = nodeSlot;
    for (const slot of [...this.pods, ...this.events, nodeSlot]) slot.informer.start();
    this.pollMetrics();
  }

  pauseMetrics(): void {
    this.metricsPaused = true;
    if (this.metricsTimer) clearTimeout(this.metricsTimer);
    this.metricsTimer = undefined;
  }

  resumeMetrics(): void {
    if (!this.metricsPaused || this.options.scope === 'summary') return;
    this.metricsPaused = false;
    this.pollMetrics();
  }

  /** Reads one hub's /hub/metrics now (the tree's "refresh" on a hub), and rebuilds. */
  async refreshHubMetrics(namespace: string, release: string): Promise<void> {
    await this.readHubMetrics(hubKey(namespace, release), namespace);
    this.schedule({ namespace }, 0);
  }

  dispose(): void {
    this.disposed = true;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    if (this.metricsTimer) clearTimeout(this.metricsTimer);
    for (const slot of [...this.pods, ...this.events, ...(this.nodes ? [this.nodes] : [])]) slot.informer.dispose();
    this.client?.dispose();
  }

  // ---- model -----------------------------------------------------------------------------------------

  /**
   * Rebuilds after a change. A lone change (none in the quiet time before it) rebuilds at once, on the next
   * turn of the event loop so the changes of one moment go together; so does the first model, as soon as it
   * can be built. The changes that follow, a burst, come with one rebuild at the end of the quiet time. Until
   * every informer has listed (or failed) and the first metrics read is done, every change waits: a model
   * built then would show a partial cluster. `reach` is what the change reaches: one namespace's hubs, or all.
   */
  private schedule(reach: Reach, delay = this.options.debounceMs): void {
    if (this.disposed) return;
    if (reach === 'all') this.changed = 'all';
    else if (this.changed !== 'all') this.changed.add(reach.namespace);
    const now = performance.now();
    const lone = now - this.lastChange >= this.options.debounceMs;
    this.lastChange = now;
    if (delay > 0 && (lone || !this.built) && this.settled()) delay = 0;
    if (this.debounceTimer) {
      // Already due: a rebuild that may now come sooner (the first model, once everything is listed) does.
      if (now + delay >= this.rebuildDue) return;
      clearTimeout(this.debounceTimer);
    }
    this.rebuildDue = now + delay;
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = undefined;
      this.rebuild();
    }, delay);
  }

  /** Every informer has listed or reports a problem, and the first metrics read (where there is one) is done. */
  private settled(): boolean {
    const slots = [...this.pods, ...this.events, ...(this.nodes ? [this.nodes] : [])];
    if (!slots.every((slot) => slot.informer.synced || slot.problem)) return false;
    if (this.options.scope === 'summary' || this.metricsPaused) return true;
    return !this.metricsInFlight && (this.podMetrics !== null || this.metricsProblem !== null);
  }

  private rebuild(): void {
    if (this.disposed) return;
    this.built = true;
    const now = this.options.now();
    const warnings: string[] = [];
    const syncedPods = this.pods.filter((s) => s.informer.synced);
    const failingPods = this.pods.filter((s) => s.problem);
    // The context is in error when no pod scope works: nothing the model shows would be current.
    const contextDown = failingPods.length === this.pods.length || (syncedPods.length === 0 && failingPods.length > 0);
    if (!contextDown) for (const slot of failingPods) warnings.push(slot.problem!.message);
    if (syncedPods.length === 0 && failingPods.length === 0) {
      return; // still listing: no model yet beats an empty one
    }
    for (const slot of this.events) if (slot.problem) warnings.push(slot.problem.message);
    if (this.nodes?.problem) warnings.push(`${this.nodes.problem.message} (scale-up and node OOM details limited)`);
    if (this.metricsProblem) warnings.push(this.metricsProblem);

    let hubs = this.lastHubs;
    if (!contextDown || this.lastHubs.length === 0) {
      const pods = this.pods.flatMap((s) => [...s.informer.list()]);
      const events = dedupeEvents(this.events.flatMap((s) => [...s.informer.list()]));
      const nodes = this.nodes?.informer.synced ? [...this.nodes.informer.list()] : null;
      const hubExtras = new Map<string, HubExtras>();
      for (const [key, entry] of this.hubConfigs) if (entry.config) hubExtras.set(key, { config: entry.config });
      for (const [key, reading] of this.hubMetrics) {
        hubExtras.set(key, {
          ...hubExtras.get(key),
          metrics: reading.current,
          ...(reading.previous ? { previousMetrics: reading.previous } : {}),
        });
      }
      // Only the hubs of the namespaces that changed are built again, unless the change reaches every hub or
      // the last full build is a metrics interval old (time alone moves a model: pending for, scale-ups).
      const changed = this.changed;
      const full = changed === 'all' || !this.lastBuilt || now - this.lastFullBuild >= this.options.metricsIntervalMs;
      const built = buildHubsWithEvents(
        {
          pods,
          events: events.map(normalizeEvent),
          nodes,
          podMetrics: this.podMetrics,
          hubExtras,
          previousLogs: this.previousLogs,
          now,
        },
        full ? undefined : { built: this.lastBuilt!, changedNamespaces: changed as Set<string> },
      );
      this.changed = new Set();
      if (full) this.lastFullBuild = now;
      this.lastBuilt = built;
      hubs = built.hubs;
      this.lastHubs = hubs;
      if (!contextDown && this.options.scope !== 'summary') {
        // Start the side reads first: a termination whose log is being read is reported once explained.
        this.fetchHubExtras(built.groups);
        const observations = this.memory.observe(this.name, hubs, built.allEvents, now, this.logsInFlight);
        if (observations.length) this.options.onObservations(observations);
      }
    }
    for (const [key, problem] of this.hubMetricsProblems) warnings.push(`${key}: ${problem}`);
    const firstDown = failingPods[0]?.problem;
    this.current = {
      name: this.name,
      status: contextDown ? 'error' : 'ok',
      ...(contextDown && firstDown ? { error: { code: firstDown.code, message: firstDown.message } } : {}),
      warnings: [...new Set(warnings)],
      hubs,
      builtAt: new Date(now).toISOString(),
    };
    this.options.onModel(this.current);
  }

  // ---- side reads: hub config, previous logs, metrics -------------------------------------------------

  /** Reads what the model needs beyond the informers, once per new fact (new hub pod, new termination). */
  private fetchHubExtras(groups: readonly HubGroup[]): void {
    const client = this.client;
    if (!client) return;
    for (const group of groups) {
      const key = hubKey(group.namespace, group.release);
      const hubPod = group.pods.find((p) => podFacts(p).role === 'hub' && !p.metadata?.deletionTimestamp);
      const uid = hubPod?.metadata?.uid ?? '';
      const known = this.hubConfigs.get(key);
      // A helm upgrade rolls the hub pod: read the config again then.
      if (hubPod && (!known || (known.hubPodUid !== uid && !known.reading))) {
        const entry: HubConfigEntry = { hubPodUid: uid, config: known?.config ?? null, reading: true };
        this.hubConfigs.set(key, entry);
        client.readHubConfig(group.namespace, hubPod).then(
          (config) => {
            entry.reading = false;
            if (this.disposed || this.hubConfigs.get(key) !== entry) return;
            entry.config = config;
            this.schedule({ namespace: group.namespace });
          },
          () => {
            entry.reading = false;
          },
        );
      }
      for (const pod of group.pods.filter((p) => podFacts(p).role === 'hub')) {
        const t = lastTermination(pod, 'hub');
        if (!t || t.cause !== 'error' || t.exitCode === 0) continue;
        const factKey = `${pod.metadata?.uid}/${t.finishedAt}`;
        if (this.logsRead.has(factKey)) continue;
        this.logsRead.add(factKey);
        const container = mainContainer(pod, 'hub')?.name ?? t.container;
        const uid = pod.metadata?.uid ?? '';
        this.logsInFlight.add(uid);
        const settled = () => {
          this.logsInFlight.delete(uid);
          this.schedule({ namespace: group.namespace });
        };
        client
          .readPodLogs(group.namespace, pod.metadata?.name ?? '', {
            container,
            previous: true,
            tailLines: previousLogTail,
          })
          .then((result) => {
            if (this.disposed) return;
            if (result.ok) this.previousLogs.set(uid, result.value);
            settled();
          }, settled);
      }
    }
  }

  private pollMetrics(): void {
    if (this.disposed || this.metricsPaused || this.metricsInFlight || !this.client) return;
    if (this.metricsTimer) clearTimeout(this.metricsTimer);
    this.metricsTimer = undefined;
    this.metricsInFlight = true;
    this.readMetrics()
      .catch(() => undefined)
      .finally(() => {
        this.metricsInFlight = false;
        if (this.disposed || this.metricsPaused) return;
        this.metricsTimer = setTimeout(() => {
          this.metricsTimer = undefined;
          this.pollMetrics();
        }, this.options.metricsIntervalMs);
        this.schedule('all');
      });
  }

  private async readMetrics(): Promise<void> {
    const client = this.client!;
    // Hub configs that failed for a passing reason are read again on the rebuild after this tick.
    for (const entry of this.hubConfigs.values())
      if (entry.config?.status === 'unreadable' && entry.config.retry && !entry.reading) entry.hubPodUid = '';
    const scopes: (string | undefined)[] = this.options.namespaces.length ? this.options.namespaces : [undefined];
    const results = await Promise.all(scopes.map((ns) => client.podMetrics(ns)));
    const good = results.filter((r) => r.ok);
    const bad = results.find((r) => !r.ok);
    this.podMetrics = good.length ? good.flatMap((r) => (r.ok ? r.value : [])) : null;
    this.metricsProblem = bad && !bad.ok ? bad.error.message : null;
    // Hub metrics only where spawns are pending: 200 idle hubs need no polling.
    const pressured = this.lastHubs.filter((h) => h.spawnPressure.pendingSpawns > 0).slice(0, hubMetricsPerTick);
    await Promise.all(pressured.map((h) => this.readHubMetrics(hubKey(h.namespace, h.release), h.namespace)));
  }

  private async readHubMetrics(key: string, namespace: string): Promise<void> {
    const client = this.client;
    if (!client || this.disposed) return;
    const config = this.hubConfigs.get(key)?.config;
    const baseUrl = config?.status === 'read' ? config.baseUrl : null;
    const result = await client.readHubMetrics(namespace, { baseUrl });
    if (this.disposed) return;
    if (result.ok) {
      const before = this.hubMetrics.get(key);
      this.hubMetrics.set(key, { current: result.value, ...(before ? { previous: before.current } : {}) });
      this.hubMetricsProblems.delete(key);
    } else {
      this.hubMetricsProblems.set(key, `hub metrics not readable: ${result.error.message}`);
    }
  }
}
