/**
 * Runs the test server with a scenario in real time, for the demo and for poking at it by hand:
 *
 *   npx tsx test/k8s-server/cli.ts --scenario incident --port 6443 --kubeconfig-out /tmp/demo.kubeconfig [--speed 10]
 *
 * Options: --scenario NAME (see --list), --port N (default: a free port), --kubeconfig-out FILE,
 * --speed X (virtual seconds per real second, default 1), --hub-db FILE (copied into the OOM-looping
 * hub), --http (plain HTTP, for debugging), --quiet. Stops on SIGINT/SIGTERM, leaving nothing behind.
 */
import { resolve } from 'node:path';
import { findScenario, scenarios, Timeline } from './scenarios';
import { startTestServer } from './server';

interface CliOptions {
  scenario: string;
  port: number;
  kubeconfigOut: string | undefined;
  speed: number;
  hubDb: string | undefined;
  http: boolean;
  quiet: boolean;
}

const usage = `usage: npx tsx test/k8s-server/cli.ts --scenario NAME [--port N] [--kubeconfig-out FILE] [--speed X] [--hub-db FILE] [--http] [--quiet]
       npx tsx test/k8s-server/cli.ts --list`;

function parseArgs(argv: string[]): CliOptions | string {
  const o: CliOptions = {
    scenario: '',
    port: 0,
    kubeconfigOut: undefined,
    speed: 1,
    hubDb: undefined,
    http: false,
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--scenario':
        o.scenario = value();
        break;
      case '--port':
        o.port = Number(value());
        break;
      case '--kubeconfig-out':
        o.kubeconfigOut = resolve(value());
        break;
      case '--speed':
        o.speed = Number(value());
        break;
      case '--hub-db':
        o.hubDb = resolve(value());
        break;
      case '--http':
        o.http = true;
        break;
      case '--quiet':
        o.quiet = true;
        break;
      case '--list':
        return scenarios.map((s) => `${s.name.padEnd(22)}${s.description}`).join('\n');
      default:
        throw new Error(`unknown option ${arg}\n${usage}`);
    }
  }
  if (!o.scenario) throw new Error(usage);
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error('--port must be 0–65535');
  if (!(o.speed > 0)) throw new Error('--speed must be a positive number');
  return o;
}

async function main(): Promise<number> {
  let options: CliOptions | string;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (typeof options === 'string') {
    process.stdout.write(options + '\n');
    return 0;
  }
  const scenario = findScenario(options.scenario);
  if (!scenario) {
    process.stderr.write(
      `unknown scenario '${options.scenario}'; one of: ${scenarios.map((s) => s.name).join(', ')}\n`,
    );
    return 2;
  }
  const server = await startTestServer({
    tls: !options.http,
    port: options.port,
    historyLimit: 20_000,
    tokens: [
      { token: 'hubops-demo-admin', user: 'demo-admin' },
      { token: 'hubops-demo-physics', user: 'system:serviceaccount:hub-physics:ops', namespaces: ['hub-physics'] },
    ],
  });
  const timeline = new Timeline(server, scenario.steps(options.hubDb ? { hubDbFile: options.hubDb } : {}));
  const kubeconfigPath = options.kubeconfigOut
    ? server.writeKubeconfig(options.kubeconfigOut, [
        { context: 'demo-cluster', token: 'hubops-demo-admin' },
        { context: 'demo-physics-only', token: 'hubops-demo-physics', namespace: 'hub-physics' },
      ])
    : undefined;
  process.stdout.write(`url: ${server.url}\n`);
  if (kubeconfigPath) process.stdout.write(`kubeconfig: ${kubeconfigPath}\n`);
  process.stdout.write(`scenario: ${scenario.name} (${scenario.description}) at ${options.speed}x\n`);

  const quiet = options.quiet;
  const player = timeline.play({
    speed: options.speed,
    onStep: (label, atMs) => {
      if (!quiet && !label.endsWith(': tick') && !label.endsWith(': metrics') && !label.includes('hub memory'))
        process.stdout.write(`[+${Math.round(atMs / 1000)}s] ${label}\n`);
    },
  });
  player.finished.then(() => {
    if (!quiet && timeline.finished) process.stdout.write('scenario finished; still serving (Ctrl-C to stop)\n');
  });

  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  player.stop();
  await server.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`test server failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
