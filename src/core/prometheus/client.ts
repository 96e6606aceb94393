/**
 * A typed client for Prometheus's HTTP API (`query`, `query_range`, `series`, `status/buildinfo`) over any
 * transport. Every call has a timeout and takes an AbortSignal; every failure is a value
 * (`PrometheusProblem`), never a throw. Answers that are not Prometheus's JSON envelope are recognised as
 * "something else answered" rather than parsed into nonsense.
 */
import type { Result } from '../result';
import { cleanWords, problem, type PrometheusProblem } from './problem';
import type { PrometheusAnswer, PrometheusTransport } from './transport';

export type Labels = Record<string, string>;

/** One series of a range query: its labels and its points (milliseconds, value). */
export interface RangeSeries {
  labels: Labels;
  points: [ms: number, value: number][];
}

export interface InstantSample {
  labels: Labels;
  ms: number;
  value: number;
}

export interface BuildInfo {
  version: string;
  revision?: string;
}

export interface Range {
  startMs: number;
  endMs: number;
  stepSeconds: number;
}

export interface ClientOptions {
  /** Per request; default 30 s. */
  timeoutMs?: number;
}

type Answer<T> = Promise<Result<T, PrometheusProblem>>;

const ok = <T>(value: T) => ({ ok: true as const, value });
const fail = (error: PrometheusProblem) => ({ ok: false as const, error });

export class PrometheusClient {
  readonly timeoutMs: number;

