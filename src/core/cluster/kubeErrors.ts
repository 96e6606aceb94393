/**
 * Turns whatever client-node throws (ApiException from typed calls, a plain Error with `statusCode`
 * from watches, undici's "fetch failed" with a socket error as its cause) into an operator's sentence
 * and a stable code. Messages name the context, the resource and the server, never a credential.
 */

export type KubeProblemCode =
  'unauthorized' | 'forbidden' | 'not-found' | 'gone' | 'server-error' | 'unreachable' | 'tls' | 'timeout' | 'unknown';

export interface KubeProblem {
  code: KubeProblemCode;
  /** HTTP status when there was an answer. */
  status: number | null;
  message: string;
}

export interface RequestWhat {
  context: string;
  /** The API server URL (from the kubeconfig; holds no secret). */
  server: string;
  /** What was asked for, in words: "list pods", "read Secret hub". */
  action: string;
  /** Namespace of the request; undefined = all namespaces (or the cluster, for `clusterScoped`). */
  namespace?: string;
  /** A cluster-scoped resource (nodes): no namespace could help. */
  clusterScoped?: boolean;
}

const networkCodes: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CLOSED: 'connection closed',
};
const timeoutCodes = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const tlsCode = /^(UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|CERT_|ERR_TLS_|ERR_SSL_)/;

type Fields = {
  code?: unknown;
  statusCode?: unknown;
  body?: unknown;
  cause?: unknown;
  name?: unknown;
  message?: unknown;
};
const fieldsOf = (value: unknown): Fields => (typeof value === 'object' && value !== null ? (value as Fields) : {});

/** The HTTP status an error carries, if it came from an answer. */
export function statusOf(error: unknown): number | null {
  const e = fieldsOf(error);
  if (typeof e.statusCode === 'number') return e.statusCode;
  // ApiException.code is the HTTP status; socket errors use string codes.
  if (typeof e.code === 'number' && e.code >= 100 && e.code < 600) return e.code;
  return null;
}

/** The first socket/TLS error code in an error's cause chain ("fetch failed" wraps the real one). */
function systemCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const e = fieldsOf(current);
    if (typeof e.code === 'string') return e.code;
    current = e.cause;
  }
  return null;
}

/** The API server's own words from a Status body, cleaned of control characters and cut short. */
function serverWords(error: unknown): string {
  let body = fieldsOf(error).body;
  if (typeof body === 'string') {
    const text = body;
    try {
      body = JSON.parse(text);
    } catch {
      // Proxied answers can be HTML error pages: keep their words, not their markup.
      return clean(text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' '));
    }
  }
  const message = fieldsOf(body).message;
  return typeof message === 'string' ? clean(message) : '';
}

const clean = (text: string) =>
  text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, 300);

const scope = (what: RequestWhat) =>
  what.namespace
    ? `in namespace "${what.namespace}"`
    : what.clusterScoped
      ? 'at the cluster scope'
      : 'across all namespaces';

export function describeKubeError(error: unknown, what: RequestWhat): KubeProblem {
  const ctx = `Context "${what.context}"`;
  const status = statusOf(error);
  const words = serverWords(error);
  const said = words ? `: ${words}` : '';
  if (status === 401) {
    return {
      code: 'unauthorized',
      status,
      message: `${ctx}: the API server rejected the credentials (401 Unauthorized). The token may have expired: refresh the kubeconfig's credentials.`,
    };
  }
  if (status === 403) {
    const hint =
      what.namespace || what.clusterScoped
        ? ''
        : ' If your credentials can only read some namespaces, list them in the jupyterhubOps.namespaces setting (CLI: --namespace).';
    return {
      code: 'forbidden',
      status,
      message: `${ctx}: not allowed to ${what.action} ${scope(what)} (403 Forbidden${said}).${hint}`,
    };
  }
  if (status === 404) {
    return { code: 'not-found', status, message: `${ctx}: ${what.action} ${scope(what)}: not found (404${said}).` };
  }
  if (status === 410) {
    return {
      code: 'gone',
      status,
      message: `${ctx}: ${what.action}: the resource version expired (410 Gone); relisting.`,
    };
  }
  if (status !== null && status >= 500) {
    return {
      code: 'server-error',
      status,
      message: `${ctx}: the API server at ${what.server} failed to ${what.action} (${status}${said}).`,
    };
  }
  if (status !== null) {
    return { code: 'unknown', status, message: `${ctx}: ${what.action} failed (${status}${said}).` };
  }
  const sys = systemCode(error);
  if (sys && networkCodes[sys]) {
    return {
      code: 'unreachable',
      status: null,
      message: `${ctx}: cannot reach the API server at ${what.server} (${networkCodes[sys]}).`,
    };
  }
  if (sys && (timeoutCodes.has(sys) || fieldsOf(error).name === 'TimeoutError')) {
    return {
      code: 'timeout',
      status: null,
      message: `${ctx}: the API server at ${what.server} did not answer in time.`,
    };
  }
  if (sys && tlsCode.test(sys)) {
    return {
      code: 'tls',
      status: null,
      message: `${ctx}: the TLS connection to ${what.server} failed (${sys}). Check the cluster's certificate-authority data.`,
    };
  }
  const text = clean(String(fieldsOf(error).message ?? error)).split('\n')[0];
  return { code: 'unknown', status: null, message: `${ctx}: ${what.action} failed: ${text}` };
}
