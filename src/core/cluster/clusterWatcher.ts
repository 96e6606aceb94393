import type { KubeConfig } from '@kubernetes/client-node';
import { err, type Result } from '../result';
import { ContextWatcher } from './contextWatcher';
import type { HubMetricsReading } from './hubMetrics';
import type { KubeProblem } from './kubeErrors';
import type { ClusterModel, ContextModel } from './model';
import type { Observation } from './observations';
import { followPodLog, readContainerInstance } from './podLogStream';
import type { LogSource } from './podLogView';
import { defaultBackoff, type Backoff } from './resilientInformer';

export interface ClusterWatcherOptions {
  /** The merged kubeconfig (see kubeconfig.ts). Holds credentials: never logged. */
  kubeConfig: KubeConfig;
  /** The contexts to watch, in display order. */
  contexts: string[];
  /** Only these namespaces (one informer each); empty = the whole cluster. */
  namespaces?: string[];
  /** 'summary': z2jh pods only, for a collapsed context's row (see ContextWatcherOptions.scope). */
  scope?: 'full' | 'summary';
  /** Pod metrics poll interval (default 30 s). */
  metricsIntervalMs?: number;
  /** Quiet time before a change rebuilds the model (default 250 ms). */
  debounceMs?: number;
  /** Retry delays after errors (default 1 s doubling to 30 s). */
  backoff?: Partial<Backoff>;
  /** The clock (tests). */
  now?: () => number;
}

/** Something to call to stop listening (the shape of vscode.Disposable). */
export interface Unsubscribe {
  dispose(): void;
}

/**
 * The live cluster model for the Clusters tree and the incident journal: one ContextWatcher per
 * kubeconfig context, each with its own list+watch informers. `onChange` gets the whole model
 * (debounced per context), `onObservation` each thing that happened, as it is seen.
 */
export class ClusterWatcher {
  private readonly watchers: ContextWatcher[];
  private readonly changeListeners = new Set<(model: ClusterModel) => void>();
  private readonly observationListeners = new Set<(o: Observation) => void>();
  private started = false;
  private disposed = false;

  constructor(options: ClusterWatcherOptions) {
    const now = options.now ?? Date.now;
    const backoff = { ...defaultBackoff, ...options.backoff };
    this.watchers = options.contexts.map(
      (name) =>
        new ContextWatcher(options.kubeConfig, name, {
          namespaces: [...new Set(options.namespaces ?? [])].filter((ns) => ns.trim()),
          scope: options.scope ?? 'full',
          backoff,
          debounceMs: options.debounceMs ?? 250,
          metricsIntervalMs: options.metricsIntervalMs ?? 30_000,
          now,
          onModel: () => this.emitModel(),
          onObservations: (observations) => this.emitObservations(observations),
        }),
    );
  }

  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    for (const watcher of this.watchers) watcher.start();
  }

  model(): ClusterModel {
    return { contexts: this.watchers.map((w): ContextModel => w.model) };
  }

  onChange(listener: (model: ClusterModel) => void): Unsubscribe {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  onObservation(listener: (o: Observation) => void): Unsubscribe {
    this.observationListeners.add(listener);
    return { dispose: () => this.observationListeners.delete(listener) };
  }

  /** Stops metrics polling (the tree is hidden); informers keep the model current. */
  pauseMetrics(): void {
    for (const w of this.watchers) w.pauseMetrics();
  }

  resumeMetrics(): void {
    for (const w of this.watchers) w.resumeMetrics();
  }

  async refreshHubMetrics(context: string, namespace: string, release: string): Promise<void> {
    await this.watcher(context)?.refreshHubMetrics(namespace, release);
  }

  // ---- one-shot actions -------------------------------------------------------------------------------

  readPodLogs(
    context: string,
    namespace: string,
    pod: string,
    options: { container?: string; previous?: boolean; tailLines?: number } = {},
  ): Promise<Result<string, KubeProblem>> {
    const client = this.watcher(context)?.contextClient;
    return client ? client.readPodLogs(namespace, pod, options) : Promise.resolve(noContext(context));
  }

  /** A log tab's API calls for one pod's container (default: its only one), or undefined without the context. */
  podLogSource(
    context: string,
    namespace: string,
    pod: string,
    options: { container?: string; tailLines: number },
  ): LogSource | undefined {
    const client = this.watcher(context)?.contextClient;
    if (!client) return undefined;
    const { tailLines } = options;
    return {
      instance: () => readContainerInstance(client, namespace, pod, options.container),
      read: (container, previous) =>
        client.readPodLogs(namespace, pod, { container, ...(previous ? { previous: true } : { tailLines }) }),
      follow: (container, handlers) => followPodLog(client, namespace, pod, container, tailLines, handlers),
    };
  }

  podYaml(
    context: string,
    namespace: string,
    pod: string,
    options: { reveal?: boolean } = {},
  ): Promise<Result<string, KubeProblem>> {
    const client = this.watcher(context)?.contextClient;
    return client ? client.podYaml(namespace, pod, options) : Promise.resolve(noContext(context));
  }

  readHubMetrics(context: string, namespace: string): Promise<Result<HubMetricsReading, KubeProblem>> {
    const client = this.watcher(context)?.contextClient;
    return client ? client.readHubMetrics(namespace) : Promise.resolve(noContext(context));
  }

  /** Stops every informer, timer and poll. Listeners get nothing more. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const w of this.watchers) w.dispose();
    this.changeListeners.clear();
    this.observationListeners.clear();
  }

  private watcher(context: string): ContextWatcher | undefined {
    return this.watchers.find((w) => w.name === context);
  }

  private emitModel(): void {
    if (this.disposed) return;
    const model = this.model();
    for (const listener of [...this.changeListeners]) listener(model);
  }

  private emitObservations(observations: Observation[]): void {
    if (this.disposed) return;
    for (const o of observations) for (const listener of [...this.observationListeners]) listener(o);
  }
}

const noContext = (context: string): Result<never, KubeProblem> =>
  err({ code: 'unknown', status: null, message: `Context "${context}" is not watched or has no usable cluster.` });
