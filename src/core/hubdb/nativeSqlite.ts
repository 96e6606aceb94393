import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';
import type { BindParams, SqlValue } from 'sql.js';
import type { ReadableDb, ReadStatement } from './sqlRows';

/**
 * A hub DB file read in place with Node's own SQLite (`node:sqlite`), for the CLI.
 *
 * sql.js reads a database from a byte array: the whole file is copied into memory first, which on a
 * 300 MB snapshot costs more than the analysis (and as much memory as the file). Node 22.16 and later ship
 * SQLite itself: it opens the file read-only and reads only the pages a query touches. The file is opened
 * as `immutable` (no locks, no -wal or -shm beside it is looked for or created), so nothing is ever
 * written next to a snapshot; a -wal file to apply makes the caller use sql.js instead (walFrames.ts).
 * The analysis runs the same SQL over either engine, through the narrow `ReadableDb`.
 */

type NodeSqlite = typeof import('node:sqlite');

let cached: NodeSqlite | null | undefined;

/** `node:sqlite` when this Node has it with what the reader needs (22.16+, 24+), else null. */
export function nodeSqlite(): NodeSqlite | null {
  if (cached !== undefined) return cached;
  cached = null;
  const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (typeof getBuiltin !== 'function') return cached;
  // Loading it prints "ExperimentalWarning: SQLite is an experimental feature" on stderr, which would
  // land in every CLI run and in scripts that read its output: that one warning is dropped.
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (/SQLite is an experimental feature/.test(String(warning))) return;
    return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    const loaded = getBuiltin.call(process, 'node:sqlite') as NodeSqlite | undefined;
    if (loaded && typeof loaded.StatementSync?.prototype?.setReturnArrays === 'function') cached = loaded;
  } catch {
    // An older Node without the module (or with it behind a flag): sql.js it is.
  } finally {
    process.emitWarning = emitWarning;
  }
  return cached;
}

class NativeStatement implements ReadStatement {
  private params: BindParams | undefined;
  private rows: Iterator<unknown> | undefined;
  private row: SqlValue[] = [];

  constructor(private readonly statement: StatementSync) {
    statement.setReturnArrays(true);
    // Integers come back as bigint, as sql.js returns them with useBigInt: sqlRows.ts narrows safe ones.
    statement.setReadBigInts(true);
  }

  bind(values?: BindParams): boolean {
    this.params = values;
    this.rows = undefined;
    return true;
  }

  step(): boolean {
    if (!this.rows) {
      const params = this.params;
      const args = params === undefined || params === null ? [] : Array.isArray(params) ? params : [params];
      this.rows = (this.statement.iterate as (...values: unknown[]) => Iterator<unknown>)(...args);
    }
    const next = this.rows.next();
    if (next.done) return false;
    this.row = next.value as SqlValue[];
    return true;
  }

  get(): SqlValue[] {
    return this.row;
  }

  getColumnNames(): string[] {
    return this.statement.columns().map((c) => c.name);
  }

  free(): boolean {
    this.rows?.return?.();
    this.rows = undefined;
    return true;
  }
}

class NativeDb implements ReadableDb {
  constructor(private readonly db: DatabaseSync) {}

  prepare(sql: string): ReadStatement {
    return new NativeStatement(this.db.prepare(sql));
  }

  run(sql: string): unknown {
    this.db.exec(sql);
    return this;
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Opens `path` read-only and immutable with Node's SQLite; throws SQLite's error (a file that is not a
 * database fails on its first read, not here). Call only when `nodeSqlite()` is not null.
 */
export function openNativeReadOnly(path: string): ReadableDb {
  const sqlite = nodeSqlite();
  if (!sqlite) throw new Error("this Node has no usable 'node:sqlite'");
  const db = new sqlite.DatabaseSync(`${pathToFileURL(path).href}?immutable=1`, { readOnly: true });
  return new NativeDb(db);
}
