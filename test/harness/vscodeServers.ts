import { join } from 'node:path';
import type { IsolatedDirs } from './isolatedDirs';
import { freePort, startProcess, waitForHttp, type ManagedProcess } from './processes';
import { toolPaths } from './toolPaths';

export interface RunningServer {
  url: string;
  port: number;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * The plain VS Code 1.139.1 server inside code-server, which (unlike code-server's own CLI) accepts
 * `--enable-smoke-test-driver`: the workbench then reports the test extension host's exit code to the page.
 * Used for in-host tests loaded through `extensionTestsPath`.
 */
export async function startVsCodeTestServer(dirs: IsolatedDirs, env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  const { node24Bin, codeServerDir } = toolPaths();
  const port = await freePort();
  const process = startProcess(
    join(node24Bin, 'node'),
    [
      join(codeServerDir, 'lib/vscode/out/server-main.js'),
      '--host=127.0.0.1',
      `--port=${port}`,
      '--without-connection-token',
      '--accept-server-license-terms',
      '--enable-smoke-test-driver',
      '--disable-telemetry',
      '--reconnection-grace-time=5',
      `--server-data-dir=${dirs.serverDataDir}`,
      `--user-data-dir=${dirs.userDataDir}`,
      `--extensions-dir=${dirs.extensionsDir}`,
    ],
    {
      env: dirs.env({ PATH: `${node24Bin}:${globalThis.process.env.PATH}`, ...env }),
      logFile: join(dirs.logs, 'server.log'),
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/version`, 30_000, process.exited);
  return { url, port, process, stop: () => process.stop() };
}

/** code-server 4.139.1 as an operator runs it, for UI tests and the demo. */
export async function startCodeServer(
  dirs: IsolatedDirs,
  options: { env?: NodeJS.ProcessEnv; port?: number; host?: string } = {},
): Promise<RunningServer> {
  const { node24Bin, codeServerDir } = toolPaths();
  const port = options.port ?? (await freePort());
  const host = options.host ?? '127.0.0.1';
  const process = startProcess(
    join(node24Bin, 'node'),
    [
      join(codeServerDir, 'out/node/entry.js'),
      '--auth=none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--reconnection-grace-time=5',
      // HUBOPS_TRACE=1: the extension host logs at trace level (VS Code's tree view logs each refresh there).
      ...(globalThis.process.env.HUBOPS_TRACE ? ['--log=trace'] : []),
      `--bind-addr=${host}:${port}`,
      `--user-data-dir=${dirs.userDataDir}`,
      `--extensions-dir=${dirs.extensionsDir}`,
      dirs.workspace,
    ],
    {
      env: dirs.env({ PATH: `${node24Bin}:${globalThis.process.env.PATH}`, ...options.env }),
      logFile: join(dirs.logs, 'code-server.log'),
    },
  );
  const url = `http://${host}:${port}`;
  await waitForHttp(`${url}/healthz`, 30_000, process.exited);
  return { url, port, process, stop: () => process.stop() };
}

/** Installs a VSIX the way an operator would (`code-server --install-extension`). */
export async function installVsix(dirs: IsolatedDirs, vsix: string): Promise<void> {
  const { node24Bin, codeServerDir } = toolPaths();
  const install = startProcess(
    join(node24Bin, 'node'),
    [
      join(codeServerDir, 'out/node/entry.js'),
      `--user-data-dir=${dirs.userDataDir}`,
      `--extensions-dir=${dirs.extensionsDir}`,
      '--install-extension',
      vsix,
    ],
    { env: dirs.env({ PATH: `${node24Bin}:${process.env.PATH}` }), logFile: join(dirs.logs, 'install.log') },
  );
  const code = await install.exited;
  await install.stop();
  if (code !== 0) throw new Error(`installing ${vsix} failed (exit ${code}); see ${join(dirs.logs, 'install.log')}`);
}
