/**
 * Runtime schemas for webview messages, shared by every protocol module (the explorer's, the report's).
 * A message is declared once as a schema and its TypeScript type inferred from it, so what the compiler
 * checks and what the receiver validates cannot drift apart. Small on purpose: just what the messages need.
 * Imports only src/shared: webview bundles include it.
 */

import { isRecord } from '../shared/guards';

/** Returns undefined when `value` fits, else a short reason naming the path that does not. */
type Check = (value: unknown, path: string) => string | undefined;

export interface Schema<T> {
  readonly check: Check;
  /** Phantom: carries the inferred type, never set at runtime. */
  readonly type?: T;
}
export interface OptionalSchema<T> extends Schema<T> {
  readonly optional: true;
}
export type Infer<S> = S extends Schema<infer T> ? T : never;

export const schema = <T>(check: Check): Schema<T> => ({ check });

/** A string of at most `maxLength` characters: bigger payloads are a bug or an attack, not data. */
export const text = (maxLength: number): Schema<string> =>
  schema((v, p) =>
    typeof v !== 'string' ? `${p} is not a string` : v.length > maxLength ? `${p} is too long` : undefined,
  );

export const int = (min = 0, max = Number.MAX_SAFE_INTEGER): Schema<number> =>
  schema((v, p) =>
    typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max
      ? `${p} is not an integer in [${min}, ${max}]`
      : undefined,
  );

export const num: Schema<number> = schema((v, p) =>
  typeof v !== 'number' || !Number.isFinite(v) ? `${p} is not a number` : undefined,
);

export const bool: Schema<boolean> = schema((v, p) => (typeof v !== 'boolean' ? `${p} is not a boolean` : undefined));

export const lit = <const T extends string>(...values: T[]): Schema<T> =>
  schema((v, p) =>
    typeof v === 'string' && (values as string[]).includes(v) ? undefined : `${p} is not one of ${values.join('|')}`,
  );

export const nullable = <T>(inner: Schema<T>): Schema<T | null> =>
  schema((v, p) => (v === null ? undefined : inner.check(v, p)));

export const opt = <T>(inner: Schema<T>): OptionalSchema<T> => ({
  optional: true,
  check: (v, p) => (v === undefined ? undefined : inner.check(v, p)),
});

export const arr = <T>(item: Schema<T>, maxItems = 100_000): Schema<T[]> =>
  schema((v, p) => {
    if (!Array.isArray(v)) return `${p} is not an array`;
    if (v.length > maxItems) return `${p} has too many items`;
    for (let i = 0; i < v.length; i++) {
      const problem = item.check(v[i], `${p}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  });

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never }[keyof S];
type Flatten<T> = { [K in keyof T]: T[K] };
type ObjectOf<S extends Shape> = Flatten<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

/** A plain object with exactly these keys: unknown keys are rejected, so nothing rides along unchecked. */
export const obj = <S extends Shape>(shape: S): Schema<ObjectOf<S>> =>
  schema((v, p) => {
    if (!isRecord(v)) return `${p} is not an object`;
    for (const key of Object.keys(v)) if (!Object.hasOwn(shape, key)) return `${p}.${key} is not expected`;
    for (const [key, field] of Object.entries(shape)) {
      const problem = field.check(v[key], `${p}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  });

/** One of several message schemas, chosen by their literal `type` field. */
export function messages<S extends Schema<{ type: string }>>(byType: Record<string, S>): Schema<Infer<S>> {
  return schema((v, p) => {
    if (!isRecord(v) || typeof v.type !== 'string') return `${p} has no type`;
    const chosen = Object.hasOwn(byType, v.type) ? byType[v.type] : undefined;
    return chosen ? chosen.check(v, p) : `${p}.type '${v.type.slice(0, 40)}' is unknown`;
  });
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parseWith<T>(s: Schema<T>, value: unknown): Parsed<T> {
  const reason = s.check(value, 'message');
  return reason ? { ok: false, reason } : { ok: true, value: value as T };
}

/** Why something the page asked for failed, as the page shows it. */
export interface PageError {
  code: string;
  message: string;
}

/**
 * A webview page's protocol, for the host's PageConnection and the page's HostConnection: its name
 * (in logs), a validator for each direction, and the message that tells the page something failed.
 */
export interface PageProtocol<ToHost, ToWebview> {
  readonly name: string;
  parseToHost(value: unknown): Parsed<ToHost>;
  parseToWebview(value: unknown): Parsed<ToWebview>;
  /** What tells the page that handling `message` failed; undefined when nothing on the page waits for it. */
  failed(message: ToHost, error: PageError): ToWebview | undefined;
}

export function pageProtocol<ToHost, ToWebview>(
  name: string,
  toHost: Schema<ToHost>,
  toWebview: Schema<ToWebview>,
  failed: PageProtocol<ToHost, ToWebview>['failed'],
): PageProtocol<ToHost, ToWebview> {
  return {
    name,
    parseToHost: (value) => parseWith(toHost, value),
    parseToWebview: (value) => parseWith(toWebview, value),
    failed,
  };
}
