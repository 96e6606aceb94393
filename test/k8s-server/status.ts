/**
 * `Status` objects as the real API server writes them on errors (kind, reason, details, code), so clients
 * parse them as they would from a cluster.
 */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason?: string; message: string; field?: string }[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export function failure(code: number, reason: string, message: string, details?: StatusDetails): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export const unauthorized = () => failure(401, 'Unauthorized', 'Unauthorized');

/** `pods "x" not found` (named) — the resource is plural, as the API server says it. */
export function notFound(resource: string, name: string, group = ''): Status {
  const qualified = group ? `${resource}.${group}` : resource;
  return failure(404, 'NotFound', `${qualified} "${name}" not found`, {
    name,
    ...(group ? { group } : {}),
    kind: resource,
  });
}

/** A path the server does not serve (unknown resource, metrics API not installed). */
export const pathNotFound = () =>
  failure(404, 'NotFound', 'the server could not find the requested resource', {
    causes: [{ reason: 'UnexpectedServerResponse', message: '404 page not found' }],
  });

export const badRequest = (message: string) => failure(400, 'BadRequest', message);

export const internalError = (message: string) =>
  failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });

export const serviceUnavailable = (message: string) => failure(503, 'ServiceUnavailable', message);

/** 410 for a watch or continue token older than the retained history. */
export const expired = (message: string) => failure(410, 'Expired', message);

/** Success for exec's status channel (v4+). */
export const execSuccess = () => ({ metadata: {}, status: 'Success' as const });

/** The exec status channel's message for a non-zero exit (kubelet's wording; exit code in details). */
export function execNonZeroExit(command: string[], exitCode: number) {
  return {
    metadata: {},
    status: 'Failure' as const,
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}
