/**
 * The cluster model at scale: 10,000 pods across 200 hubs (hub, proxy and 48 user servers each, a few
 * Pending), 100 nodes, pod metrics and scheduler events, on the local test API server.
 *  - time to the first full model: one list pass + model (what `hubops cluster` does), against
 *    `kubectl get pods -A -o json` on the same server (both parse every pod), and the watcher's first model;
 *  - time from a watch event to the updated model, for events back to back (a burst, so each waits out the
 *    watcher's 250 ms quiet time; a lone event is measured in the host by clusterTree.bench.ts), and the
 *    rebuild alone, full and of one namespace's hub (what the watcher does after a pod of one hub changes);
 *  - heap growth of the watcher while it keeps the model current.
 * The server runs in this process, so it serves both clients under the same load. Figures only.
 *   npx tsx bench/cluster.bench.ts [--runs 3] [--events 20]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHubsWithEvents } from '../src/core/cluster/buildModel';
import { normalizeEvent } from '../src/core/cluster/clusterEvents';
import { ClusterWatcher } from '../src/core/cluster/clusterWatcher';
import { ContextClient } from '../src/core/cluster/contextClient';
import { listContext } from '../src/core/cluster/listPass';
import type { ClusterModel } from '../src/core/cluster/model';
import { startTestServer } from '../test/k8s-server/server';
import { userPod } from '../test/k8s-server/objects';
import { populateCluster } from './support/populateCluster';
import { heapAfterGc, median } from './support/stats';
import { runScript } from '../test/harness/processes';
import { numberOption } from './support/options';

const runs = numberOption('--runs', 3);
const watchEvents = numberOption('--events', 20);
const hubs = 200;
const usersPerHub = 48;
const nodes = 100;
const context = 'bench';
// Never the sync variant: the test server runs in this process and must keep answering.
const run = promisify(execFile);
const ms = (x: number) => `${x.toFixed(0)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'hubops-bench-cluster-'));
  const server = await startTestServer({ historyLimit: 50_000 });
  try {
    populateCluster(server, { hubs, usersPerHub, nodes });
    const kubeconfigFile = server.writeKubeconfig(join(work, 'config'), { context });
    const kubeConfig = server.kubeConfig({ context });
    console.log(
      `cluster: ${hubs} hubs, ${hubs * (usersPerHub + 2)} pods, ${nodes + 1} nodes, ${hubs * 2} events, pod metrics for running pods`,
    );

    // ---- first full model: list pass vs kubectl ---------------------------------------------------------
    const kubectlTimes: number[] = [];
    const cacheDir = join(work, 'kubectl-cache');
    // A first call fills kubectl's discovery cache, as on an operator's machine.
    await run('kubectl', ['--kubeconfig', kubeconfigFile, '--cache-dir', cacheDir, 'get', 'ns', '-o', 'name']);
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const { stdout } = await run(
        'kubectl',
        ['--kubeconfig', kubeconfigFile, '--cache-dir', cacheDir, 'get', 'pods', '-A', '-o', 'json'],
        { maxBuffer: 1 << 30, encoding: 'buffer' },
      );
      kubectlTimes.push(performance.now() - t0);
      if (i === 0) console.log(`kubectl get pods -A -o json: ${(stdout.length / 1e6).toFixed(1)} MB of JSON`);
    }
    const listTimes: number[] = [];
    const listOnlyTimes: number[] = [];
    const noConfigTimes: number[] = [];
    let hubsSeen = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const model = await listContext(kubeConfig, context);
      listTimes.push(performance.now() - t0);
      hubsSeen = model.hubs.length;
      const t2 = performance.now();
      await listContext(kubeConfig, context, { hubConfig: false });
      noConfigTimes.push(performance.now() - t2);
      const client = new ContextClient(kubeConfig, context);
      const t1 = performance.now();
      await client.listPods();
      listOnlyTimes.push(performance.now() - t1);
      client.dispose();
    }
    console.log(
      `kubectl get pods -A -o json        median ${ms(median(kubectlTimes))}  (runs: ${kubectlTimes.map(ms).join(', ')})`,
    );
    console.log(
      `list pass + model (hubops cluster)  median ${ms(median(listTimes))}  (runs: ${listTimes.map(ms).join(', ')}; ${hubsSeen} hubs)`,
    );
    console.log(`  without reading ${hubs} hub configs median ${ms(median(noConfigTimes))}`);
    console.log(`  listing the pods alone            median ${ms(median(listOnlyTimes))}`);
    console.log(`  ratio list pass / kubectl: ${(median(listTimes) / median(kubectlTimes)).toFixed(2)}`);

    // ---- the watcher: first model, event → model, heap ---------------------------------------------------
    const heapBefore = heapAfterGc();
    const watcher = new ClusterWatcher({ kubeConfig, contexts: [context], metricsIntervalMs: 60_000 });
    let latest: ClusterModel = watcher.model();
    let waiting: { check: (m: ClusterModel) => boolean; resolve: () => void } | undefined;
    watcher.onChange((m) => {
      latest = m;
      if (waiting?.check(m)) {
        waiting.resolve();
        waiting = undefined;
      }
    });
    const until = (check: (m: ClusterModel) => boolean) =>
      new Promise<void>((resolve) => {
        if (check(latest)) resolve();
        else waiting = { check, resolve };
      });
    const tStart = performance.now();
    watcher.start();
    await until((m) => m.contexts[0]!.hubs.length === hubs);
    const firstModelMs = performance.now() - tStart;
    await new Promise((r) => setTimeout(r, 500)); // hub configs read, first metrics poll
    const heapSynced = heapAfterGc();

    const eventTimes: number[] = [];
    for (let i = 0; i < watchEvents; i++) {
      const ns = `hub-${String((i * 7) % hubs).padStart(3, '0')}`;
      const name = `bench-${i}`;
      const t0 = performance.now();
      server.cluster.apply(userPod({ namespace: ns, username: name }));
      await until((m) =>
        m.contexts[0]!.hubs.some((h) => h.namespace === ns && h.pods.some((p) => p.name === `jupyter-${name}`)),
      );
      eventTimes.push(performance.now() - t0);
    }
    const heapAfterEvents = heapAfterGc();

    // The rebuild alone, from the watcher's caches' worth of objects.
    const client = new ContextClient(kubeConfig, context);
    const [pods, events] = await Promise.all([client.listPods(), client.listEvents()]);
    client.dispose();
    const snapshot = {
      pods: pods.items,
      events: events.items.map(normalizeEvent),
      nodes: null,
      podMetrics: null,
      now: Date.now(),
    };
    const rebuildTimes: number[] = [];
    const oneHubTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      let t0 = performance.now();
      const built = buildHubsWithEvents(snapshot);
      rebuildTimes.push(performance.now() - t0);
      // What the watcher does after a pod changes: only that pod's namespace is built again.
      t0 = performance.now();
      buildHubsWithEvents(snapshot, { built, changedNamespaces: new Set([built.hubs[i]!.namespace]) });
      oneHubTimes.push(performance.now() - t0);
    }
    watcher.dispose();

    console.log(`watcher: start → first full model     ${ms(firstModelMs)}`);
    console.log(
      `watcher: watch event → updated model  median ${ms(median(eventTimes))}, max ${ms(Math.max(...eventTimes))} (${watchEvents} events back to back, a burst: each waits out the 250 ms quiet time)`,
    );
    console.log(`model rebuild alone (10,000 pods)     median ${ms(median(rebuildTimes))}`);
    console.log(`  one namespace's hub built again      median ${ms(median(oneHubTimes))}`);
    console.log(
      `heap: +${mib(heapSynced - heapBefore)} once synced (informer caches + model), +${mib(heapAfterEvents - heapSynced)} more after ${watchEvents} watch events`,
    );
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

runScript(main);
