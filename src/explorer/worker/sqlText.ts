import type { Result } from '../../core/result';
import type { ErrorInfo } from '../../protocol/explorerProtocol';
import type { Database, SqlValue } from './hubDbSeam';
import type { RawValue } from './cells';

/** A name from the DB as a SQL identifier, whatever it holds (quotes, brackets, payloads). */
export const quoteId = (name: string): string => `"${name.replace(/"/g, '""')}"`;

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

/** Runs a query that returns few rows (catalog, counts) and hands back its rows. */
export function selectAll(db: Database, sql: string, params: SqlValue[] = []): SqlValue[][] {
  const statement = db.prepare(sql);
  try {
    statement.bind(params);
    const rows: SqlValue[][] = [];
    while (statement.step()) rows.push(statement.get());
    return rows;
  } finally {
    statement.free();
  }
}

type Statement = ReturnType<Database['prepare']>;

/** The current row with integers as bigint, so none is silently rounded past 2^53. */
export function rawRow(statement: Statement): RawValue[] {
  const get = statement.get as unknown as (params: null, config: { useBigInt: boolean }) => RawValue[];
  return get.call(statement, null, { useBigInt: true });
}
