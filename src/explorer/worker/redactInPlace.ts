import { REDACTED } from '../../protocol/explorerProtocol';
import type { Database } from './hubDbSeam';
import { quoteId, selectAll } from './sqlText';

/**
 * Joins the marker and a random tail where a UNIQUE rule (users.cookie_id, api_tokens.hashed) forbids
 * one value in every row. Output shows such values as the plain marker (`shownValue`).
 */
const UNIQUE_TAIL = '\u2060';

/**
 * Overwrites secret columns in the worker's in-memory copy of the DB (the file is never written).
 * Redacting the data itself, rather than result rows, means no alias, expression, view or export can
 * reach a secret: `SELECT hashed AS h`, `substr(secret, 1)` and `SELECT * FROM some_view` all see the
 * marker. Fails closed: a table whose secrets cannot be overwritten is emptied, and the notice says so.
 */
export function redactInPlace(db: Database, secrets: Readonly<Record<string, readonly string[]>>): string[] {
  const notices: string[] = [];
  // A hostile file's triggers could veto the UPDATE (RAISE) and keep a secret visible.
  for (const [trigger] of selectAll(db, "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    db.run(`DROP TRIGGER IF EXISTS ${quoteId(String(trigger))}`);
  db.run('PRAGMA ignore_check_constraints = 1');
  try {
    for (const [table, columns] of Object.entries(secrets)) {
      const present = new Set(columnsOf(db, table));
      for (const column of columns.filter((c) => present.has(c))) {
        const target = `UPDATE ${quoteId(table)} SET ${quoteId(column)}`;
        const where = `WHERE ${quoteId(column)} IS NOT NULL`;
        const attempts = [
          () => db.run(`${target} = ? ${where}`, [REDACTED]),
          () => db.run(`${target} = ? || hex(randomblob(12)) ${where}`, [REDACTED + UNIQUE_TAIL]),
          // A STRICT table may refuse text in a BLOB column.
          () => db.run(`${target} = NULL`),
        ];
        if (!attempts.some(succeeds)) {
          db.run(`DELETE FROM ${quoteId(table)}`);
          notices.push(`Secrets in ${table}.${column} could not be hidden, so the rows of ${table} are not shown.`);
        }
      }
    }
  } finally {
    db.run('PRAGMA ignore_check_constraints = 0');
  }
  return notices;
}

/** A text as the operator sees it: a uniquely redacted value is shown as the plain marker. */
export function shownValue(text: string): string {
  return text.startsWith(REDACTED + UNIQUE_TAIL) ? REDACTED : text;
}

function columnsOf(db: Database, table: string): string[] {
  const exists = selectAll(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).length > 0;
  return exists ? selectAll(db, `PRAGMA table_info(${quoteId(table)})`).map((row) => String(row[1])) : [];
}

function succeeds(attempt: () => unknown): boolean {
  try {
    attempt();
    return true;
  } catch {
    return false;
  }
}
