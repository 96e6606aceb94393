import type { Database } from './sqlJs';
import { selectAll, type ReadableDb } from './sqlRows';

/**
 * Keeping an opened snapshot read-only against ad-hoc SQL. `PRAGMA query_only = 1` refuses writes, but
 * SQLite applies flag pragmas when a statement is *prepared*: merely preparing (or EXPLAINing)
 * `PRAGMA query_only = 0` turns the guard off. So: check a statement before running it, and put the
 * guard back after preparing anything that came from a person.
 */

/** Opcodes of programs that change the database or its schema (pragmas are judged by name instead). */
const WRITES = new Set(
  (
    'OpenWrite Insert Delete IdxDelete ParseSchema SetCookie Destroy Clear ResetCount CreateBtree Vacuum ' +
    'IncrVacuum JournalMode Checkpoint VUpdate VCreate VDestroy DropTable DropIndex DropTrigger'
  ).split(' '),
);

/** Pragmas that only report (when given no `= value`). */
const READ_PRAGMAS = new Set(
  (
    'table_info table_xinfo table_list index_list index_info index_xinfo foreign_key_list foreign_key_check ' +
    'integrity_check quick_check page_size page_count freelist_count database_list compile_options ' +
    'collation_list function_list module_list pragma_list schema_version user_version application_id encoding ' +
    'data_version max_page_count query_only foreign_keys'
  ).split(' '),
);

/** Turns the read-only guard back on (cheap; call after preparing untrusted SQL). */
export function restoreReadOnly(db: ReadableDb): void {
  db.run('PRAGMA query_only = 1');
}

const withoutComments = (sql: string) =>
  sql
    .replace(/^(\s|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)+/, '')
    .trimEnd()
    .replace(/;\s*$/, '');

/**
 * Whether `sql` is exactly one statement that only reads: false for INSERT/UPDATE/DELETE, DDL, VACUUM,
 * pragmas that set something, several statements, or none. Throws SQLite's error for invalid SQL.
 * Leaves the guard on.
 */
export function isReadOnlySql(db: Database, sql: string): boolean {
  try {
    let statements = 0;
    for (const statement of db.iterateStatements(sql)) {
      statement.free();
      if (++statements > 1) return false;
    }
    if (statements !== 1) return false;
    let text = withoutComments(sql);
    const explain = /^EXPLAIN(\s+QUERY\s+PLAN)?\s+/i.exec(text);
    if (explain) text = text.slice(explain[0].length);
    const pragma = /^PRAGMA\s+(?:[A-Za-z_][\w]*\s*\.\s*)?([A-Za-z_]\w*)\s*(=|\(|$)/i.exec(text);
    if (pragma) return pragma[2] !== '=' && READ_PRAGMAS.has(pragma[1]!.toLowerCase());
    if (/^PRAGMA\b/i.test(text)) return false;
    const program = selectAll(db, `EXPLAIN ${text}`);
    return !program.some(
      ([, opcode, , p2]) => WRITES.has(String(opcode)) || (opcode === 'Transaction' && Number(p2) !== 0),
    );
  } finally {
    restoreReadOnly(db);
  }
}
