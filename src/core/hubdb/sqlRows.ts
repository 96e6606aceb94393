import type { BindParams, SqlValue } from 'sql.js';

/** A value read from SQLite: integers beyond 2^53 stay exact as bigint, blobs are bytes. */
export type SqlCell = null | number | bigint | string | Uint8Array;

/** A prepared statement as the hub DB core steps through it (sql.js's Statement, or nativeSqlite.ts's). */
export interface ReadStatement {
  bind(values?: BindParams): boolean;
  step(): boolean;
  get(): SqlValue[];
  getColumnNames(): string[];
  free(): boolean;
}

/**
 * The part of an open database the hub DB core reads through: sql.js's Database has it, and so has the
 * CLI's reader of a file on disk with Node's own SQLite (nativeSqlite.ts). Code that needs more of sql.js
 * (exports, the explorer's statement splitting) takes sql.js's Database itself.
 */
export interface ReadableDb {
  prepare(sql: string): ReadStatement;
  run(sql: string): unknown;
  close(): void;
}

// sql.js supports `get(params, { useBigInt: true })`; its type definitions predate the option.
type GetWithConfig = (params?: BindParams, config?: { useBigInt?: boolean }) => unknown[];

function readRow(statement: ReadStatement): SqlCell[] {
  const row = (statement.get as unknown as GetWithConfig).call(statement, undefined, { useBigInt: true });
  return row.map((value) =>
    typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : (value as SqlCell),
  );
}

/** Every row of one statement (for small, bounded results: aggregates, catalog queries). */
export function selectAll(db: ReadableDb, sql: string, params?: BindParams): SqlCell[][] {
  const statement = db.prepare(sql);
  try {
    if (params) statement.bind(params);
    const rows: SqlCell[][] = [];
    while (statement.step()) rows.push(readRow(statement));
    return rows;
  } finally {
    statement.free();
  }
}

/** The first column of the first row, or null. */
export function selectValue(db: ReadableDb, sql: string, params?: BindParams): SqlCell {
  return selectAll(db, sql, params)[0]?.[0] ?? null;
}

/** A number from a COUNT/SUM-like query (NULL → 0). */
export function selectNumber(db: ReadableDb, sql: string, params?: BindParams): number {
  const value = selectValue(db, sql, params);
  return typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : Number(value ?? 0) || 0;
}

/**
 * Rows one at a time, for results too big to hold (exports). The statement is freed when the loop ends,
 * breaks or throws.
 */
export function* iterateRows(db: ReadableDb, sql: string, params?: BindParams): Generator<SqlCell[], void, undefined> {
  const statement = db.prepare(sql);
  try {
    if (params) statement.bind(params);
    while (statement.step()) yield readRow(statement);
  } finally {
    statement.free();
  }
}

/** The result column names of one statement, without running it (the read-only guard stays on). */
export function columnNames(db: ReadableDb, sql: string): string[] {
  let statement: ReadStatement | undefined;
  try {
    statement = db.prepare(sql);
    return statement.getColumnNames();
  } finally {
    statement?.free();
    // Preparing untrusted SQL can switch flag pragmas (query_only) off: see readOnly.ts.
    db.run('PRAGMA query_only = 1');
  }
}

/** Quotes an identifier for SQL text ("a""b"). */
export const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The columns of a table, in order (empty when the table does not exist). */
export function tableColumns(db: ReadableDb, table: string): string[] {
  return selectAll(db, `PRAGMA table_info(${quoteIdentifier(table)})`).map((r) => String(r[1]));
}
