import { restoreReadOnly } from './readOnly';
import type { Database } from './sqlJs';
import { quoteIdentifier, selectAll, type SqlCell } from './sqlRows';

/**
 * Where each result column of an ad-hoc query comes from, read from SQLite's own program for it
 * (`EXPLAIN`): sql.js exposes no `sqlite3_column_table_name`, and a column's name says nothing once it is
 * aliased (`SELECT cookie_id AS c`) or computed (`substr(hashed, 1)`).
 *
 * Registers are traced back through copies, sorters, temporary tables and subroutines to their leaves:
 * a real table column, a rowid or constant, or an opaque computation. The caller decides: a column
 * whose leaves include a secret column is hidden; an opaque one is hidden when the statement reads any
 * secret anywhere. That is conservative (an aggregate over a secret is hidden too), never leaky.
 */
export type Origin = { kind: 'column'; table: string; column: string } | { kind: 'constant' } | { kind: 'opaque' };

export interface QueryOrigins {
  /** Per result column, the distinct leaves its values can come from. */
  columns: Origin[][];
  /** Every real table column the program reads (in any clause). */
  reads: { table: string; column: string }[];
}

interface Instruction {
  opcode: string;
  p1: number;
  p2: number;
  p3: number;
}

type Writer =
  | { kind: 'column'; cursor: number; field: number }
  | { kind: 'constant' }
  | { kind: 'copy'; from: number }
  | { kind: 'record'; cursor: number }
  | { kind: 'makeRecord'; start: number; count: number }
  | { kind: 'opaque' };

type CursorSource =
  | { kind: 'table'; table: string; columns: string[] }
  | { kind: 'index'; table: string; columns: (string | null)[] }
  | { kind: 'records' }
  | { kind: 'pseudo'; register: number }
  | { kind: 'unknown' };

/** Opcodes that write no data register (control flow, cursors, comparisons), or only counters and addresses. */
const NO_DATA_WRITE = new Set(
  (
    'Init Goto Gosub Return Halt HaltIfNull Transaction TableLock OpenRead OpenWrite ReopenIdx OpenEphemeral ' +
    'OpenAutoindex OpenDup OpenPseudo SorterOpen Close Rewind Last Next Prev SorterNext SorterSort Sort SeekGE ' +
    'SeekGT SeekLE SeekLT SeekRowid SeekEnd SeekScan SeekHit NotExists Found NotFound NoConflict IfNoHope IdxGE ' +
    'IdxGT IdxLE IdxLT DeferredSeek FinishSeek Eq Ne Lt Le Gt Ge ElseEq Jump If IfNot IsNull NotNull Once Noop ' +
    'Explain Trace Yield InitCoroutine EndCoroutine ResultRow Compare Affinity MustBeInt TypeCheck CursorHint ' +
    'CursorLock CursorUnlock ColumnsUsed ReleaseReg IfPos IfNotZero DecrJumpZero Insert IdxInsert SorterInsert ' +
    'Filter FilterAdd IfNullRow NullRow ResetSorter SequenceTest IfSizeBetween IfEmpty SorterCompare IsType ' +
    'Permutation OffsetLimit'
  ).split(' '),
);

const CONSTANT_P2 = new Set(
  'Integer Int64 Real String8 String Blob Variable Sequence Count Rowid IdxRowid BeginSubrtn'.split(' '),
);

function readProgram(db: Database, sql: string): Instruction[] {
  let rows: SqlCell[][];
  try {
    rows = selectAll(db, `EXPLAIN ${sql}`);
  } finally {
    // Preparing untrusted SQL can switch flag pragmas (query_only) off: see readOnly.ts.
    restoreReadOnly(db);
  }
  return rows.map((r: SqlCell[]) => ({
    opcode: String(r[1]),
    p1: Number(r[2]),
    p2: Number(r[3]),
    p3: Number(r[4]),
  }));
}

/** Root page → the table or index stored there, with column names by position. */
function readSchemaPages(db: Database): Map<number, CursorSource> {
  const pages = new Map<number, CursorSource>();
  const tableColumns = new Map<string, string[]>();
  const columnsOf = (table: string) => {
    let columns = tableColumns.get(table);
    if (!columns) {
      columns = selectAll(db, `PRAGMA table_info(${quoteIdentifier(table)})`).map((r) => String(r[1]));
      tableColumns.set(table, columns);
    }
    return columns;
  };
  for (const [type, name, table, rootpage] of selectAll(
    db,
    "SELECT type, name, tbl_name, rootpage FROM sqlite_master WHERE type IN ('table', 'index') AND rootpage > 0",
  )) {
    const page = Number(rootpage);
    if (type === 'table') pages.set(page, { kind: 'table', table: String(name), columns: columnsOf(String(name)) });
    else {
      const info = selectAll(db, `PRAGMA index_xinfo(${quoteIdentifier(String(name))})`);
      // index_xinfo: seqno, cid, name, … ; cid -1 is the rowid, -2 an expression.
      const columns = info.map((r) => (Number(r[1]) >= 0 ? String(r[2]) : null));
      pages.set(page, { kind: 'index', table: String(table), columns });
    }
  }
  return pages;
}

