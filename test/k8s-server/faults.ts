/** Fault injection: make requests to a path fail with a given status a number of times. */
import { failure, type Status } from './status';

interface Fault {
  match: string | RegExp;
  remaining: number;
  status: Status;
  method?: string;
}

const reasons: Record<number, string> = {
  429: 'TooManyRequests',
  500: 'InternalError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export interface FaultOptions {
  /** How many matching requests fail (default 1). */
  times?: number;
  /** HTTP status (default 500). */
  code?: number;
  message?: string;
  /** Only this method (e.g. 'GET'); default any. */
  method?: string;
}

export class Faults {
  private faults: Fault[] = [];

  /**
   * The next `times` requests whose path matches fail with `code`. A string matches the exact path
   * (without query); a RegExp is tested against path + query.
   */
  failNext(match: string | RegExp, options: FaultOptions = {}): void {
    const code = options.code ?? 500;
    const message = options.message ?? 'injected fault';
    const status =
      code === 500
        ? failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] })
        : failure(code, reasons[code] ?? 'Unknown', message);
    this.faults.push({
      match,
      remaining: options.times ?? 1,
      status,
      ...(options.method ? { method: options.method } : {}),
    });
  }

  clear(): void {
    this.faults = [];
  }

  /** The Status to answer with, if a fault matches this request (and counts it down). */
  take(method: string, url: URL): Status | undefined {
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method === method) &&
        (typeof f.match === 'string' ? url.pathname === f.match : f.match.test(url.pathname + url.search)),
    );
    if (!fault) return undefined;
    fault.remaining--;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault.status;
  }
}
