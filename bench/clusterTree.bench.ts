/**
 * The Clusters view at scale, in the real VS Code 1.139.1 extension host: 10,000 pods across 200 hubs on the
 * test API server. Prints the time to the collapsed context row's summary (its hub count and states, from
 * a list of the z2jh pods) and, once the context is opened, to the first full tree (every hub, group and
 * pod row), each against `kubectl get pods -A -o json` on the same server (ratio), the time from a lone watch
 * event (a second after the one before) to the updated row, and the extension host's heap growth. Figures only.
 *   npx tsx bench/clusterTree.bench.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { runScript } from '../test/harness/processes';
import { runInHost } from '../test/harness/runInHost';
import { repoRoot } from '../test/harness/toolPaths';
import { median } from './support/stats';

interface Figures {
  kubectlMs: number[];
  summaryMs: number;
  summary: string;
  treeMs: number;
  rows: number;
  eventMs: number[];
  heapBefore: number;
  heapTree: number;
  heapAfter: number;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'hubops-bench-tree-'));
  const probe = join(work, 'probe.js');
  await build({
    entryPoints: [join(repoRoot, 'bench/support/clusterTreeProbe.ts')],
    outfile: probe,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['vscode'],
    define: { navigator: 'undefined', 'globalThis.navigator': 'undefined' },
    logLevel: 'error',
  });
  const out = join(work, 'figures.json');
  const result = await runInHost({
    name: 'bench-tree',
    testModule: probe,
    env: () => ({ HUBOPS_BENCH_OUT: out }),
    timeoutMs: 10 * 60_000,
  });
  if (result.exitCode !== 0) throw new Error(`the probe failed in the host (exit ${result.exitCode})`);
  const f = JSON.parse(readFileSync(out, 'utf8')) as Figures;
  const kubectl = median(f.kubectlMs);
  console.log('Clusters view, real VS Code 1.139.1 extension host, 10,000 pods across 200 hubs:');
  console.log(`  collapsed row summary            ${f.summaryMs.toFixed(0)} ms ("${f.summary}")`);
  console.log(
    `  first full tree (${f.rows.toLocaleString('en-US')} rows)   ${f.treeMs.toFixed(0)} ms (after opening the context)`,
  );
  console.log(`  kubectl get pods -A -o json      ${kubectl.toFixed(0)} ms (median of 3, same server)`);
  console.log(
    `  ratio                            ${(f.summaryMs / kubectl).toFixed(2)}× kubectl (summary), ${(f.treeMs / kubectl).toFixed(2)}× kubectl (full tree)`,
  );
  console.log(
    `  watch event → updated row        median ${median(f.eventMs).toFixed(0)} ms (10 lone events, a second apart; runs: ${f.eventMs.map((x) => x.toFixed(0)).join(', ')})`,
  );
  console.log(
    `  host heap growth                 ${mib(f.heapTree - f.heapBefore)} for the full tree, ${mib(f.heapAfter - f.heapBefore)} after the events`,
  );
  rmSync(work, { recursive: true, force: true });
}

runScript(main);
