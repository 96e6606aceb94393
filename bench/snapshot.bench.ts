/**
 * Throughput of a hub DB snapshot of a ~100 MB database through exec (snapshotHubDb: online backup in the
 * container, websocket stream, quick_check, rename) against `kubectl exec … -- cat` of the same file
 * from the same local test server. The DB is generated here into a temp dir and removed afterwards.
 * Figures only, no assertions.
 *   npx tsx bench/snapshot.bench.ts [--runs 3] [--mb 100]
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execToSink } from '../src/core/snapshot/execStream';
import { quickCheck } from '../src/core/snapshot/quickCheck';
import { snapshotHubDb } from '../src/core/snapshot/snapshotHubDb';
import { hubPod, namespace, node } from '../test/k8s-server/objects';
import { startTestServer } from '../test/k8s-server/server';
import { median } from './support/stats';
import { runScript } from '../test/harness/processes';
import { numberOption } from './support/options';

const runs = numberOption('--runs', 3);
const megabytes = numberOption('--mb', 100);
const MB = 1_000_000;

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'hubops-bench-snapshot-'));
  const server = await startTestServer();
  try {
    const pod = hubPod({ namespace: 'hub-bench', node: 'gke-core-1' });
    server.cluster.applyAll([namespace('hub-bench'), node({ name: 'gke-core-1', pool: 'core' }), pod]);
    const fs = server.cluster.containers.get('hub-bench', pod.metadata.name, 'hub');
    const live = fs.hostPath('/srv/jupyterhub/jupyterhub.sqlite');
    const rows = Math.round((megabytes * MB) / 1100);
    execFileSync('sqlite3', [
      live,
      `CREATE TABLE spawners(id INTEGER PRIMARY KEY, state TEXT); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${rows}) INSERT INTO spawners(state) SELECT hex(randomblob(500)) FROM c;`,
    ]);
    const bytes = statSync(live).size;
    console.log(`hub DB: ${(bytes / MB).toFixed(1)} MB, ${runs} runs each, median shown`);

    const kubeconfig = server.writeKubeconfig(join(work, 'kubeconfig'));
    const kubeConfig = server.kubeConfig();
    const snapshotSeconds: number[] = [];
    const checkSeconds: number[] = [];
    const catSeconds: number[] = [];
    const rawSeconds: number[] = [];
    for (let i = 0; i < runs; i++) {
      const dest = join(work, `snap-${i}.sqlite`);
      let t0 = performance.now();
      const result = await snapshotHubDb({
        kubeConfig,
        namespace: 'hub-bench',
        pod: pod.metadata.name,
        destFile: dest,
      });
      if (!result.ok) throw new Error(result.error.userMessage);
      snapshotSeconds.push((performance.now() - t0) / 1000);
      t0 = performance.now();
      await quickCheck(dest);
      checkSeconds.push((performance.now() - t0) / 1000);
      rmSync(dest);
      rmSync(`${dest}.json`);
      await server.execIdle();

      // The same websocket stream without backup, hashing or disk: client-node Exec of cat, in this process.
      let streamed = 0;
      t0 = performance.now();
      await execToSink(
        kubeConfig,
        { namespace: 'hub-bench', pod: pod.metadata.name, container: 'hub' },
        ['cat', '/srv/jupyterhub/jupyterhub.sqlite'],
        {
          write: (chunk) => ((streamed += chunk.length), true),
          once: () => undefined,
        },
      );
      rawSeconds.push((performance.now() - t0) / 1000);
      if (streamed !== bytes) throw new Error('client-node cat returned a different size');
      await server.execIdle();

      const out = join(work, `cat-${i}.sqlite`);
      const fd = openSync(out, 'w');
      t0 = performance.now();
      await new Promise<void>((resolve, reject) => {
        const child = spawn(
          'kubectl',
          ['exec', '-n', 'hub-bench', pod.metadata.name, '-c', 'hub', '--', 'cat', '/srv/jupyterhub/jupyterhub.sqlite'],
          { stdio: ['ignore', fd, 'inherit'], env: { PATH: process.env.PATH, HOME: work, KUBECONFIG: kubeconfig } },
        );
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kubectl exited ${code}`))));
      });
      catSeconds.push((performance.now() - t0) / 1000);
      closeSync(fd);
      if (statSync(out).size !== bytes) throw new Error('kubectl cat returned a different size');
      rmSync(out);
      await server.execIdle();
    }
    const snap = median(snapshotSeconds);
    const cat = median(catSeconds);
    const rate = (s: number) => `${(bytes / MB / s).toFixed(1)} MB/s`;
    console.log(`snapshotHubDb (backup + stream + quick_check + rename): ${snap.toFixed(2)} s  ${rate(snap)}`);
    console.log(`  of which quick_check alone (sql.js, measured apart):   ${median(checkSeconds).toFixed(2)} s`);
    console.log(
      `client-node Exec of cat, same process as the server:   ${median(rawSeconds).toFixed(2)} s  ${rate(median(rawSeconds))}`,
    );
    console.log(`kubectl exec -- cat:                                      ${cat.toFixed(2)} s  ${rate(cat)}`);
    console.log(`ratio snapshot / cat (time): ${(snap / cat).toFixed(2)}×`);
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

runScript(main);
