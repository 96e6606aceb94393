import { formatAgo } from '../core/cluster/kubeTime';
import { listContext } from '../core/cluster/listPass';
import type { ClusterModel, ContextModel, HubModel, PodModel } from '../core/cluster/model';
import { formatMemory } from '../core/cluster/quantity';
import { terminalJson } from '../shared/untrustedText';
import { chooseContext, printable } from './clusterContext';
import { badArguments, parseArgs, unknownOptions, table, type CliIo, type Subcommand } from './io';

/**
 * `hubops cluster [--kubeconfig FILE] [--context NAME] [--namespace NS[,NS…]] [--json]`: one list pass
 * over a context (no watch), the same model the Clusters view shows, as a table per hub or as JSON.
 */
export const cluster: Subcommand = async (args, io) => {
  const { options, positional, unknown } = parseArgs(args, {
    values: ['kubeconfig', 'context', 'namespace'],
    switches: ['json'],
  });
  if (unknown.length || positional.length)
    return badArguments(io, 'cluster', unknownOptions([...unknown, ...positional]));
  const value = (name: string) => {
    const v = options.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const chosen = chooseContext('cluster', { kubeconfig: value('kubeconfig'), context: value('context') }, io);
  if (chosen === 1) return 1;
  const { kubeConfig, context } = chosen;
  const namespaces = (value('namespace') ?? '')
    .split(',')
    .map((ns) => ns.trim())
    .filter(Boolean);
  const model = await listContext(kubeConfig, context, { namespaces });
  if (options.has('json')) {
    const json: ClusterModel = { contexts: [model] };
    io.out(terminalJson(json) + '\n');
  } else {
    printContext(model, io);
  }
  if (model.status === 'error') {
    io.err(`hubops cluster: ${printable(model.error?.message ?? 'the context cannot be read')}\n`);
    return 1;
  }
  return 0;
};

function printContext(model: ContextModel, io: CliIo): void {
  const now = Date.parse(model.builtAt);
  for (const warning of model.warnings) io.err(`warning: ${printable(warning)}\n`);
  if (model.status === 'error') return;
  if (model.hubs.length === 0) {
    io.out(`No JupyterHub pods in context ${printable(model.name)}.\n`);
    return;
  }
  io.out(model.hubs.map((hub) => hubSection(hub, now)).join('\n\n') + '\n');
}

function hubSection(hub: HubModel, now: number): string {
  const version = hub.jupyterhubVersion ? `JupyterHub ${hub.jupyterhubVersion}` : 'JupyterHub version unknown';
  const lines = [
    `${hub.namespace}/${hub.release} — ${version} (${hub.versionDetail})`,
    `  health: ${hub.health}${hub.healthReasons.length ? ` — ${hub.healthReasons.join('; ')}` : ''}`,
    `  spawn pressure: ${hub.spawnPressure.level}, ${hub.spawnPressure.pendingSpawns} pending of limit ${hub.spawnPressure.concurrentSpawnLimit} (${hub.spawnPressure.limitDetail})`,
  ].map(printable);
  for (const reason of hub.spawnPressure.reasons) lines.push(`    ${printable(reason)}`);
  const rows = hub.pods.map((pod) => podRow(pod, now));
  lines.push(
    table(['POD', 'ROLE', 'STATUS', 'READY', 'MEMORY', 'RESTARTS', 'LAST TERMINATION', 'PENDING'], rows)
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  );
  if (hub.events.length) {
    lines.push('  recent events:');
    for (const e of hub.events.slice(0, 8)) {
      const count = e.count > 1 ? ` (×${e.count})` : '';
      lines.push(
        printable(`    ${formatAgo(e.time, now)}  ${e.reason}${count}  ${e.object.name}: `) +
          printable(e.message).slice(0, 160),
      );
    }
    const more = hub.events.length - 8 + hub.eventsOmitted;
    if (more > 0) lines.push(`    … ${more} more`);
  }
  return lines.join('\n');
}

function podRow(pod: PodModel, now: number): string[] {
  const t = pod.lastTermination;
  const termination = t
    ? `${t.cause === 'spawn-failures' ? `${t.consecutiveFailures} spawn failures` : t.reason} (${t.exitCode}) ${formatAgo(t.finishedAt, now)}`
    : '';
  const name = pod.user ? `${pod.name} [${pod.user.name}${pod.user.server ? `/${pod.user.server}` : ''}]` : pod.name;
  return [
    name,
    pod.role,
    pod.status,
    pod.ready ? 'yes' : 'no',
    formatMemory(pod.memory),
    String(pod.restarts),
    termination,
    pod.pending?.reason ?? '',
  ].map(printable);
}
