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

/** 'summary': the z2jh pods only, for a collapsed row; 'full': everything below an opened context. */
type Scope = 'full' | 'summary';

interface Entry {
  scope: Scope;
  /** What the watch was made from (context, cluster, user, settings), hashed; '' until known. */
  fingerprint: string;
  ready: Promise<Result<ContextWatch, string>>;
  watch?: ContextWatch;
  disposed: boolean;
}

/**
 * The live side of the Clusters view: one core `ClusterWatcher` per context, created on first need (the
 * watcher code, and client-node with it, is imported then), restarted when the context's kubeconfig entry
 * or the settings change, and paused (metrics polling) while the view is hidden. A context the view lists
 * gets a summary watch (its z2jh pods only: one list, then one watch), so its collapsed row can say how
 * its hubs are; opening it replaces that with the full watch (events, nodes, metrics, side reads), which
 * then keeps the row's summary too. Model changes and observations are passed on as events.
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
  /** The last model of a context whose watch was stopped, until its next watch has one. */
  private readonly lastSeen = new Map<string, ContextModel>();

  constructor(
    private readonly kubeconfig: KubeconfigSource,
    private readonly log: Log,
  ) {}

  /** The full watch of an opened context (undefined for a context that only has a summary watch). */
  watch(name: string): ContextWatch | undefined {
    const entry = this.entries.get(name);
    return entry?.scope === 'full' ? entry.watch : undefined;
  }

  /**
   * What a context's row summarizes: the latest model of its watch, full or summary; while a new watch
   * lists (after a restart or when the context was opened), the last model seen before.
   */
  summary(name: string): ContextModel | undefined {
    return this.entries.get(name)?.watch?.model ?? this.lastSeen.get(name);
  }

  /**
   * Starts a summary watch of a context that has no watch yet. Cheap (one pod list and one watch per
   * namespace scope); a context that cannot be read says why on its row.
   */
  summarize(name: string): void {
    if (this.disposed || this.entries.has(name)) return;
    this.entries.set(name, this.start(name, 'summary'));
  }

  /** The full watch of a context, started (or upgraded from a summary) if needed. Never rejects. */
  ensure(name: string): Promise<Result<ContextWatch, string>> {
    if (this.disposed) return Promise.resolve(err('The extension is shutting down.'));
    let entry = this.entries.get(name);
    if (entry?.scope === 'summary') {
      this.stop(name, entry);
      entry = undefined;
    }
    if (!entry) {
      entry = this.start(name, 'full');
      this.entries.set(name, entry);
    }
    return entry.ready;
  }

  /** Waits (briefly) for a watch's first model. */
  async firstModel(watch: ContextWatch): Promise<void> {
    await watch.firstModel(firstModelWaitMs);
  }

  /**
   * Stops a context's watcher (a manual refresh). A summary watch starts again at once, so the row keeps
   * its summary; a full one on the next `ensure` (VS Code fetches an open context's rows again).
   */
  restart(name: string): void {
    const entry = this.entries.get(name);
    if (!entry) return;
    this.log.info(`Cluster: restarting the watch of context "${name}"`);
    this.stop(name, entry);
    if (entry.scope === 'summary') this.summarize(name);
    this.changed.fire(name);
  }

  restartAll(): void {
    for (const name of [...this.entries.keys()]) this.restart(name);
  }

  /** After a kubeconfig or settings change: stop watches whose context changed or is gone. */
  reconcile(loaded: LoadedKubeconfig): void {
    const names = new Set(loaded.contexts.map((c) => c.name));
    for (const [name, entry] of [...this.entries]) {
      if (!names.has(name)) {
        this.stop(name, entry);
        this.lastSeen.delete(name);
      } else if (entry.fingerprint !== fingerprint(loaded, name)) {
        this.lastSeen.delete(name); // another cluster or user: the last model says nothing about it
        this.restart(name);
      }
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

  /** The models of the fully watched (opened) contexts that have one. */
  model(): ClusterModel {
    const contexts: ContextModel[] = [];
    for (const entry of this.entries.values())
      if (entry.scope === 'full' && entry.watch?.model) contexts.push(entry.watch.model);
    return { contexts };
  }

  dispose(): void {
    this.disposed = true;
    for (const [name, entry] of [...this.entries]) this.stop(name, entry);
    this.changed.dispose();
    this.observed.dispose();
  }

  private stop(name: string, entry: Entry): void {
    if (entry.watch?.model) this.lastSeen.set(name, entry.watch.model);
    entry.disposed = true;
    entry.watch?.watcher.dispose();
    this.entries.delete(name);
  }

  private start(name: string, scope: Scope): Entry {
    const entry: Entry = { scope, fingerprint: '', disposed: false, ready: Promise.resolve(err('not started')) };
    entry.ready = (async (): Promise<Result<ContextWatch, string>> => {
      const loaded = this.kubeconfig.get();
      entry.fingerprint = fingerprint(loaded, name);
      if (!loaded.contexts.some((c) => c.name === name)) {
        return err(`The kubeconfig no longer has a context named "${name}".`);
      }
      // The watcher (and client-node's API clients with it) loads when the first context is expanded.
      const { ClusterWatcher } = await import('../core/cluster/clusterWatcher');
      // Stopped while loading (the kubeconfig changed, or a summary was upgraded): hand over to what runs now.
      if (entry.disposed) {
        if (scope === 'full') return this.ensure(name);
        return err(`The summary watch of "${name}" was stopped.`);
      }
      const namespaces = settings.namespaces();
      const watcher = new ClusterWatcher({
        kubeConfig: loaded.kubeConfig,
        contexts: [name],
        namespaces,
        scope,
        metricsIntervalMs: settings.metricsIntervalMs(),
      });
      const where = namespaces.length ? namespaces.join(', ') : 'all namespaces';
      this.log.info(
        scope === 'full'
          ? `Cluster: watching context "${name}" (${where})`
          : `Cluster: summarizing context "${name}" from its z2jh pods (${where})`,
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
      // A summary watch makes no observations (see ContextWatcherOptions.scope).
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
