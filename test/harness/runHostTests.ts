/**
 * Runs the in-host tests (dist-test/host/*.test.js) inside the real VS Code 1.139.1 extension host:
 * the plain VS Code server from code-server, opened in Debian's Chromium with `extensionDevelopmentPath` and
 * `extensionTestsPath`; the workbench reports the test host's exit code through `codeAutomationExit`.
 *   tsx test/harness/runHostTests.ts            (after `node scripts/build.mjs --tests`)
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './browser';
import { makeIsolatedDirs } from './isolatedDirs';
import { stopAllSync } from './processes';
import { repoRoot } from './toolPaths';
import { startVsCodeTestServer } from './vscodeServers';

const TEST_TIMEOUT_MS = 15 * 60_000;

async function main(): Promise<number> {
  const testModule = join(repoRoot, 'dist-test/host/index.js');
  if (!existsSync(testModule)) throw new Error(`${testModule} is missing: run node scripts/build.mjs --tests`);
  const dirs = makeIsolatedDirs('host');
  const report = join(dirs.logs, 'mocha.txt');
  const kubeDir = join(dirs.root, 'kube');
  mkdirSync(kubeDir, { recursive: true });
  dirs.writeSettings({});
  const server = await startVsCodeTestServer(dirs, {
    HUBOPS_TEST_RUN_DIR: dirs.root,
    HUBOPS_TEST_REPORT: report,
    // Two kubeconfig files joined as kubectl does; the tests write them (and watch the tree follow).
    KUBECONFIG: [join(kubeDir, 'a.yaml'), join(kubeDir, 'b.yaml')].join(':'),
  });
  const browser = await launchChromium();
  const started = Date.now();
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (_level: string, args: unknown[]) => {
      const text = (Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a)));
      if (process.env.HUBOPS_HOST_LOG) console.log('[host]', ...text);
    });
    const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(testModule)],
    ]);
    await page.goto(
      `${server.url}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(payload)}`,
    );
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(-1), TEST_TIMEOUT_MS).unref());
    const code = await Promise.race([exitCode, timeout]);
    if (existsSync(report) && statSync(report).size > 0) process.stdout.write(readFileSync(report, 'utf8'));
    else console.error(`in-host tests produced no report (see ${dirs.logs})`);
    if (code === -1) console.error(`in-host tests did not finish within ${TEST_TIMEOUT_MS / 60_000} minutes`);
    console.log(
      `in-host tests: exit ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s (logs: ${dirs.logs})`,
    );
    return code;
  } finally {
    await browser.close();
    await server.stop();
    if (!process.env.HUBOPS_KEEP_RUN) dirs.remove();
  }
}

main().then(
  (code) => {
    stopAllSync();
    process.exit(code);
  },
  (error: unknown) => {
    console.error(error);
    stopAllSync();
    process.exit(1);
  },
);