export function queryOrigins(db: Database, sql: string): QueryOrigins {
  const program = readProgram(db, sql);
  const pages = readSchemaPages(db);

  const writers = new Map<number, Writer[]>();
  const write = (register: number, writer: Writer) => {
    const list = writers.get(register);
    if (list) list.push(writer);
    else writers.set(register, [writer]);
  };
  const cursors = new Map<number, CursorSource>();
  const inserted = new Map<number, number[]>();
  const results: { start: number; count: number }[] = [];
  const reads: { table: string; column: string }[] = [];

  for (const op of program) {
    const { opcode, p1, p2, p3 } = op;
    switch (opcode) {
      case 'OpenRead':
      case 'OpenWrite':
      case 'ReopenIdx':
        cursors.set(p1, (p3 === 0 && pages.get(p2)) || { kind: 'unknown' });
        break;
      case 'OpenEphemeral':
      case 'OpenAutoindex':
      case 'SorterOpen':
        cursors.set(p1, { kind: 'records' });
        break;
      case 'OpenDup':
        cursors.set(p1, cursors.get(p2) ?? { kind: 'unknown' });
        break;
      case 'OpenPseudo':
        cursors.set(p1, { kind: 'pseudo', register: p2 });
        break;
      case 'Insert':
      case 'IdxInsert':
      case 'SorterInsert':
        inserted.set(p1, [...(inserted.get(p1) ?? []), p2]);
        break;
      case 'Column':
        write(p3, { kind: 'column', cursor: p1, field: p2 });
        break;
      case 'Copy':
        for (let i = 0; i <= p3; i++) write(p2 + i, { kind: 'copy', from: p1 + i });
        break;
      case 'SCopy':
      case 'IntCopy':
        write(p2, { kind: 'copy', from: p1 });
        break;
      case 'Null':
        for (let r = p2; r <= Math.max(p2, p3); r++) write(r, { kind: 'constant' });
        break;
      case 'SoftNull':
        write(p1, { kind: 'constant' });
        break;
      case 'MakeRecord':
        write(p3, { kind: 'makeRecord', start: p1, count: p2 });
        break;
      case 'SorterData':
      case 'RowData':
        write(p2, { kind: 'record', cursor: p1 });
        break;
      case 'ResultRow':
        results.push({ start: p1, count: p2 });
        break;
      default:
        if (CONSTANT_P2.has(opcode)) write(p2, { kind: 'constant' });
        else if (!NO_DATA_WRITE.has(opcode)) for (const r of [p1, p2, p3]) if (r > 0) write(r, { kind: 'opaque' });
    }
  }

  // Leaves of one field of a cursor's rows.
  const fieldOrigins = (cursor: number, field: number, seen: Set<string>): Origin[] => {
    const key = `c${cursor}:${field}`;
    if (seen.has(key)) return [];
    seen.add(key);
    const source = cursors.get(cursor) ?? { kind: 'unknown' };
    switch (source.kind) {
      case 'table': {
        const column = source.columns[field];
        return column === undefined ? [{ kind: 'opaque' }] : [{ kind: 'column', table: source.table, column }];
      }
      case 'index': {
        const column = source.columns[field];
        return column === undefined
          ? [{ kind: 'opaque' }]
          : column === null
            ? [{ kind: 'constant' }]
            : [{ kind: 'column', table: source.table, column }];
      }
      case 'records': {
        const records = inserted.get(cursor) ?? [];
        if (records.length === 0) return [{ kind: 'opaque' }];
        return records.flatMap((r) => recordFieldOrigins(r, field, seen));
      }
      case 'pseudo':
        return recordFieldOrigins(source.register, field, seen);
      default:
        return [{ kind: 'opaque' }];
    }
  };

  // Leaves of one field of the records a register holds.
  const recordFieldOrigins = (register: number, field: number, seen: Set<string>): Origin[] => {
    const key = `r${register}:${field}`;
    if (seen.has(key)) return [];
    seen.add(key);
    const list = writers.get(register) ?? [];
    if (list.length === 0) return [{ kind: 'opaque' }];
    return list.flatMap((w): Origin[] => {
      if (w.kind === 'makeRecord')
        return field < w.count ? registerOrigins(w.start + field, seen) : [{ kind: 'opaque' }];
      if (w.kind === 'record') return fieldOrigins(w.cursor, field, seen);
      if (w.kind === 'copy') return recordFieldOrigins(w.from, field, seen);
      return [{ kind: 'opaque' }];
    });
  };

  const registerOrigins = (register: number, seen: Set<string>): Origin[] => {
    const key = `v${register}`;
    if (seen.has(key)) return [];
    seen.add(key);
    const list = writers.get(register) ?? [];
    if (list.length === 0) return [{ kind: 'opaque' }];
    return list.flatMap((w): Origin[] => {
      switch (w.kind) {
        case 'column':
          return fieldOrigins(w.cursor, w.field, seen);
        case 'constant':
          return [{ kind: 'constant' }];
        case 'copy':
          return registerOrigins(w.from, seen);
        default:
          return [{ kind: 'opaque' }];
      }
    });
  };

  for (const op of program) {
    if (op.opcode !== 'Column') continue;
    for (const origin of fieldOrigins(op.p1, op.p2, new Set()))
      if (origin.kind === 'column') reads.push({ table: origin.table, column: origin.column });
  }

  const width = results.reduce((max, r) => Math.max(max, r.count), 0);
  const columns: Origin[][] = [];
  for (let i = 0; i < width; i++) {
    const leaves = results.filter((r) => i < r.count).flatMap((r) => registerOrigins(r.start + i, new Set()));
    columns.push(dedupe(leaves.length ? leaves : [{ kind: 'opaque' }]));
  }
  return {
    columns,
    reads: dedupe(reads.map((r) => ({ kind: 'column' as const, ...r }))).map(({ table, column }) => ({
      table,
      column,
    })),
  };
}

function dedupe<T extends Origin>(origins: T[]): T[] {
  const seen = new Map<string, T>();
  for (const o of origins) seen.set(o.kind === 'column' ? `${o.table}.${o.column}` : o.kind, o);
  return [...seen.values()];
}
