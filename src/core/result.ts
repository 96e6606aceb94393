/**
 * Errors are values at boundaries: a `Result` says in its type that something can fail, and a
 * `UserError` carries the sentence an operator reads (what happened, what to do), apart from the
 * technical detail that goes to logs.
 */
export type Result<T, E = UserError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

/**
 * The extension loads parts of itself as bundles of their own (the explorer, the report, the analyzer), each with
 * its own copy of this class: a `UserError` is recognised by this mark, the same in every copy, not by which
 * copy made it.
 */
const userErrorMark = Symbol.for('jupyterhub-ops.UserError');

export class UserError extends Error {
  readonly [userErrorMark] = true;

  /** `instanceof UserError` holds for a UserError made by any bundle's copy of this class. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // A subclass keeps the usual prototype check: only `instanceof UserError` itself goes by the mark.
    if (this !== UserError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return (
      typeof value === 'object' && value !== null && (value as { [userErrorMark]?: unknown })[userErrorMark] === true
    );
  }

  constructor(
    /** One or two sentences for the operator: what went wrong and what to do about it. */
    readonly userMessage: string,
    /** A stable code tests and callers can switch on. */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
    this.name = 'UserError';
  }
}

/** The message of anything thrown, for logs and as a last resort for the operator. */
export function messageOf(error: unknown): string {
  if (error instanceof UserError) return error.userMessage;
  if (error instanceof Error) return error.message;
  return String(error);
}
