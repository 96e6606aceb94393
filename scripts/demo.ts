/**
 * `npm run demo` (see scripts/demo.sh): a simulated incident cluster and VS Code in the browser, until Ctrl-C.
 *   HUBOPS_DEMO_PORT (default 8080), HUBOPS_DEMO_SPEED (scenario speed, default 1 = real time)
 */
import { startDemo } from '../test/demo/startDemo';
import { runScript } from '../test/harness/processes';

async function main() {
  const demo = await startDemo({
    port: Number(process.env.HUBOPS_DEMO_PORT ?? 8080),
    speed: Number(process.env.HUBOPS_DEMO_SPEED ?? 1),
  });
  console.log(
    `Kubernetes API test server: ${demo.apiServerUrl} (scenario "${demo.scenario.name}": ${demo.scenario.description})`,
  );
  console.log(`kubeconfig:                 ${demo.kubeconfig}`);
  console.log(`\nOpen VS Code with JupyterHub Ops: ${demo.workbenchUrl}\n`);
  console.log('Ctrl-C stops everything.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log('\nstopping…');
  await demo.stop();
}

runScript(main);
