/**
 * How requests reach Prometheus. Two ways, one interface: a URL the operator gives (a port-forward, an
 * ingress; plain `fetch`, so the CLI's `--prometheus URL` runs on Node 20 without client-node), or a
 * Service reached through the Kubernetes API server's service proxy (serviceProxy.ts, with client-node, so
 * the kubeconfig's credentials and RBAC apply).
 */
import { problem, type PrometheusProblem } from './problem';

export interface PrometheusAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface PrometheusTransport {
  /** Where history comes from, in the operator's words; never holds a credential. */
  readonly where: string;
  /**
   * GET `path` (e.g. `/api/v1/query_range`) under the Prometheus root with `params`. Throws on network
   * failure or abort; any HTTP answer resolves.
   */
  get(path: string, params: URLSearchParams, signal: AbortSignal): Promise<PrometheusAnswer>;
  /**
   * An answer that came from something in front of Prometheus (the API server's own Status: RBAC, no
   * endpoints), as the problem to report; null when the answer is Prometheus's to judge.
   */
  frontProblem?(answer: PrometheusAnswer): PrometheusProblem | null;
  /** Closes connections and aborts what is in flight. */
  dispose?(): void;
}

export interface UrlTransportOptions {
  /** Sent as `Authorization: Bearer …`; never shown in `where` or in messages. */
  bearerToken?: string;
}

/** A URL's scheme, host, port and path, without user info, query or fragment (which may hold secrets). */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * Prometheus at a URL (its root, or a path prefix such as `https://example.org/prometheus`). Returns a
 * problem instead when the text is not an http(s) URL.
 */
export function urlTransport(
  text: string,
  options: UrlTransportOptions = {},
): { ok: true; value: PrometheusTransport } | { ok: false; error: PrometheusProblem } {
  let base: URL;
  const notUrl = {
    ok: false as const,
    error: problem('not-found', `"${text}" is not a URL (expected e.g. http://127.0.0.1:9090).`),
  };
  // "localhost:9090" parses as a URL of scheme "localhost:": ask for the scheme instead.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text.trim())) return notUrl;
  try {
    base = new URL(text.trim());
  } catch {
    return notUrl;
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    return {
      ok: false,
      error: problem('not-found', `${base.protocol} URLs are not supported for Prometheus: use http:// or https://.`),
    };
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.bearerToken) headers.Authorization = `Bearer ${options.bearerToken}`;
  else if (base.username || base.password) {
    // user:password@host: sent as Basic auth, kept out of every message.
    const user = decodeURIComponent(base.username);
    const password = decodeURIComponent(base.password);
    headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  const root = new URL(displayUrl(base) + '/');
  const where = `Prometheus at ${displayUrl(base)}`;
  return {
    ok: true,
    value: {
      where,
      async get(path, params, signal) {
        const url = new URL(path.replace(/^\/+/, ''), root);
        url.search = params.toString();
        const response = await fetch(url, { headers, signal, redirect: 'follow' });
        return {
          status: response.status,
          contentType: response.headers.get('content-type') ?? '',
          body: await response.text(),
        };
      },
    },
  };
}
