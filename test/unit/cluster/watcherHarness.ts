/**
 * Runs a ClusterWatcher against the test API server with the real client-node, and waits for what it
 * reports. Waits end on a condition; their time limit only turns a hang into a readable failure.
 */
import { ClusterWatcher, type ClusterWatcherOptions } from '../../../src/core/cluster/clusterWatcher';
import type { ClusterModel, ContextModel } from '../../../src/core/cluster/model';
import type { Observation } from '../../../src/core/cluster/observations';
import type { TestServer } from '../../k8s-server';
import { useTestServer } from '../../k8s-server/useTestServer';

export const context = 'hubops-test';

export interface Watched {
  watcher: ClusterWatcher;
  observations: Observation[];
  /** Resolves with the context model once `predicate` holds (checked now and on every change). */
  until(predicate: (c: ContextModel) => boolean, what: string, limitMs?: number): Promise<ContextModel>;
  /** Resolves once an observation matching `predicate` has been emitted. */
  observed(predicate: (o: Observation) => boolean, what: string, limitMs?: number): Promise<Observation>;
}

export type WatchOptions = { token?: string; namespaces?: string[] } & Partial<ClusterWatcherOptions>;

/**
 * Mocha hooks for watcher tests: a fresh test server per test, and `watch()` to start a watcher on it;
 * after each test the watcher is disposed, then the server closed. Call inside a `describe`.
 */
export function useWatchedServer(): { server: () => TestServer; watch: (options?: WatchOptions) => Watched } {
  // Every watcher a test starts, not only its last: one left running retries its watches forever once the
  // server is gone, and keeps the test process from exiting.
  const started = new Set<Watched>();
  afterEach(() => {
    for (const watched of started) watched.watcher.dispose();
    started.clear();
  });
  const server = useTestServer();
  return {
    server,
    watch: (options) => {
      const watched = watch(server(), options);
      started.add(watched);
      return watched;
    },
  };
}

export function watch(server: TestServer, options: WatchOptions = {}): Watched {
  const { token, ...rest } = options;
  const watcher = new ClusterWatcher({
    kubeConfig: server.kubeConfig({ context, ...(token ? { token } : {}) }),
    contexts: [context],
    debounceMs: 20,
    metricsIntervalMs: 60_000,
    backoff: { initialMs: 50, maxMs: 400 },
    ...rest,
  });
  const observations: Observation[] = [];
  let latest: ClusterModel = watcher.model();
  const waiters = new Set<() => void>();
  watcher.onChange((model) => {
    latest = model;
    for (const w of [...waiters]) w();
  });
  watcher.onObservation((o) => {
    observations.push(o);
    for (const w of [...waiters]) w();
  });
  const waitFor = <T>(check: () => T | undefined, what: string, limitMs: number): Promise<T> =>
    new Promise((resolve, reject) => {
      const attempt = () => {
        const found = check();
        if (found === undefined) return;
        waiters.delete(attempt);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(attempt);
        reject(
          new Error(
            `timed out waiting for ${what}; last model: ${JSON.stringify(latest.contexts[0], null, 1).slice(0, 1500)}`,
          ),
        );
      }, limitMs);
      waiters.add(attempt);
      attempt();
    });
  watcher.start();
  return {
    watcher,
    observations,
    until: (predicate, what, limitMs = 10_000) =>
      waitFor(() => (predicate(latest.contexts[0]!) ? latest.contexts[0]! : undefined), what, limitMs),
    observed: (predicate, what, limitMs = 10_000) => waitFor(() => observations.find(predicate), what, limitMs),
  };
}

/** Polls a condition on the process (sockets closing take a few event-loop turns). */
export async function eventually(check: () => boolean, what: string, limitMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > limitMs) {
      throw new Error(`timed out waiting for ${what} (active: ${process.getActiveResourcesInfo().join(', ')})`);
    }
    await new Promise((r) => setTimeout(r, 20));
    // Check from the check phase, not from inside the timer that just fired (it still counts as active).
    await new Promise((r) => setImmediate(r));
  }
}

export const count = (kind: string) => process.getActiveResourcesInfo().filter((r) => r === kind).length;
