/**
 * Prometheus behind a Kubernetes Service, reached through the API server's service proxy
 * (`/api/v1/namespaces/NS/services/[https:]NAME:PORT/proxy/…`) with client-node: the kubeconfig's
 * credentials (tokens, client certificates, exec plugins) and TLS settings apply, and so does RBAC (`get`
 * on `services/proxy`). Requests are client-node's own (RequestContext, its HTTP library), so nothing here
 * re-implements authentication.
 */
import { HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { DisposableHttpLibrary } from '../cluster/disposableHttp';
import { cleanWords, problem, type PrometheusProblem } from './problem';
import type { PrometheusAnswer, PrometheusTransport } from './transport';

/** A Service that serves Prometheus's HTTP API. */
export interface PrometheusService {
  namespace: string;
  name: string;
  /** The Service port, by name or number, as the proxy path takes it. */
  port: string;
  /** The port speaks TLS (`https:` in the proxy path). */
  https?: boolean;
  /** Why we think it is Prometheus, in words ("prometheus chart server", "prometheus-operator"). */
  kind: string;
}

/** `support/support-prometheus-server:80`. */
export const serviceLabel = (s: Pick<PrometheusService, 'namespace' | 'name' | 'port'>) =>
  `${s.namespace}/${s.name}:${s.port}`;

/**
 * One GET against the API server of `kc`'s current context, through client-node's authentication and
 * HTTP library. `path` is absolute (`/api/v1/…`).
 */
export async function kubeGet(
  kc: KubeConfig,
  http: DisposableHttpLibrary,
  path: string,
  params: URLSearchParams,
  signal: AbortSignal,
): Promise<PrometheusAnswer> {
  const server = kc.getCurrentCluster()?.server ?? '';
  const request = new RequestContext(server.replace(/\/+$/, '') + path, HttpMethod.GET);
  for (const [name, value] of params) request.appendQueryParam(name, value);
  request.setHeaderParam('Accept', 'application/json');
  request.setHeaderParam('User-Agent', 'jupyterhub-ops');
  await kc.applySecurityAuthentication(request);
  request.setSignal(signal);
  const response = await http.send(request).toPromise();
  return {
    status: response.httpStatusCode,
    contentType: response.headers['content-type'] ?? '',
    body: await response.body.text(),
  };
}

/** The API server's own answer (a `Status` object), when the body is one. */
export function apiServerStatus(answer: PrometheusAnswer): { message: string; reason: string } | null {
  if (!answer.body.trimStart().startsWith('{')) return null;
  try {
    const value = JSON.parse(answer.body) as { kind?: unknown; message?: unknown; reason?: unknown };
    if (value.kind !== 'Status') return null;
    return {
      message: cleanWords(typeof value.message === 'string' ? value.message : '', 300),
      reason: typeof value.reason === 'string' ? value.reason : '',
    };
  } catch {
    return null;
  }
}

/**
 * Prometheus through the service proxy of `context`. `kc` must have `context` as its current context
 * (ContextClient makes one).
 */
export function serviceProxyTransport(
  kc: KubeConfig,
  context: string,
  service: PrometheusService,
): PrometheusTransport {
  const http = new DisposableHttpLibrary();
  const ref = `${service.https ? 'https:' : ''}${encodeURIComponent(service.name)}:${encodeURIComponent(service.port)}`;
  const base = `/api/v1/namespaces/${encodeURIComponent(service.namespace)}/services/${ref}/proxy`;
  const where = `Prometheus service ${serviceLabel(service)} (context ${context}, through the API server)`;
  const forward = `kubectl --context ${context} port-forward -n ${service.namespace} svc/${service.name} 9090:${service.port}`;
  return {
    where,
    get: (path, params, signal) => kubeGet(kc, http, base + path, params, signal),
    frontProblem(answer): PrometheusProblem | null {
      const status = apiServerStatus(answer);
      if (!status) return null;
      const said = status.message ? `: ${status.message}` : '';
      switch (answer.status) {
        case 401:
          return problem(
            'unauthorized',
            `Context "${context}": the API server rejected the credentials (401); refresh the kubeconfig's credentials.`,
            401,
          );
        case 403:
          return problem(
            'forbidden',
            `Context "${context}": not allowed to reach Prometheus through the service proxy (403: needs get on services/proxy in namespace "${service.namespace}"). Ask for that permission, or port-forward (${forward}) and give the URL.`,
            403,
          );
        case 404:
          return problem('not-found', `Context "${context}": no Service ${serviceLabel(service)} (404${said}).`, 404);
        case 503:
          return problem(
            'unreachable',
            `Context "${context}": Prometheus service ${serviceLabel(service)} is not answering (503${said}).`,
            503,
          );
        default:
          return problem(
            answer.status >= 500 ? 'server-error' : 'bad-query',
            `Context "${context}": the API server could not proxy to ${serviceLabel(service)} (${answer.status}${said}).`,
            answer.status,
          );
      }
    },
    dispose: () => http.dispose(),
  };
}
