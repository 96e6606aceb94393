/**
 * Finding Prometheus for a kubeconfig context. The places it lives on clusters like these:
 *
 * - the prometheus-community `prometheus` chart (2i2c's `support` chart runs one in namespace `support`,
 *   Service `support-prometheus-server`): the server Service is labelled `app.kubernetes.io/name=prometheus`
 *   + `app.kubernetes.io/component=server` (older releases: `app=prometheus`, `component=server`);
 * - prometheus-operator (kube-prometheus-stack): the governing Service `prometheus-operated` (port `web`)
 *   and `<release>-kube-prometheus-prometheus`.
 *
 * Candidates are tried through the service proxy in that order; the first that answers
 * `/api/v1/status/buildinfo` is the source. Or the operator gives a URL (a port-forward) instead.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { ContextClient } from '../cluster/contextClient';
import { DisposableHttpLibrary } from '../cluster/disposableHttp';
import { PrometheusClient, type ClientOptions } from './client';
import type { Found } from './source';
import { problem, type PrometheusProblem } from './problem';
import { apiServerStatus, kubeGet, serviceLabel, serviceProxyTransport, type PrometheusService } from './serviceProxy';

interface ServiceObject {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: { ports?: { name?: string; port?: number; appProtocol?: string }[]; type?: string };
}

/** Namespaces to look in when the credentials cannot list Services across the cluster. */
export const usualNamespaces = ['support', 'monitoring', 'prometheus', 'kube-prometheus-stack', 'observability'];

/** The Prometheus server Services among `services`, best first; each with the port to use. */
export function prometheusServices(services: readonly ServiceObject[]): PrometheusService[] {
  const found: { service: PrometheusService; rank: number }[] = [];
  for (const s of services) {
    const name = s.metadata?.name ?? '';
    const namespace = s.metadata?.namespace ?? '';
    const labels = s.metadata?.labels ?? {};
    const ports = s.spec?.ports ?? [];
    if (!name || !namespace || ports.length === 0) continue;
    const chartServer =
      (labels['app.kubernetes.io/name'] === 'prometheus' && labels['app.kubernetes.io/component'] === 'server') ||
      (labels.app === 'prometheus' && labels.component === 'server');
    const operated = name === 'prometheus-operated';
    const stack = /-kube-prometheus-prometheus$/.test(name) || labels.app === 'kube-prometheus-stack-prometheus';
    if (!chartServer && !operated && !stack) continue;
    const port =
      ports.find((p) => p.name === 'web' || p.name === 'http' || p.name === 'http-web') ??
      ports.find((p) => p.port === 9090 || p.port === 80) ??
      ports[0]!;
    const https = port.appProtocol === 'https' || port.name === 'https';
    found.push({
      rank: chartServer ? 0 : operated ? 1 : 2,
      service: {
        namespace,
        name,
        port: port.name ?? String(port.port),
        ...(https ? { https } : {}),
        kind: chartServer ? 'prometheus chart server' : 'prometheus-operator',
      },
    });
  }
  return found
    .sort((a, b) => a.rank - b.rank || a.service.namespace.localeCompare(b.service.namespace))
    .map((f) => f.service);
}

export interface FindOptions extends ClientOptions {
  signal?: AbortSignal;
  /** Extra namespaces to look in when Services cannot be listed cluster-wide (e.g. the configured ones). */
  namespaces?: string[];
}

/**
 * Finds and checks Prometheus in `context` through its API server. One clear problem when there is none,
 * when RBAC forbids the service proxy, or when what answers is not Prometheus.
 */
export async function findPrometheus(base: KubeConfig, context: string, options: FindOptions = {}): Promise<Found> {
  let contextClient: ContextClient;
  try {
    contextClient = new ContextClient(base, context);
  } catch (error) {
    return { ok: false, error: problem('not-found', (error as Error).message) };
  }
  const kc = contextClient.kubeConfig;
  contextClient.dispose();
  const listed = await listServices(kc, context, options);
  if (!listed.ok) return listed;
  const candidates = prometheusServices(listed.value);
  if (candidates.length === 0)
    return {
      ok: false,
      error: problem(
        'not-found',
        `Context "${context}": no Prometheus server found (looked for the prometheus chart's server Service and prometheus-operator's prometheus-operated). Give a URL instead, e.g. a port-forward.`,
      ),
    };
  const problems: PrometheusProblem[] = [];
  for (const service of candidates) {
    const transport = serviceProxyTransport(kc, context, service);
    const client = new PrometheusClient(transport, options);
    const info = await client.buildInfo(options.signal);
    if (info.ok)
      return {
        ok: true,
        value: {
          client,
          version: info.value.version,
          service,
          description: `Prometheus ${info.value.version}, service ${serviceLabel(service)} (context ${context}, through the API server)`,
          dispose: () => transport.dispose?.(),
        },
      };
    transport.dispose?.();
    if (info.error.code === 'cancelled') return info;
    problems.push(info.error);
  }
  // The most telling problem: RBAC first (it applies to every candidate), then the first one met.
  const forbidden = problems.find((p) => p.code === 'forbidden');
  return { ok: false, error: forbidden ?? problems[0]! };
}

async function listServices(
  kc: KubeConfig,
  context: string,
  options: FindOptions,
): Promise<{ ok: true; value: ServiceObject[] } | { ok: false; error: PrometheusProblem }> {
  const http = new DisposableHttpLibrary();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const get = async (path: string) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      return { answer: await kubeGet(kc, http, path, new URLSearchParams(), signal) };
    } catch (error) {
      if (options.signal?.aborted) return { problem: problem('cancelled', 'Cancelled.') };
      if (timeout.aborted)
        return { problem: problem('timeout', `Context "${context}": the API server did not answer in time.`) };
      return {
        problem: problem(
          'unreachable',
          `Context "${context}": cannot reach the API server (${(error as Error).message}).`,
        ),
      };
    }
  };
  try {
    const all = await get('/api/v1/services');
    if ('problem' in all) return { ok: false, error: all.problem! };
    if (all.answer.status === 200) return { ok: true, value: itemsOf(all.answer.body) };
    if (all.answer.status === 401)
      return {
        ok: false,
        error: problem(
          'unauthorized',
          `Context "${context}": the API server rejected the credentials (401); refresh the kubeconfig's credentials.`,
          401,
        ),
      };
    if (all.answer.status !== 403) {
      const words = apiServerStatus(all.answer)?.message;
      return {
        ok: false,
        error: problem(
          'server-error',
          `Context "${context}": cannot list Services (${all.answer.status}${words ? `: ${words}` : ''}).`,
          all.answer.status,
        ),
      };
    }
    // Not allowed cluster-wide: look where Prometheus usually lives, and in the namespaces we were given.
    const services: ServiceObject[] = [];
    for (const ns of [...new Set([...usualNamespaces, ...(options.namespaces ?? [])])]) {
      const one = await get(`/api/v1/namespaces/${encodeURIComponent(ns)}/services`);
      if ('problem' in one) {
        if (one.problem!.code === 'cancelled') return { ok: false, error: one.problem! };
        continue;
      }
      if (one.answer.status === 200) services.push(...itemsOf(one.answer.body));
    }
    return { ok: true, value: services };
  } finally {
    http.dispose();
  }
}

function itemsOf(body: string): ServiceObject[] {
  try {
    const list = JSON.parse(body) as { items?: unknown };
    return Array.isArray(list.items) ? (list.items as ServiceObject[]) : [];
  } catch {
    return [];
  }
}
