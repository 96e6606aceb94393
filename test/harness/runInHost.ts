import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './browser';
import { makeIsolatedDirs, type IsolatedDirs } from './isolatedDirs';
import { repoRoot } from './toolPaths';
import { startVsCodeTestServer } from './vscodeServers';

export interface InHostRun {
  /** The test host's exit code (0: its `run()` resolved), or -1 when it did not finish in time. */
  exitCode: number;
  seconds: number;
  logs: string;
}

/**
 * Loads `testModule` (a CommonJS file exporting `run(): Promise<void>`) as `extensionTestsPath` in the real
 * VS Code 1.139.1 extension host, with `developmentExtension` (default: this repository) as the development
 * extension — the host takes only one — and waits for the host to exit. `prepare` runs before the server
 * starts (e.g. to install a VSIX into its extensions folder). The plain VS Code server is started with `--enable-smoke-test-driver`, so
 * the workbench reports the exit code through `codeAutomationExit`.
 */
export async function runInHost(options: {
  name: string;
  testModule: string;
  developmentExtension?: string;
  prepare?: (dirs: IsolatedDirs) => Promise<void>;
  env?: (dirs: IsolatedDirs) => NodeJS.ProcessEnv;
  timeoutMs?: number;
}): Promise<InHostRun> {
  if (!existsSync(options.testModule)) throw new Error(`${options.testModule} is missing`);
  const dirs = makeIsolatedDirs(options.name);
  dirs.writeSettings({});
  mkdirSync(join(dirs.root, 'kube'), { recursive: true });
  await options.prepare?.(dirs);
  const server = await startVsCodeTestServer(dirs, { HUBOPS_TEST_RUN_DIR: dirs.root, ...options.env?.(dirs) });
  const browser = await launchChromium();
  const started = Date.now();
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (_level: string, args: unknown[]) => {
      if (!process.env.HUBOPS_HOST_LOG) return;
      console.log(
        '[host]',
        ...(Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))),
      );
    });
    const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(options.developmentExtension ?? repoRoot)],
      ['extensionTestsPath', remote(options.testModule)],
    ]);
    await page.goto(
      `${server.url}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(payload)}`,
    );
    const timeout = new Promise<number>((resolve) =>
      setTimeout(() => resolve(-1), options.timeoutMs ?? 15 * 60_000).unref(),
    );
    const exitCode = await Promise.race([exited, timeout]);
    return { exitCode, seconds: (Date.now() - started) / 1000, logs: dirs.logs };
  } finally {
    await browser.close();
    await server.stop();
    if (!process.env.HUBOPS_KEEP_RUN) dirs.remove();
  }
}
