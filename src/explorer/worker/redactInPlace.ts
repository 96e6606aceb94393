import { columnTreatment, quoteIdentifier, REDACTED, redactJsonText, selectAll, type Database } from '../../core/hubdb';

/**
 * Joins the marker and a random tail where a UNIQUE rule (users.cookie_id, api_tokens.hashed) forbids
 * one value in every row. Output shows such values as the plain marker (`shownValue`).
 */
const UNIQUE_TAIL = '\u2060';
const JSON_FUNCTION = 'hubops_redact_json';

/**
 * Overwrites secrets in the worker's in-memory copy of the DB (the file is never written), deciding
 * what is secret with src/core/hubdb/secrets.ts: whole values of secret columns, secret-looking keys
 * inside JSON columns, and columns named like secrets in any other table.
 *
 * Redacting the data itself, rather than result rows, means no alias, expression, view, sort or
 * filter can reach a secret: `SELECT hashed AS h`, `substr(secret, 1)`, `ORDER BY hashed` and
 * `WHERE hashed LIKE 'sha512:1:a%'` all see the marker. Fails closed: a table whose secrets cannot be
 * overwritten is emptied, and the returned notice says so.
 */
export function redactInPlace(db: Database): string[] {
  const notices: string[] = [];
  // A hostile file's triggers could veto the UPDATE (RAISE) and keep a secret visible.
  for (const [trigger] of selectAll(db, "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    db.run(`DROP TRIGGER IF EXISTS ${quoteIdentifier(String(trigger))}`);
  db.create_function(JSON_FUNCTION, (value: unknown) =>
    typeof value === 'string' ? redactJsonText(value) : value instanceof Uint8Array ? REDACTED : value,
  );
  db.run('PRAGMA ignore_check_constraints = 1');
  try {
    const tables = selectAll(
      db,
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    );
    for (const [rawTable] of tables) {
      const table = String(rawTable);
      for (const [, rawColumn] of selectAll(db, `PRAGMA table_info(${quoteIdentifier(table)})`)) {
        const column = String(rawColumn);
        const treatment = columnTreatment(table, column);
        if (treatment === 'keep') continue;
        const target = `UPDATE ${quoteIdentifier(table)} SET ${quoteIdentifier(column)}`;
        const where = `WHERE ${quoteIdentifier(column)} IS NOT NULL`;
        const attempts =
          treatment === 'json'
            ? [() => db.run(`${target} = ${JSON_FUNCTION}(${quoteIdentifier(column)}) ${where}`)]
            : [
                () => db.run(`${target} = ? ${where}`, [REDACTED]),
                () => db.run(`${target} = ? || hex(randomblob(12)) ${where}`, [REDACTED + UNIQUE_TAIL]),
              ];
        // A STRICT table may refuse text in a BLOB column: NULL still hides the secret.
        attempts.push(() => db.run(`${target} = NULL`));
        if (!attempts.some(succeeds)) {
          db.run(`DELETE FROM ${quoteIdentifier(table)}`);
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

function succeeds(attempt: () => unknown): boolean {
  try {
    attempt();
    return true;
  } catch {
    return false;
  }
}
