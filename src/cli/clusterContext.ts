import type { KubeConfig } from '@kubernetes/client-node';
import { kubeconfigFiles, loadKubeconfig } from '../core/cluster/kubeconfig';
import { inertText } from '../shared/untrustedText';
import type { CliIo } from './io';

/** Cluster text (names, messages) may hold terminal escapes, newlines and bidi controls: show them, never run them. */
export const printable = (text: string): string => inertText(text, 'line');

/**
 * The kubeconfig (`--kubeconfig`, else KUBECONFIG, else ~/.kube/config) and the context (`--context`,
 * else the current one) a cluster subcommand talks to; or, having said why on stderr, exit code 1.
 */
export function chooseContext(
  command: string,
  options: { kubeconfig: string | undefined; context: string | undefined },
  io: CliIo,
): { kubeConfig: KubeConfig; context: string } | 1 {
  const loaded = loadKubeconfig(kubeconfigFiles(options.kubeconfig));
  for (const problem of loaded.problems) io.err(`${problem.message}\n`);
  const context = options.context ?? loaded.currentContext;
  if (!context) {
    io.err(`hubops ${command}: no current context in the kubeconfig; pass --context NAME.\n`);
    return 1;
  }
  if (!loaded.contexts.some((c) => c.name === context)) {
    io.err(`hubops ${command}: no context "${printable(context)}" in ${loaded.files.join(', ')}.\n`);
    return 1;
  }
  return { kubeConfig: loaded.kubeConfig, context };
}
