/**
 * What went wrong asking Prometheus, as a value: a stable code and one sentence for the operator. Every
 * failure of the history, chart and replay features ends up as one of these, so the view, the report and
 * the CLI can each show one clear line and carry on with the rest.
 */

export type PrometheusProblemCode =
  /** Nothing that looks like a Prometheus server was found in the context. */
  | 'not-found'
  /** The API server refused the service proxy (RBAC: `get` on `services/proxy`). */
  | 'forbidden'
  /** The credentials were rejected (401): an expired token, a wrong bearer token for a URL. */
  | 'unauthorized'
  /** Nothing answered (connection refused, DNS, no endpoints behind the Service). */
  | 'unreachable'
  /** It answered too slowly. */
  | 'timeout'
  /** The caller cancelled. */
  | 'cancelled'
  /** Something answered, but not as Prometheus does. */
  | 'not-prometheus'
  /** Prometheus rejected the query (bad PromQL, too many points, too many samples). */
  | 'bad-query'
  /** Prometheus (or the API server in front of it) failed. */
  | 'server-error';

export interface PrometheusProblem {
  code: PrometheusProblemCode;
  /** HTTP status when there was an answer. */
  status: number | null;
  message: string;
}

export const problem = (code: PrometheusProblemCode, message: string, status: number | null = null) => ({
  code,
  status,
  message,
});

/** An answer's own words, without markup or control characters, cut short. */
export function cleanWords(text: string, max = 200): string {
  return (
    text
      .replace(/<[^>]*>/g, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, max)
  );
}