  constructor(
    readonly transport: PrometheusTransport,
    options: ClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Where answers come from, in words. */
  get where(): string {
    return this.transport.where;
  }

  /** What the server says it is; the check that something answering is Prometheus. */
  async buildInfo(signal?: AbortSignal): Answer<BuildInfo> {
    const data = await this.call('/api/v1/status/buildinfo', new URLSearchParams(), signal);
    if (!data.ok) return data;
    const d = data.value as { version?: unknown; revision?: unknown } | null;
    if (typeof d?.version !== 'string')
      return fail(problem('not-prometheus', `${this.where} answered /api/v1/status/buildinfo without a version.`, 200));
    return ok({ version: d.version, ...(typeof d.revision === 'string' ? { revision: d.revision } : {}) });
  }

  /** An instant query at `atMs`. */
  async query(expr: string, atMs: number, signal?: AbortSignal): Answer<InstantSample[]> {
    const params = new URLSearchParams({ query: expr, time: seconds(atMs) });
    const data = await this.call('/api/v1/query', params, signal);
    if (!data.ok) return data;
    const d = data.value as { resultType?: unknown; result?: unknown };
    if (d.resultType === 'scalar' && Array.isArray(d.result))
      return ok([{ labels: {}, ms: Number(d.result[0]) * 1000, value: parseValue(d.result[1]) }]);
    if (d.resultType !== 'vector' || !Array.isArray(d.result)) return fail(this.shape('query'));
    return ok(
      (d.result as { metric?: Labels; value?: [number, string] }[]).map((r) => ({
        labels: r.metric ?? {},
        ms: Number(r.value?.[0]) * 1000,
        value: parseValue(r.value?.[1]),
      })),
    );
  }

  /** A range query; the caller chooses the step (see step.ts: Prometheus refuses more than 11,000 points). */
  async queryRange(expr: string, range: Range, signal?: AbortSignal): Answer<RangeSeries[]> {
    const params = new URLSearchParams({
      query: expr,
      start: seconds(range.startMs),
      end: seconds(range.endMs),
      step: String(range.stepSeconds),
    });
    const data = await this.call('/api/v1/query_range', params, signal);
    if (!data.ok) return data;
    const d = data.value as { resultType?: unknown; result?: unknown };
    if (d.resultType !== 'matrix' || !Array.isArray(d.result)) return fail(this.shape('query_range'));
    return ok(
      (d.result as { metric?: Labels; values?: [number, string][] }[]).map((r) => ({
        labels: r.metric ?? {},
        points: (r.values ?? []).map(([t, v]) => [Math.round(t * 1000), parseValue(v)] as [number, number]),
      })),
    );
  }

  /** The label sets of series matching any of `matchers` that have samples between the two times. */
  async series(matchers: string[], startMs: number, endMs: number, signal?: AbortSignal): Answer<Labels[]> {
    const params = new URLSearchParams({ start: seconds(startMs), end: seconds(endMs) });
    for (const m of matchers) params.append('match[]', m);
    const data = await this.call('/api/v1/series', params, signal);
    if (!data.ok) return data;
    if (!Array.isArray(data.value)) return fail(this.shape('series'));
    return ok(data.value as Labels[]);
  }

  /** One GET with the timeout, the caller's signal and the envelope check; resolves to `data`. */
  private async call(path: string, params: URLSearchParams, signal: AbortSignal | undefined): Answer<unknown> {
    if (signal?.aborted) return fail(problem('cancelled', 'Cancelled.'));
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let answer: PrometheusAnswer;
    try {
      answer = await this.transport.get(path, params, both);
    } catch (error) {
      if (signal?.aborted) return fail(problem('cancelled', 'Cancelled.'));
      if (timeout.aborted)
        return fail(
          problem(
            'timeout',
            `${this.where} did not answer within ${formatMs(this.timeoutMs)} (${path}); it may be overloaded, or the window too large.`,
          ),
        );
      return fail(problem('unreachable', `Cannot reach ${this.where}: ${networkWords(error)}.`));
    }
    const front = this.transport.frontProblem?.(answer);
    if (front) return fail(front);
    let envelope: Envelope | null = null;
    if (/json/i.test(answer.contentType) || answer.body.trimStart().startsWith('{')) {
      try {
        envelope = JSON.parse(answer.body) as Envelope;
      } catch {
        envelope = null;
      }
    }
    const isEnvelope = envelope !== null && (envelope.status === 'success' || envelope.status === 'error');
    if (answer.status === 401)
      return fail(
        problem('unauthorized', `${this.where} rejected the credentials (401): check the bearer token.`, 401),
      );
    if (answer.status === 403 && !isEnvelope)
      return fail(problem('forbidden', `${this.where} refused access (403 Forbidden).`, 403));
    if (!isEnvelope) {
      const what = answer.contentType ? answer.contentType.split(';')[0] : 'no content type';
      const words = cleanWords(answer.body, 80);
      return fail(
        problem(
          'not-prometheus',
          `${this.where} answered, but not as Prometheus does (${path}: HTTP ${answer.status}, ${what}${words ? `: “${words}”` : ''}).`,
          answer.status,
        ),
      );
    }
    if (envelope!.status === 'error') {
      const words = cleanWords(String(envelope!.error ?? ''), 300);
      const code = answer.status >= 500 && envelope!.errorType !== 'timeout' ? 'server-error' : 'bad-query';
      if (envelope!.errorType === 'timeout')
        return fail(problem('timeout', `${this.where} gave up on the query (timeout): ${words}`, answer.status));
      return fail(problem(code, `${this.where} refused ${path} (${answer.status}): ${words}`, answer.status));
    }
    return ok(envelope!.data);
  }

  private shape(what: string): PrometheusProblem {
    return problem('not-prometheus', `${this.where} answered ${what} with an unexpected shape.`, 200);
  }
}

/** Prometheus's answer: `{status: "success", data}` or `{status: "error", errorType, error}`. */
interface Envelope {
  status?: unknown;
  data?: unknown;
  errorType?: unknown;
  error?: unknown;
}

/** Prometheus values are strings: numbers, "NaN", "+Inf", "-Inf". */
function parseValue(v: unknown): number {
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return Number(v);
}

const seconds = (ms: number) => (ms / 1000).toFixed(3).replace(/\.?0+$/, '');

const formatMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s` : `${ms} ms`);

/** The socket error in a fetch failure's cause chain, in a few words. */
function networkWords(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === 'string') {
      const known: Record<string, string> = {
        ECONNREFUSED: 'connection refused',
        ECONNRESET: 'connection reset',
        ENOTFOUND: 'host not found',
        EAI_AGAIN: 'DNS lookup failed',
        EHOSTUNREACH: 'host unreachable',
        UND_ERR_SOCKET: 'connection closed',
      };
      return known[e.code] ?? e.code;
    }
    current = e.cause;
  }
  return cleanWords(String((error as { message?: unknown })?.message ?? error), 120);
}
