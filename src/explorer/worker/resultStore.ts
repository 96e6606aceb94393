import type { Result } from '../../core/result';
import type { Cell, ErrorInfo, ResultInfo } from '../../protocol/explorerProtocol';
import { quoteIdentifier as quoteId, selectAll, type Database } from '../../core/hubdb';
import { fullText, toCell, type RawValue } from './cells';
import { messageOfSql, oneStatement, rawRow, sqlError } from './sqlText';

/** Statements that are not a SELECT (PRAGMA, EXPLAIN) are read row by row; this many at most. */
export const MAX_CAPTURED_ROWS = 1_000_000;

interface StoredResult {
  info: ResultInfo;
  /** The TEMP table holding the rows in order (rowid 1…n), or null for a statement without columns. */
  table: string | null;
  /**
   * A sorted view: a TEMP table of the base table's rowids in sorted order (its own rowid 1…n is the
   * position). Sorting moves row numbers, not rows: a million 250-byte rows are not copied again.
   */
  order: string | null;
  /** How to name the base table's rowid: a result may have a column called rowid (or _rowid_). */
  rowid: string;
  /** Column names inside that table (SQLite renames duplicates), in the order of `info.columns`. */
  storedColumns: string[];
  /** The unsorted result this one was sorted from (itself when unsorted). */
  baseId: number;
}

/**
 * Query results materialised in TEMP tables of the worker's in-memory DB: a page is a rowid range,
 * so scrolling to row 900,000 of a million costs the same as row 0, and sorting is one more TEMP
 * table (of row numbers) built by SQLite. Only the latest query (and one sort of it) is kept.
 */
export class ResultStore {
  private nextId = 1;
  private readonly results = new Map<number, StoredResult>();

  constructor(private readonly db: Database) {}

  run(sql: string): Result<ResultInfo, ErrorInfo> {
    const single = oneStatement(this.db, sql);
    if (!single.ok) return single;
    let columns: string[];
    try {
      const statement = this.db.prepare(single.value);
      columns = statement.getColumnNames();
      statement.free();
    } catch (error) {
      return sqlError(messageOfSql(error));
    }
    this.allowOwnWrites();
    this.clear();
    const id = this.nextId++;
    const table = `explorer_result_${id}`;
    const started = performance.now();
    const wrapped = this.tryMaterialize(table, single.value);
    const stored = wrapped ?? this.capture(table, single.value, columns);
    if (!stored.ok) return stored;
    const info: ResultInfo = {
      resultId: id,
      columns,
      rowCount: stored.value.rowCount,
      sort: null,
      elapsedMs: performance.now() - started,
    };
    const rowid = ['rowid', '_rowid_', 'oid'].find(
      (name) => !stored.value.storedColumns.some((c) => c.toLowerCase() === name),
    );
    if (!rowid) {
      this.drop(id, { ...stored.value, info, order: null, rowid: 'rowid', baseId: id });
      return sqlError('The result has columns named rowid, _rowid_ and oid: rename one of them (AS …) to browse it.');
    }
    this.results.set(id, { info, ...stored.value, order: null, rowid, baseId: id });
    return { ok: true, value: info };
  }

  sort(resultId: number, column: number, direction: 'asc' | 'desc' | 'none'): Result<ResultInfo, ErrorInfo> {
    const found = this.find(resultId);
    if (!found.ok) return found;
    const base = this.results.get(found.value.baseId)!;
    if (direction === 'none' || !base.table) return { ok: true, value: base.info };
    const storedColumn = base.storedColumns[column];
    if (storedColumn === undefined) return { ok: false, error: { code: 'sql', message: 'There is no such column.' } };
    this.allowOwnWrites();
    for (const [id, other] of this.results) if (id !== base.info.resultId) this.drop(id, other);
    const id = this.nextId++;
    const table = `explorer_result_${id}`;
    const started = performance.now();
    try {
      this.db.run(`CREATE TEMP TABLE ${quoteId(table)} (source INTEGER NOT NULL)`);
      this.db.run(
        `INSERT INTO temp.${quoteId(table)} (source) SELECT ${base.rowid} FROM temp.${quoteId(base.table)} ORDER BY ${quoteId(storedColumn)} ${direction === 'asc' ? 'ASC' : 'DESC'}, ${base.rowid}`,
      );
    } catch (error) {
      return sqlError(messageOfSql(error));
    }
    const info: ResultInfo = {
      ...base.info,
      resultId: id,
      sort: { column, direction },
      elapsedMs: performance.now() - started,
    };
    this.results.set(id, {
      info,
      table: base.table,
      order: table,
      rowid: base.rowid,
      storedColumns: base.storedColumns,
      baseId: base.info.resultId,
    });
    return { ok: true, value: info };
  }

  /** Rows offset+1 … offset+limit as cells. */
  rows(resultId: number, offset: number, limit: number): Result<Cell[][], ErrorInfo> {
    const found = this.find(resultId);
    if (!found.ok) return found;
    if (!found.value.table) return { ok: true, value: [] };
    const statement = this.db.prepare(selectRows(found.value, 'range'));
    try {
      statement.bind([offset, offset + limit]);
      const rows: Cell[][] = [];
      while (statement.step()) rows.push(rawRow(statement).slice(1).map(toCell));
      return { ok: true, value: rows };
    } finally {
      statement.free();
    }
  }

  /** The whole value of one cell (row is 0-based), for copying. */
  cell(resultId: number, row: number, column: number): Result<string, ErrorInfo> {
    const found = this.find(resultId);
    if (!found.ok) return found;
    if (!found.value.table) return { ok: true, value: '' };
    const statement = this.db.prepare(selectRows(found.value, 'one'));
    try {
      statement.bind([row + 1]);
      if (!statement.step()) return { ok: false, error: { code: 'sql', message: 'There is no such row.' } };
      const values = rawRow(statement).slice(1);
      if (column >= values.length) return { ok: false, error: { code: 'sql', message: 'There is no such column.' } };
      return { ok: true, value: fullText(values[column]!) };
    } finally {
      statement.free();
    }
  }

