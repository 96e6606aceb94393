import { kubeconfigFiles, loadKubeconfig } from '../core/cluster/kubeconfig';
import { badArguments, parseArgs, unknownOptions, table, type Subcommand } from './io';

/** `hubops contexts [--kubeconfig FILE] [--json]`: the kubeconfig contexts, kubectl's merge rules. */
export const contexts: Subcommand = async (args, io) => {
  const { options, unknown } = parseArgs(args, { values: ['kubeconfig'], switches: ['json'] });
  if (unknown.length) return badArguments(io, 'contexts', unknownOptions(unknown));
  const kubeconfig = options.get('kubeconfig');
  const loaded = loadKubeconfig(kubeconfigFiles(typeof kubeconfig === 'string' ? kubeconfig : undefined));
  for (const problem of loaded.problems) io.err(`${problem.message}\n`);
  if (options.has('json')) {
    const json = loaded.contexts.map(({ name, cluster, user, namespace, current }) => ({
      name,
      cluster,
      user,
      namespace: namespace ?? null,
      current,
    }));
    io.out(JSON.stringify(json, null, 2) + '\n');
  } else if (loaded.contexts.length === 0) {
    io.out(`No contexts in ${loaded.files.join(', ')}.\n`);
  } else {
    const rows = loaded.contexts.map((c) => [c.current ? '*' : '', c.name, c.cluster, c.user, c.namespace ?? '']);
    io.out(table(['CURRENT', 'NAME', 'CLUSTER', 'USER', 'NAMESPACE'], rows) + '\n');
  }
  return loaded.problems.length > 0 && loaded.contexts.length === 0 ? 1 : 0;
};
