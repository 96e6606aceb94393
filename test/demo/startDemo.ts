import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCalibrationDb } from '../builders/hubDb';
import { makeIsolatedDirs } from '../harness/isolatedDirs';
import { repoRoot } from '../harness/toolPaths';
import { installVsix, startCodeServer } from '../harness/vscodeServers';
import { startTestServer } from '../k8s-server';
import { findScenario, Timeline } from '../k8s-server/scenarios';

export interface RunningDemo {
  /** VS Code in the browser, with the demo workspace open. */
  workbenchUrl: string;
  apiServerUrl: string;
  kubeconfig: string;
  scenario: { name: string; description: string };
  stop(): Promise<void>;
}

/**
 * The demo behind `npm run demo`: the Kubernetes API test server playing the "incident" scenario (an
 * OOM-looping hub, a class start, a healthy hub), and code-server with the packaged VSIX installed and
 * pointed at it. Needs `npm run package` first.
 */
export async function startDemo(options: { port?: number; speed?: number } = {}): Promise<RunningDemo> {
  const scenario = findScenario('incident')!;
  // The OOM-looping hub holds a database shaped like the incident's: one stress user with 1,500 named
  // servers of which 700 run, beside ~200 ordinary users (see docs/jupyterhub-startup.md).
  const work = mkdtempSync(join(tmpdir(), 'hubops-demo-'));
  const hubDbFile = join(work, 'jupyterhub.sqlite');
  writeFileSync(hubDbFile, await buildCalibrationDb({ stressServers: 1500, stressRunning: 700, ordinaryUsers: 198 }));

  const server = await startTestServer();
  const playing = new Timeline(server, scenario.steps({ hubDbFile })).play({ speed: options.speed ?? 1 });
  const dirs = makeIsolatedDirs('demo');
  const kubeconfig = join(dirs.home, '.kube/config');
  mkdirSync(join(dirs.home, '.kube'), { recursive: true });
  server.writeKubeconfig(kubeconfig, { context: 'demo-cluster' });
  // A local copy too, for "Open Hub DB File…" and the explorer.
  writeFileSync(join(dirs.workspace, 'incident-hub.sqlite'), readFileSync(hubDbFile));
  dirs.writeSettings({});
  await installVsix(dirs, join(repoRoot, 'dist-vsix/jupyterhub-ops.vsix'));
  const codeServer = await startCodeServer(dirs, { port: options.port });
  return {
    workbenchUrl: `${codeServer.url}/?folder=${encodeURIComponent(dirs.workspace)}`,
    apiServerUrl: server.url,
    kubeconfig,
    scenario,
    async stop() {
      playing.stop();
      await codeServer.stop();
      await server.close();
      dirs.remove();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
