import {
  ListWatch,
  Watch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';

export interface Backoff {
  /** First retry delay after an error. */
  initialMs: number;
  /** Longest delay between retries (the brief: about 30 s). */
  maxMs: number;
}

export const defaultBackoff: Backoff = { initialMs: 1000, maxMs: 30_000 };

export interface InformerHooks<T> {
  /** An object was added, changed or deleted (including by a relist): the object, as last seen. */
  onChange(object: T): void;
  /** A list or a watch connection succeeded: whatever was wrong is over. */
  onHealthy(): void;
  /** The list or watch failed; the informer retries by itself after `retryInMs`. */
  onProblem(error: unknown, retryInMs: number): void;
}

/**
 * One list+watch of one resource in one scope, on client-node's `ListWatch` (the informer behind
 * `makeInformer`), made to survive what a long-running editor meets:
 * - 410 Gone relists (ListWatch does this itself);
 * - any other error (401, 403, 500, connection refused, a stream cut mid-way) stops a ListWatch for good,
 *   so this restarts it after an exponential backoff (capped), resuming from the last resourceVersion;
 * - `dispose()` leaves nothing running: ListWatch's own reconnect delay is given a cancellable timer,
 *   and a watch that connects after disposal is aborted at once (ListWatch cannot abort a watch that is
 *   still connecting, nor a list in flight).
 */
export class ResilientInformer<T extends KubernetesObject> {
  private readonly listWatch: ListWatch<T>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly controllers = new Set<AbortController>();
  private disposed = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private listedOnce = false;

  constructor(
    kubeConfig: KubeConfig,
    path: string,
    list: () => Promise<{ items: T[]; resourceVersion: string }>,
    private readonly hooks: InformerHooks<T>,
    private readonly backoff: Backoff = defaultBackoff,
    options: { labelSelector?: string; fieldSelector?: string } = {},
  ) {
    const watch = new TrackedWatch(kubeConfig, this);
    const listFn = async (): Promise<KubernetesListObject<T>> => {
      const result = await list();
      if (!this.disposed) {
        this.listedOnce = true;
        this.healthy();
      }
      return { metadata: { resourceVersion: result.resourceVersion }, items: result.items };
    };
    this.listWatch = new ListWatch<T>(path, watch, listFn, false, options.labelSelector, options.fieldSelector, {
      // ListWatch's own reconnect pause between clean watch ends: cancellable and never over our cap.
      delayFn: (ms) => this.delay(Math.min(ms, this.backoff.maxMs)),
    });
    const changed = (object: T) => {
      if (!this.disposed) this.hooks.onChange(object);
    };
    this.listWatch.on('add', changed);
    this.listWatch.on('update', changed);
    this.listWatch.on('delete', changed);
    this.listWatch.on('error', (error?: unknown) => this.fail(error));
  }

  /** Whether a list has succeeded at least once (the cache means something). */
  get synced(): boolean {
    return this.listedOnce;
  }

  list(): readonly T[] {
    return this.listWatch.list();
  }

  start(): void {
    if (this.disposed) return;
    this.listWatch.start().catch((error: unknown) => this.fail(error));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.controllers) controller.abort();
    this.controllers.clear();
    this.listWatch.stop().catch(() => undefined);
  }

  // ---- used by TrackedWatch ------------------------------------------------------------------------

  get isDisposed(): boolean {
    return this.disposed;
  }

  track(controller: AbortController): void {
    if (this.disposed) controller.abort();
    else this.controllers.add(controller);
  }

  untrack(controller: AbortController): void {
    this.controllers.delete(controller);
  }

  healthy(): void {
    if (this.disposed) return;
    this.failures = 0;
    this.hooks.onHealthy();
  }

  fail(error: unknown): void {
    if (this.disposed || this.retryTimer) return;
    const retryInMs = Math.min(this.backoff.initialMs * 2 ** this.failures, this.backoff.maxMs);
    this.failures++;
    this.hooks.onProblem(error, retryInMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.start();
    }, retryInMs);
  }

  private delay(ms: number): Promise<void> {
    // After dispose the promise never settles: ListWatch stays parked and is collected with us.
    return new Promise((resolve) => {
      if (this.disposed) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

type WatchCallback = (phase: string, apiObj: unknown, watchObj?: unknown) => void;

/** client-node's Watch, reporting established connections and refusing to open one after dispose. */
class TrackedWatch extends Watch {
  constructor(
    config: KubeConfig,
    private readonly owner: {
      isDisposed: boolean;
      track(c: AbortController): void;
      untrack(c: AbortController): void;
      healthy(): void;
      fail(e: unknown): void;
    },
  ) {
    super(config);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: WatchCallback,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    if (this.owner.isDisposed) {
      const parked = new AbortController();
      parked.abort();
      return parked;
    }
    let ended = false;
    const connection: { controller?: AbortController } = {};
    const onDone = (error: unknown) => {
      ended = true;
      if (connection.controller) this.owner.untrack(connection.controller);
      // ListWatch's done handler is async and nobody awaits it: catch what it throws.
      const pending: unknown = done(error);
      if (pending instanceof Promise) pending.catch((e: unknown) => this.owner.fail(e));
    };
    const controller = await super.watch(path, queryParams, callback, onDone);
    connection.controller = controller;
    if (!ended) {
      this.owner.track(controller);
      this.owner.healthy();
    }
    return controller;
  }
}
