/** Mocha: one Prometheus with every scenario history (histories.ts) for the whole test run. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrometheusClient } from '../../src/core/prometheus/client';
import { connectUrl } from '../../src/core/prometheus/source';
import { loadHistories, type LoadedHistories } from './histories';

let shared: Promise<LoadedHistories> | undefined;

// A root hook: it runs after the whole run, not after the first file that used the histories.
after(async () => {
  if (!shared) return;
  const loaded = await shared;
  await loaded.prometheus.stop();
  rmSync(loaded.dir, { recursive: true, force: true });
});

/** Waits for the shared Prometheus before the tests of a `describe` (built on first use). */
export function usePrometheusHistories(): () => LoadedHistories {
  let loaded: LoadedHistories | undefined;
  before(async function () {
    this.timeout(180_000);
    shared ??= loadHistories(mkdtempSync(join(tmpdir(), 'hubops-histories-')));
    loaded = await shared;
  });
  return () => {
    if (!loaded) throw new Error('usePrometheusHistories: not loaded yet');
    return loaded;
  };
}

/** The shared histories and a client checked against them, for the tests of a `describe`. */
export function usePrometheusClient(): { histories: () => LoadedHistories; client: () => PrometheusClient } {
  const histories = usePrometheusHistories();
  let client: PrometheusClient | undefined;
  before(async () => {
    const found = await connectUrl(histories().prometheus.url);
    if (!found.ok) throw new Error(found.error.message);
    client = found.value.client;
  });
  return {
    histories,
    client: () => {
      if (!client) throw new Error('usePrometheusClient: not connected yet');
      return client;
    },
  };
}
