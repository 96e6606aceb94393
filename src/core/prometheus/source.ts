/**
 * Where a context's history comes from, once found: a checked client and a description. `connectUrl` needs
 * only `fetch` (no client-node), so `hubops history --prometheus URL` runs on Node 20.
 */
import { PrometheusClient, type ClientOptions } from './client';
import type { PrometheusProblem } from './problem';
import type { PrometheusService } from './serviceProxy';
import { urlTransport } from './transport';

/** Where a context's history comes from, once found. */
export interface PrometheusSource {
  client: PrometheusClient;
  /** The server's version (from buildinfo). */
  version: string;
  /** The Service, when reached through the service proxy. */
  service?: PrometheusService;
  /** "Prometheus 2.42.0, service support/support-prometheus-server:80 (context prod, through the API server)". */
  description: string;
  dispose(): void;
}

export type Found = { ok: true; value: PrometheusSource } | { ok: false; error: PrometheusProblem };

/** Connects to Prometheus at a URL (a port-forward, an ingress) and checks that it is Prometheus. */
export async function connectUrl(
  url: string,
  options: ClientOptions & { bearerToken?: string; signal?: AbortSignal } = {},
): Promise<Found> {
  const transport = urlTransport(url, options.bearerToken ? { bearerToken: options.bearerToken } : {});
  if (!transport.ok) return transport;
  const client = new PrometheusClient(transport.value, options);
  const info = await client.buildInfo(options.signal);
  if (!info.ok) return info;
  return {
    ok: true,
    value: {
      client,
      version: info.value.version,
      description: `Prometheus ${info.value.version} at ${transport.value.where.replace(/^Prometheus at /, '')}`,
      dispose: () => transport.value.dispose?.(),
    },
  };
}
