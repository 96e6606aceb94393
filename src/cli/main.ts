import { quoteArg, type CliIo, type Subcommand } from './io';
import { CLUSTER_NODE_MINIMUM, tooOldForCommand } from './nodeVersion';
import { version } from './version';

/**
 * Each subcommand loads on use: `analyze` and `report` then never load @kubernetes/client-node, which
 * `contexts` and `cluster` need (esbuild defers a dynamically imported module until it is called).
 */
const subcommands: Record<string, { run: Subcommand; summary: string; needsNode?: string }> = {
  contexts: {
    needsNode: CLUSTER_NODE_MINIMUM,
    run: async (args, io) => (await import('./contexts')).contexts(args, io),
    summary: 'contexts [--kubeconfig FILE] [--json]   list kubeconfig contexts',
  },
  cluster: {
    needsNode: CLUSTER_NODE_MINIMUM,
    run: async (args, io) => (await import('./cluster')).cluster(args, io),
    summary:
      'cluster [--kubeconfig FILE] [--context NAME] [--namespace NS[,NS…]] [--json]   hubs, pods and events, as the tree shows them',
  },
  readiness: {
    needsNode: CLUSTER_NODE_MINIMUM,
    run: async (args, io) => (await import('./readiness')).readiness(args, io),
    summary:
      'readiness --namespace NS --attendees N [--context NAME] [--arrival-minutes M] [--profile NAME] [--snapshot FILE] [--json]   will the hub hold an event?',
  },
  analyze: {
    run: async (args, io) => (await import('./analyze')).analyze(args, io),
    summary:
      'analyze FILE [--jupyterhub-version X.Y.Z] [--memory-limit 2Gi] [--stale-days 30] [--json] [--cleanup-script bash|python]   start-up cost of a hub DB snapshot, stale-server cleanup script',
  },
  report: {
    run: async (args, io) => (await import('./report')).report(args, io),
    summary: 'report JOURNAL_FILE [--timezone ZONE] [--utc] [--out FILE]   draft an incident report',
  },
};

const usage = () =>
  [
    'hubops — JupyterHub Ops from the command line',
    '',
    'usage: hubops <command> [options]',
    '       hubops --version',
    '',
    ...Object.values(subcommands).map((s) => `  ${s.summary}`),
    '',
  ].join('\n');

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    io.out(`${version}\n`);
    return 0;
  }
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.out(usage());
    return command ? 0 : 2;
  }
  const sub = subcommands[command];
  if (!sub) {
    io.err(`hubops: unknown command ${quoteArg(command)} (hubops --help lists the commands)\n`);
    return 2;
  }
  if (sub.needsNode) {
    const onOlderNode = Object.keys(subcommands).filter((name) => !subcommands[name]!.needsNode);
    const tooOld = tooOldForCommand(command, sub.needsNode, onOlderNode, io.nodeVersion);
    if (tooOld) {
      io.err(`${tooOld}\n`);
      return 2;
    }
  }
  return sub.run(rest, io);
}

if (require.main === module) {
  const io: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
  main(process.argv.slice(2), io).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      io.err(`hubops: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
