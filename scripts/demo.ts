/**
 * The demo behind `npm run demo` (see scripts/demo.sh): a simulated incident cluster and VS Code in the browser.
 * `--smoke` starts everything, checks the workbench answers, and exits (used by tests).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCalibrationDb } from '../test/builders/hubDb';
import { makeIsolatedDirs } from '../test/harness/isolatedDirs';
import { stopAllSync } from '../test/harness/processes';
import { repoRoot } from '../test/harness/toolPaths';
import { installVsix, startCodeServer } from '../test/harness/vscodeServers';
import { startTestServer } from '../test/k8s-server';
import { findScenario, Timeline } from '../test/k8s-server/scenarios';

async function main() {
  const smoke = process.argv.includes('--smoke');
  const port = Number(process.env.HUBOPS_DEMO_PORT ?? (smoke ? 0 : 8080));
  const speed = Number(process.env.HUBOPS_DEMO_SPEED ?? 1);
  const scenario = findScenario('incident')!;

  // The OOM-looping hub holds a database shaped like the incident's: one stress user with 1,500 named
  // servers of which 700 run, beside ~200 ordinary users (see ../shared/jupyterhub-facts.md).
  const work = mkdtempSync(join(tmpdir(), 'hubops-demo-'));
  const hubDbFile = join(work, 'jupyterhub.sqlite');
  writeFileSync(hubDbFile, await buildCalibrationDb({ stressServers: 1500, stressRunning: 700, ordinaryUsers: 198 }));

  const server = await startTestServer();
  const timeline = new Timeline(server, scenario.steps({ hubDbFile }));
  const playing = timeline.play({ speed });

  const dirs = makeIsolatedDirs('demo');
  mkdirSync(join(dirs.home, '.kube'), { recursive: true });
  server.writeKubeconfig(join(dirs.home, '.kube/config'), { context: 'demo-cluster' });
  // A local copy too, for "Open Hub DB File…" and the explorer.
  writeFileSync(join(dirs.workspace, 'incident-hub.sqlite'), readFileSync(hubDbFile));
  await installVsix(dirs, join(repoRoot, 'dist-vsix/jupyterhub-ops.vsix'));
  const codeServer = await startCodeServer(dirs, { port: port || undefined });

  const stop = async () => {
    playing.stop();
    await codeServer.stop();
    await server.close();
    dirs.remove();
    rmSync(work, { recursive: true, force: true });
  };

  console.log(`Kubernetes API test server: ${server.url} (scenario "${scenario.name}": ${scenario.description})`);
  console.log(`kubeconfig:                 ${join(dirs.home, '.kube/config')}`);
  console.log(`\nOpen VS Code with JupyterHub Ops: ${codeServer.url}/?folder=${encodeURIComponent(dirs.workspace)}\n`);
  if (smoke) {
    const response = await fetch(`${codeServer.url}/healthz`);
    console.log(`demo smoke check: code-server answered ${response.status}`);
    await stop();
    return;
  }
  console.log('Ctrl-C stops everything.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log('\nstopping…');
  await stop();
}

main().then(
  () => {
    stopAllSync();
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    stopAllSync();
    process.exit(1);
  },
);
