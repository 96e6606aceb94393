/**
 * Activation time of the production bundle (what the VSIX ships, built by `npm run package`) in the real
 * VS Code 1.139.1 extension host, against a peer measured the same way: an empty extension generated here
 * that only registers one command. Each round starts a fresh host for each (the test host loads one
 * development extension), so every activation is cold. Activation parses only the shell (dist/extension.js);
 * the time of the first use after it, which loads dist/features.js, is printed beside it (no peer), with the
 * size of each bundle that loads later, on its own first use.
 * Also prints the VSIX size. Figures only, no assertions.
 *   npm run package && npx tsx bench/activation.bench.ts [--runs 5] [--profile]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { runScript } from '../test/harness/processes';
import { numberOption } from './support/options';
import { runInHost } from '../test/harness/runInHost';
import { repoRoot } from '../test/harness/toolPaths';
import { median } from './support/stats';

const vsix = join(repoRoot, 'dist-vsix/jupyterhub-ops.vsix');

const runs = numberOption('--runs', 5);
const ourId = 'jupyterhub-ops.jupyterhub-ops';

/** Runs inside the host: activates the extension named by HUBOPS_BENCH_ID, cold, and writes the time. */
const probeSource = `
const vscode = require('vscode');
const { writeFileSync } = require('node:fs');
exports.run = async function () {
  const id = process.env.HUBOPS_BENCH_ID;
  const ext = vscode.extensions.getExtension(id);
  if (!ext) throw new Error(id + ' not loaded');
  if (ext.isActive) throw new Error(id + ' was already active');
  // --profile: a CPU profile of the activation (node:inspector inside the host), for where the time goes.
  const profileTo = process.env.HUBOPS_BENCH_PROFILE;
  let session;
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params || {}, (e, r) => (e ? reject(e) : resolve(r))));
  if (profileTo) {
    session = new (require('node:inspector').Session)();
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 100 });
    await post('Profiler.start');
  }
  const t0 = performance.now();
  await ext.activate();
  const activation = performance.now() - t0;
  // The first use after it (a view asking for rows, a command): reading the API loads the features' bundle.
  const t1 = performance.now();
  if (process.env.HUBOPS_BENCH_FIRST_USE) void ext.exports[process.env.HUBOPS_BENCH_FIRST_USE];
  writeFileSync(process.env.HUBOPS_BENCH_OUT, JSON.stringify([activation, performance.now() - t1]));
  if (profileTo) writeFileSync(profileTo, JSON.stringify((await post('Profiler.stop')).profile));
};
`;

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'hubops-bench-activation-'));
  const peerDir = join(work, 'empty-extension');
  mkdirSync(peerDir);
  writeFileSync(
    join(peerDir, 'package.json'),
    JSON.stringify({
      name: 'empty-extension',
      publisher: 'hubops-bench',
      version: '0.0.1',
      engines: { vscode: '^1.139.0' },
      main: './extension.js',
      activationEvents: [],
      contributes: { commands: [{ command: 'hubopsBench.hello', title: 'Hello' }] },
    }),
  );
  writeFileSync(
    join(peerDir, 'extension.js'),
    "const vscode = require('vscode');\nexports.activate = (c) => c.subscriptions.push(vscode.commands.registerCommand('hubopsBench.hello', () => 1));\n",
  );
  const probe = join(work, 'probe.js');
  await build({
    stdin: { contents: probeSource, loader: 'js' },
    outfile: probe,
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    bundle: true,
  });

  const peer: number[] = [];
  const ours: number[] = [];
  const firstUse: number[] = [];
  const activate = async (id: string, developmentExtension: string, profile?: string): Promise<number[]> => {
    const out = join(work, 'activation.txt');
    const run = await runInHost({
      name: 'bench-activation',
      testModule: probe,
      developmentExtension,
      env: () => ({
        HUBOPS_BENCH_OUT: out,
        HUBOPS_BENCH_ID: id,
        ...(id === ourId ? { HUBOPS_BENCH_FIRST_USE: 'incident' } : {}),
        ...(profile ? { HUBOPS_BENCH_PROFILE: profile } : {}),
      }),
      timeoutMs: 120_000,
    });
    if (run.exitCode !== 0) throw new Error(`activating ${id} failed (exit ${run.exitCode})`);
    return JSON.parse(readFileSync(out, 'utf8')) as number[];
  };
  for (let i = 0; i < runs; i++) {
    peer.push((await activate('hubops-bench.empty-extension', peerDir))[0]!);
    const [activation, loadFeatures] = await activate(ourId, repoRoot);
    ours.push(activation!);
    firstUse.push(loadFeatures!);
  }
  if (process.argv.includes('--profile')) {
    // One more activation, profiled (the sampling slows it: not counted above).
    mkdirSync(join(repoRoot, '.bench-output'), { recursive: true });
    const file = join(repoRoot, '.bench-output/activation.cpuprofile');
    await activate(ourId, repoRoot, file);
    console.log(`CPU profile of one more activation: ${file}`);
  }
  const bundle = statSync(join(repoRoot, 'dist/extension.js')).size;
  const vsixBytes = statSync(vsix).size;
  console.log(`activation (real VS Code 1.139.1 host, ${runs} cold runs, median):`);
  console.log(
    `  jupyterhub-ops     ${median(ours).toFixed(1)} ms   (runs: ${ours.map((x) => x.toFixed(0)).join(', ')})`,
  );
  console.log(
    `  empty extension    ${median(peer).toFixed(1)} ms   (runs: ${peer.map((x) => x.toFixed(0)).join(', ')})`,
  );
  console.log(`  ratio              ${(median(ours) / median(peer)).toFixed(1)}x the empty extension`);
  console.log(
    `first use after it (dist/features.js loaded): ${median(firstUse).toFixed(1)} ms median   (runs: ${firstUse.map((x) => x.toFixed(0)).join(', ')})`,
  );
  console.log(`dist/extension.js    ${(bundle / 1024).toFixed(0)} KiB (parsed at activation)`);
  for (const [name, when] of [
    ['features', 'on first use: a view asks for rows, a command runs'],
    ['client-node', 'with the first cluster read'],
    ['explorer', 'with the first hub DB opened'],
    ['report', 'with the first report'],
    ['analyzer', 'in the snapshot quick check’s worker; the explorer’s worker has its own copy'],
  ]) {
    const size = statSync(join(repoRoot, `dist/${name}.js`)).size;
    console.log(`${`dist/${name}.js`.padEnd(21)}${(size / 1024).toFixed(0)} KiB (parsed ${when})`);
  }
  console.log(`VSIX                 ${(vsixBytes / 1024).toFixed(0)} KiB (dist-vsix/jupyterhub-ops.vsix)`);
  rmSync(work, { recursive: true, force: true });
}

runScript(main);
