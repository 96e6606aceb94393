/**
 * Where the CLI's history comes from: `--prometheus URL` (fetch only, so it runs on Node 20; a bearer
 * token from HUBOPS_PROMETHEUS_TOKEN, never from the command line) or `--context NAME` (the Prometheus
 * Service in that context, through the API server's service proxy: loads client-node on use).
 */
import { inertText } from '../shared/untrustedText';
import type { PrometheusSource } from '../core/prometheus/source';
import { parseDuration } from '../core/prometheus/step';
import { quoteArg, type CliIo } from './io';

const inertLine = (text: string) => inertText(text, 'line');

export const tokenVariable = 'HUBOPS_PROMETHEUS_TOKEN';

export interface SourceArgs {
  prometheus?: string;
  context?: string;
  kubeconfig?: string;
  /** Namespaces to look in when Services cannot be listed cluster-wide. */
  namespaces: string[];
  timeout?: string;
  signal: AbortSignal;
}

/** The checked source, or null after printing one line saying why not. */
export async function openSource(command: string, args: SourceArgs, io: CliIo): Promise<PrometheusSource | null> {
  const timeoutMs = args.timeout !== undefined ? parseDuration(args.timeout) : 30_000;
  if (Number.isNaN(timeoutMs) || timeoutMs <= 0) {
    io.err(`hubops ${command}: --timeout must be a duration (e.g. 30s, 2m), not ${quoteArg(args.timeout ?? '')}\n`);
    return null;
  }
  if (args.prometheus !== undefined) {
    const { connectUrl } = await import('../core/prometheus/source');
    const token = process.env[tokenVariable];
    const found = await connectUrl(args.prometheus, {
      timeoutMs,
      signal: args.signal,
      ...(token ? { bearerToken: token } : {}),
    });
    if (found.ok) return found.value;
    io.err(`hubops ${command}: ${inertLine(found.error.message)}\n`);
    return null;
  }
  const { kubeconfigFiles, loadKubeconfig } = await import('../core/cluster/kubeconfig');
  const { findPrometheus } = await import('../core/prometheus/discover');
  const loaded = loadKubeconfig(kubeconfigFiles(args.kubeconfig));
  for (const problem of loaded.problems) io.err(`${inertLine(problem.message)}\n`);
  const context = args.context ?? loaded.currentContext;
  if (!context) {
    io.err(`hubops ${command}: no current context in the kubeconfig; pass --context NAME or --prometheus URL.\n`);
    return null;
  }
  const found = await findPrometheus(loaded.kubeConfig, context, {
    timeoutMs,
    signal: args.signal,
    namespaces: args.namespaces,
  });
  if (found.ok) return found.value;
  io.err(`hubops ${command}: ${inertLine(found.error.message)}\n`);
  return null;
}

/** Runs `body` with a signal that Ctrl-C aborts (the request in flight is cancelled, not left hanging). */
export async function interruptible<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    return await body(controller.signal);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
