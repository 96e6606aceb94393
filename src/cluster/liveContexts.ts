import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { ClusterWatcher } from '../core/cluster/clusterWatcher';
import type { ClusterModel, ContextModel } from '../core/cluster/model';
import type { Observation } from '../core/cluster/observations';
import type { LoadedKubeconfig } from '../core/cluster/kubeconfig';
import { err, messageOf, ok, type Result } from '../core/result';
import type { Log } from '../vscode/log';
import { settings } from '../vscode/settings';
import type { KubeconfigSource } from './kubeconfigSource';

/** How long the tree waits for a context's first model before it shows "Connecting…" instead. */
const firstModelWaitMs = 1500;

/** One watched context: the core's watcher and the latest model it built. */
export class ContextWatch {
  private latest: ContextModel | undefined;
  private resolveFirst!: () => void;
  private readonly first = new Promise<void>((resolve) => (this.resolveFirst = resolve));

  constructor(
    readonly name: string,
    readonly watcher: ClusterWatcher,
  ) {}

  /** undefined until the watcher has listed (or failed to). */
  get model(): ContextModel | undefined {
    return this.latest;
  }

  accept(model: ContextModel): void {
    this.latest = model;
    this.resolveFirst();
  }

  /** Resolves when the first model is in, or after `ms`, whichever comes first. */
  firstModel(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    return Promise.race([this.first, waited]).finally(() => clearTimeout(timer));
  }
}

interface Entry {
  /** What the watch was made from (context, cluster, user, settings), hashed; '' until known. */
  fingerprint: string;
  ready: Promise<Result<ContextWatch, string>>;
  watch?: ContextWatch;
  disposed: boolean;
}

/**
 * The live side of the Clusters view: one core `ClusterWatcher` per context the operator expanded,
 * created on first need (the watcher code, and client-node with it, is imported then), restarted when
 * the context's kubeconfig entry or the settings change, and paused (metrics polling) while the view is
 * hidden. Model changes and observations are passed on as events.
 */
export class LiveContexts implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** A context's model changed (or its watch was stopped): the name. */
  readonly onDidChangeContext = this.changed.event;
  private readonly observed = new vscode.EventEmitter<Observation>();
  readonly onObservation = this.observed.event;
  private visible = false;
  private disposed = false;

  constructor(
    private readonly kubeconfig: KubeconfigSource,
    private readonly log: Log,
  ) {}

  watch(name: string): ContextWatch | undefined {
    return this.entries.get(name)?.watch;
  }

  /** The watch of a context, started if it is not running. Never rejects: a failure is a value. */
  ensure(name: string): Promise<Result<ContextWatch, string>> {
    if (this.disposed) return Promise.resolve(err('The extension is shutting down.'));
    let entry = this.entries.get(name);
    if (!entry) {
      entry = this.start(name);
      this.entries.set(name, entry);
    }
    return entry.ready;
  }

  /** Waits (briefly) for a watch's first model. */
  async firstModel(watch: ContextWatch): Promise<void> {
    await watch.firstModel(firstModelWaitMs);
  }

  /** Stops a context's watcher; the next `ensure` starts a fresh one (a manual refresh). */
  restart(name: string): void {
    const entry = this.entries.get(name);
    if (!entry) return;
    this.log.info(`Cluster: restarting the watch of context "${name}"`);
    this.stop(name, entry);
    this.changed.fire(name);
  }

  restartAll(): void {
    for (const name of [...this.entries.keys()]) this.restart(name);
  }

  /** After a kubeconfig or settings change: stop watches whose context changed or is gone. */
  reconcile(loaded: LoadedKubeconfig): void {
    for (const [name, entry] of [...this.entries]) {
      if (entry.fingerprint !== fingerprint(loaded, name)) this.restart(name);
    }
  }

  /** Metrics polling only while someone can see the numbers; the watches keep running. */
  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    for (const entry of this.entries.values()) {
      if (visible) entry.watch?.watcher.resumeMetrics();
      else entry.watch?.watcher.pauseMetrics();
    }
  }

  /** The models of the watched contexts that have one. */
  model(): ClusterModel {
    const contexts: ContextModel[] = [];
    for (const entry of this.entries.values()) if (entry.watch?.model) contexts.push(entry.watch.model);
    return { contexts };
  }

  dispose(): void {
    this.disposed = true;
    for (const [name, entry] of [...this.entries]) this.stop(name, entry);
    this.changed.dispose();
    this.observed.dispose();
  }

  private stop(name: string, entry: Entry): void {
    entry.disposed = true;
    entry.watch?.watcher.dispose();
    this.entries.delete(name);
  }

  private start(name: string): Entry {
    const entry: Entry = { fingerprint: '', disposed: false, ready: Promise.resolve(err('not started')) };
    entry.ready = (async (): Promise<Result<ContextWatch, string>> => {
      const loaded = this.kubeconfig.get();
      entry.fingerprint = fingerprint(loaded, name);
      if (!loaded.contexts.some((c) => c.name === name)) {
        return err(`The kubeconfig no longer has a context named "${name}".`);
      }
      // The watcher (and client-node's API clients with it) loads when the first context is expanded.
      const { ClusterWatcher } = await import('../core/cluster/clusterWatcher');
      // Restarted while loading (the kubeconfig changed): start over with the new one.
      if (entry.disposed) return this.ensure(name);
      const namespaces = settings.namespaces();
      const watcher = new ClusterWatcher({
        kubeConfig: loaded.kubeConfig,
        contexts: [name],
        namespaces,
        metricsIntervalMs: settings.metricsIntervalMs(),
      });
      this.log.info(
        `Cluster: watching context "${name}" (${namespaces.length ? namespaces.join(', ') : 'all namespaces'})`,
      );
      let lastProblem = '';
      const watch = new ContextWatch(name, watcher);
      entry.watch = watch;
      watcher.onChange((model) => {
        const context = model.contexts.find((c) => c.name === name);
        if (!context || entry.disposed) return;
        // Say when the context fails, changes how it fails, or recovers; not on every rebuild.
        const problem = context.error ? `${context.error.code}: ${context.error.message}` : '';
        if (problem !== lastProblem) {
          if (problem) this.log.warn(`Cluster: context "${name}" cannot be read (${problem})`);
          else this.log.info(`Cluster: context "${name}" is readable again`);
          lastProblem = problem;
        }
        watch.accept(context);
        this.changed.fire(name);
      });
      watcher.onObservation((observation) => {
        if (!entry.disposed) this.observed.fire(observation);
      });
      if (!this.visible) watcher.pauseMetrics();
      watcher.start();
      return ok(watch);
    })().catch((error: unknown) => {
      this.log.error(`Cluster: cannot watch context "${name}": ${messageOf(error)}`);
      if (error instanceof Error) this.log.error(error);
      return err(`Cannot watch context "${name}": ${messageOf(error)}`);
    });
    return entry;
  }
}

/**
 * Everything a context's watcher was built from. Credentials are part of it (a refreshed token must
 * restart the watches) but only as a hash, kept in memory.
 */
function fingerprint(loaded: LoadedKubeconfig, name: string): string {
  const kc = loaded.kubeConfig;
  const context = kc.getContextObject(name);
  const parts = {
    context: context ?? null,
    cluster: context ? (kc.getCluster(context.cluster) ?? null) : null,
    user: context ? (kc.getUser(context.user) ?? null) : null,
    namespaces: settings.namespaces(),
    metricsIntervalMs: settings.metricsIntervalMs(),
  };
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
