/**
 * Runs the in-host tests (dist-test/host/*.test.js, built by `node scripts/build.mjs --tests`) inside the real
 * VS Code 1.139.1 extension host and prints their mocha report (the host has no terminal of its own).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript } from './processes';
import { runInHost } from './runInHost';
import { repoRoot } from './toolPaths';

async function main(): Promise<number> {
  // Outside the run folder, which runInHost removes before returning.
  const reportDir = mkdtempSync(join(tmpdir(), 'hubops-host-report-'));
  const report = join(reportDir, 'mocha.txt');
  const run = await runInHost({
    name: 'host',
    testModule: join(repoRoot, 'dist-test/host/index.js'),
    env: (dirs) => {
      const kube = join(dirs.root, 'kube');
      // Two kubeconfig files joined as kubectl does; the tests write them (and watch the tree follow).
      return {
        HUBOPS_TEST_REPORT: report,
        KUBECONFIG: [join(kube, 'a.yaml'), join(kube, 'b.yaml')].join(':'),
        ...(process.env.HUBOPS_HOST_GREP ? { HUBOPS_HOST_GREP: process.env.HUBOPS_HOST_GREP } : {}),
      };
    },
  }).catch((error: unknown) => {
    console.error(error);
    return undefined;
  });
  if (existsSync(report) && statSync(report).size > 0) process.stdout.write(readFileSync(report, 'utf8'));
  else console.error('in-host tests produced no report');
  rmSync(reportDir, { recursive: true, force: true });
  if (!run) return 1;
  if (run.exitCode === -1) console.error('in-host tests did not finish in time');
  console.log(`in-host tests: exit ${run.exitCode} after ${run.seconds.toFixed(1)} s`);
  return run.exitCode;
}

runScript(main);
