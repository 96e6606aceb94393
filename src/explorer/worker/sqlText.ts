import type { Database } from '../../core/hubdb';
import type { Result } from '../../core/result';
import type { ErrorInfo } from '../../protocol/explorerProtocol';
import type { RawValue } from './cells';

/**
 * The operator's SQL as exactly one statement, without its trailing semicolon. The explorer wraps it
 * (CREATE TEMP TABLE … AS, EXPLAIN QUERY PLAN …), so a second statement must never ride along.
 */
export function oneStatement(db: Database, sql: string): Result<string, ErrorInfo> {
  const statements = db.iterateStatements(sql);
  try {
    const first = statements.next();
    if (first.done) return sqlError('There is no SQL statement to run.');
    const text = first.value.getSQL().replace(/[\s;]+$/, '');
    let second: IteratorResult<unknown>;
    try {
      second = statements.next();
    } catch {
      return sqlError('Run one statement at a time.');
    }
    if (!second.done) return sqlError('Run one statement at a time.');
    return { ok: true, value: text };
  } catch (error) {
    return sqlError(messageOfSql(error));
  } finally {
    // sql.js frees the statement in flight and the SQL copy here (missing from @types/sql.js).
    (statements as unknown as Iterator<unknown>).return?.();
  }
}

export const sqlError = (message: string): Result<never, ErrorInfo> => ({ ok: false, error: { code: 'sql', message } });

export function messageOfSql(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Statement = ReturnType<Database['prepare']>;

/** The current row with integers as bigint, so none is silently rounded past 2^53. */
export function rawRow(statement: Statement): RawValue[] {
  const get = statement.get as unknown as (params: null, config: { useBigInt: boolean }) => RawValue[];
  return get.call(statement, null, { useBigInt: true });
}
