/**
 * Bearer-token authentication and a small RBAC: a token sees all namespaces or only some, may lack
 * exec, metrics or secrets, or be expired. Denials carry the real API server's wording, which operators (and the
 * extension's error messages) recognise.
 */
import type { IncomingMessage } from 'node:http';
import { failure, unauthorized, type Status } from './status';

export interface TokenSpec {
  token: string;
  /** The user name in 403 messages. Default: 'system:serviceaccount:hubops:viewer'. */
  user?: string;
  /** Namespaces this token may read; undefined = all (and cluster-scoped resources). */
  namespaces?: string[];
  /** true: every request gets 401, as an expired token does. */
  expired?: true;
  /** false: pods/exec is forbidden. */
  exec?: false;
  /** false: metrics.k8s.io is forbidden. */
  metrics?: false;
  /** false: services/proxy is forbidden (no hub metrics). */
  proxy?: false;
  /** false: core/v1 secrets are forbidden (a common read-only role): the hub's values.yaml is unreadable. */
  secrets?: false;
  /** false: creating and deleting pods is forbidden (a read-only role: no helper pod). */
  podWrites?: false;
}

const tokenRoles = {
  admin: { token: 'admin', user: 'admin' },
  hubAOnly: { token: 'hub-a-only', user: 'system:serviceaccount:hub-a:ops', namespaces: ['hub-a'] },
  noSecrets: { token: 'no-secrets', user: 'system:serviceaccount:hubops:viewer', secrets: false },
  expired: { token: 'expired', expired: true },
  noMetrics: { token: 'no-metrics', metrics: false },
  readOnly: { token: 'read-only', user: 'system:serviceaccount:hubops:viewer', podWrites: false },
  // The Clusters view's contexts: an operator, a viewer of one hub's namespace, and stale credentials.
  operator: { token: 'admin-token', user: 'hubops-admin' },
  physicsOnly: { token: 'physics-only', user: 'system:serviceaccount:hub-physics:viewer', namespaces: ['hub-physics'] },
  expiredCreds: { token: 'expired-token', expired: true },
} satisfies Record<string, TokenSpec>;

/** The tokens server tests use, by what they may do; fresh copies (tests may expire one). */
export function testTokens(...roles: (keyof typeof tokenRoles)[]): TokenSpec[] {
  return roles.map((role) => structuredClone(tokenRoles[role]) as TokenSpec);
}

export interface Access {
  verb: 'get' | 'list' | 'watch' | 'create' | 'delete';
  /** Plural resource, with '/subresource' for log, exec, proxy. */
  resource: string;
  group: string;
  namespace?: string;
  name?: string;
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return m ? m[1]!.trim() : undefined;
}

/** The token's spec, or a 401 Status for a missing, unknown or expired token. */
export function authenticate(req: IncomingMessage, tokens: TokenSpec[]): TokenSpec | Status {
  const token = bearerToken(req);
  const spec = token === undefined ? undefined : tokens.find((t) => t.token === token);
  if (!spec || spec.expired) return unauthorized();
  return spec;
}

/** undefined when allowed, else the 403 Status the real API server returns. */
export function authorize(spec: TokenSpec, access: Access): Status | undefined {
  const [resource, subresource] = access.resource.split('/') as [string, string | undefined];
  const allowedNamespace =
    spec.namespaces === undefined || (access.namespace !== undefined && spec.namespaces.includes(access.namespace));
  const denied =
    !allowedNamespace ||
    (subresource === 'exec' && spec.exec === false) ||
    (subresource === 'proxy' && spec.proxy === false) ||
    (access.group === 'metrics.k8s.io' && spec.metrics === false) ||
    (access.group === '' && resource === 'secrets' && spec.secrets === false) ||
    (access.group === '' &&
      resource === 'pods' &&
      subresource === undefined &&
      (access.verb === 'create' || access.verb === 'delete') &&
      spec.podWrites === false);
  if (!denied) return undefined;
  const user = spec.user ?? 'system:serviceaccount:hubops:viewer';
  const qualified = access.group ? `${resource}.${access.group}` : resource;
  const subject = access.name ? `${qualified} "${access.name}"` : qualified;
  const scope = access.namespace ? `in the namespace "${access.namespace}"` : 'at the cluster scope';
  return failure(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${access.verb} resource "${access.resource}" in API group "${access.group}" ${scope}`,
    { ...(access.name ? { name: access.name } : {}), ...(access.group ? { group: access.group } : {}), kind: resource },
  );
}
