import { quoteArg, type CliIo, type Subcommand } from './io';
import { CLUSTER_NODE_MINIMUM, tooOldForCommand } from './nodeVersion';
import { version } from './version';

/**
 * Each subcommand loads on use: `analyze` and `report` then never load @kubernetes/client-node, which
 * `contexts` and `cluster` need (esbuild defers a dynamically imported module until it is called).
 * `needsNodeWhen` narrows `needsNode` to some arguments (`history --context` loads client-node, `history
 * --prometheus URL` does not).
 */
const subcommands: Record<
  string,
  { run: Subcommand; summary: string; needsNode?: string; needsNodeWhen?: (args: string[]) => boolean }
> = {
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
    summary:
      'report JOURNAL_FILE [--timezone ZONE] [--utc] [--out FILE] [--template short|postmortem] [--prometheus URL] [--action-items]   draft an incident report',
  },
  history: {
    needsNode: CLUSTER_NODE_MINIMUM,
    needsNodeWhen: (args) => !args.some((a) => a === '--prometheus' || a.startsWith('--prometheus=')),
    run: async (args, io) => (await import('./history')).history(args, io),
    summary:
      'history --namespace NS[,NS…] [--context NAME | --prometheus URL] [--since 6h | --from T --to T] [--json] [--journal FILE]   what happened, from Prometheus',
  },
  alerts: {
    run: async (args, io) => (await import('./alerts')).alerts(args, io),
    summary:
      'alerts --namespace NS[,NS…] [--jupyterhub-version X.Y.Z] [--format rules|prometheusrule]   alert rules for these hubs',
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
  if (sub.needsNode && (sub.needsNodeWhen?.(rest) ?? true)) {
    const onOlderNode = Object.entries(subcommands).flatMap(([name, s]) =>
      !s.needsNode ? [name] : s.needsNodeWhen ? [`${name} --prometheus`] : [],
    );
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