  /** Every row in order, one at a time (exports stream these). The statement is freed when done or abandoned. */
  *iterate(resultId: number): Generator<RawValue[], void, undefined> {
    const stored = this.results.get(resultId);
    if (!stored?.table) return;
    const statement = this.db.prepare(selectRows(stored, 'all'));
    try {
      while (statement.step()) yield rawRow(statement).slice(1);
    } finally {
      statement.free();
    }
  }

  find(resultId: number): Result<StoredResult, ErrorInfo> {
    const stored = this.results.get(resultId);
    return stored
      ? { ok: true, value: stored }
      : {
          ok: false,
          error: {
            code: 'unknown-result',
            message: 'This result is gone (a newer query or a cancel replaced it). Run the query again.',
          },
        };
  }

  clear(): void {
    for (const [id, stored] of this.results) this.drop(id, stored);
  }

  private drop(id: number, stored: StoredResult): void {
    // A sort owns only its order table; the base table goes with the base result.
    const own = stored.order ?? stored.table;
    if (own) this.db.run(`DROP TABLE IF EXISTS temp.${quoteId(own)}`);
    this.results.delete(id);
  }

  /** A SELECT (or VALUES/WITH) becomes a TEMP table in one statement; anything else returns undefined. */
  private tryMaterialize(table: string, sql: string): Result<Stored, ErrorInfo> | undefined {
    let statement;
    try {
      statement = this.db.prepare(`CREATE TEMP TABLE ${quoteId(table)} AS ${sql}`);
    } catch {
      return undefined;
    }
    try {
      statement.step();
    } catch (error) {
      return sqlError(messageOfSql(error));
    } finally {
      statement.free();
    }
    return { ok: true, value: { table, storedColumns: this.storedColumns(table), rowCount: this.count(table) } };
  }

  /**
   * PRAGMA, EXPLAIN and friends: stepped with the DB set query-only (so a DELETE or DROP fails instead
   * of changing the copy), then copied into a TEMP table so paging and sorting work the same way.
   */
  private capture(table: string, sql: string, columns: string[]): Result<Stored, ErrorInfo> {
    const rows: RawValue[][] = [];
    this.db.run('PRAGMA query_only = 1');
    try {
      const statement = this.db.prepare(sql);
      try {
        while (rows.length < MAX_CAPTURED_ROWS && statement.step()) rows.push(rawRow(statement));
      } finally {
        statement.free();
      }
    } catch (error) {
      const message = messageOfSql(error);
      if (/readonly database/i.test(message))
        return {
          ok: false,
          error: {
            code: 'read-only',
            message:
              'The explorer is read-only: run SELECT, WITH, VALUES, EXPLAIN or PRAGMA queries. The file is never changed.',
          },
        };
      return sqlError(message);
    } finally {
      this.db.run('PRAGMA query_only = 0');
      // A BEGIN from the operator would leave a transaction open under everything that follows.
      try {
        this.db.run('ROLLBACK');
      } catch {
        // No transaction was open: the usual case.
      }
    }
    if (columns.length === 0) return { ok: true, value: { table: null, storedColumns: [], rowCount: 0 } };
    const storedColumns = columns.map((_, i) => `c${i}`);
    this.db.run(`CREATE TEMP TABLE ${quoteId(table)} (${storedColumns.map(quoteId).join(', ')})`);
    const insert = this.db.prepare(
      `INSERT INTO temp.${quoteId(table)} VALUES (${storedColumns.map(() => '?').join(', ')})`,
    );
    try {
      this.db.run('BEGIN');
      for (const row of rows) insert.run(row.map((v) => (typeof v === 'bigint' ? v.toString() : v)));
      this.db.run('COMMIT');
    } finally {
      insert.free();
    }
    return { ok: true, value: { table, storedColumns, rowCount: rows.length } };
  }

  /**
   * The explorer's own TEMP tables need writes. Preparing a statement applies flag pragmas, so an
   * operator's `PRAGMA query_only = 1` (even inside EXPLAIN) could have switched them off.
   */
  private allowOwnWrites(): void {
    this.db.run('PRAGMA query_only = 0');
  }

  private storedColumns(table: string): string[] {
    return selectAll(this.db, `PRAGMA temp.table_info(${quoteId(table)})`).map((row) => String(row[1]));
  }

  private count(table: string): number {
    return Number(selectAll(this.db, `SELECT count(*) FROM temp.${quoteId(table)}`)[0]![0]);
  }
}

/**
 * The rows of a result, each led by its 1-based position (the base table's rowid, or the place a sort
 * gave it): positions `(?, ?]`, position `?`, or all in order.
 */
function selectRows(stored: StoredResult, which: 'range' | 'one' | 'all'): string {
  const base = `temp.${quoteId(stored.table!)} AS b`;
  const [position, from] = stored.order
    ? ['o.rowid', `temp.${quoteId(stored.order)} AS o JOIN ${base} ON b.${stored.rowid} = o.source`]
    : [`b.${stored.rowid}`, base];
  const where =
    which === 'range' ? `WHERE ${position} > ? AND ${position} <= ?` : which === 'one' ? `WHERE ${position} = ?` : '';
  return `SELECT ${position}, b.* FROM ${from} ${where} ORDER BY ${position}`;
}

interface Stored {
  table: string | null;
  storedColumns: string[];
  rowCount: number;
}
