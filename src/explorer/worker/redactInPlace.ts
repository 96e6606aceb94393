import {
  columnTreatment,
  iterateRows,
  quoteIdentifier,
  REDACTED,
  redactJsonText,
  selectAll,
  type Database,
} from '../../core/hubdb';

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
  db.create_function(JSON_FUNCTION, redactJsonValue);
  db.run('PRAGMA ignore_check_constraints = 1');
  try {
    const tables = selectAll(
      db,
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    );
    for (const [rawTable] of tables) {
      const table = String(rawTable);
      const columns = selectAll(db, `PRAGMA table_info(${quoteIdentifier(table)})`).map(([, name]) => String(name));
      const json = columns.filter((c) => columnTreatment(table, c) === 'json');
      if (json.length > 0 && !redactJsonColumns(db, table, json, columns))
        notices.push(...hideTable(db, table, json[0]!));
      for (const column of columns.filter((c) => columnTreatment(table, c) === 'redact'))
        if (!redactColumn(db, table, column)) notices.push(...hideTable(db, table, column));
    }
  } finally {
    db.run('PRAGMA ignore_check_constraints = 0');
  }
  return notices;
}

/** Replaces every value of a secret column: one marker, or unique markers where a UNIQUE rule needs them. */
function redactColumn(db: Database, table: string, column: string): boolean {
  const target = `UPDATE ${quoteIdentifier(table)} SET ${quoteIdentifier(column)}`;
  const where = `WHERE ${quoteIdentifier(column)} IS NOT NULL`;
  return [
    () => db.run(`${target} = ? ${where}`, [REDACTED]),
    () => db.run(`${target} = ? || hex(randomblob(12)) ${where}`, [REDACTED + UNIQUE_TAIL]),
    // A STRICT table may refuse text in a BLOB column: NULL still hides the secret.
    () => db.run(`${target} = NULL`),
  ].some(succeeds);
}

/**
 * Hides secret-looking keys inside JSON columns. Most values have none (KubeSpawner's state is pod
 * name, namespace, DNS name), so the values are read once in this thread and only changed rows are
 * written: a million spawners take about a second, where an UPDATE calling back into JavaScript for
 * every row took twenty.
 */
function redactJsonColumns(db: Database, table: string, columns: string[], all: string[]): boolean {
  const id = quoteIdentifier(table);
  const viaSqlite = () =>
    columns.every((column) =>
      [
        () => db.run(`UPDATE ${id} SET ${quoteIdentifier(column)} = ${JSON_FUNCTION}(${quoteIdentifier(column)})`),
        () => db.run(`UPDATE ${id} SET ${quoteIdentifier(column)} = NULL`),
      ].some(succeeds),
    );
  // A table with columns shadowing every rowid name, or WITHOUT ROWID, cannot address rows by rowid.
  const rowid = ['rowid', '_rowid_', 'oid'].find((name) => !all.some((c) => c.toLowerCase() === name));
  if (!rowid) return viaSqlite();
  const changes: { rowid: number; column: number; value: unknown }[] = [];
  try {
    const list = columns.map(quoteIdentifier).join(', ');
    for (const [key, ...values] of iterateRows(db, `SELECT ${rowid}, ${list} FROM ${id}`))
      values.forEach((value, column) => {
        const shown = redactJsonValue(value);
        if (shown !== value) changes.push({ rowid: Number(key), column, value: shown });
      });
  } catch {
    return viaSqlite();
  }
  const updates = columns.map((c) => db.prepare(`UPDATE ${id} SET ${quoteIdentifier(c)} = ? WHERE ${rowid} = ?`));
  try {
    // Each change must land on exactly one row; anything else hides the table (fail closed).
    return changes.every(({ rowid: key, column, value }) => {
      const done = succeeds(() => updates[column]!.run([value as string, key]));
      return done && db.getRowsModified() === 1;
    });
  } finally {
    for (const update of updates) update.free();
  }
}

export function redactJsonValue(value: unknown): unknown {
  if (typeof value === 'string') return mayHideSomething(value) ? redactJsonText(value) : value;
  return value instanceof Uint8Array ? REDACTED : value;
}

/**
 * A quick "nothing here can be secret" before parsing: redactJsonText hides keys (and non-JSON texts)
 * that match the core's secret-name pattern, and a key appears verbatim in the text unless escaped.
 * columnTreatment(null, text) applies that same pattern to the whole text. A backslash means an
 * escape could hide a key's name, so such texts are always parsed.
 */
function mayHideSomething(text: string): boolean {
  return text.includes('\\') || columnTreatment(null, text) !== 'keep';
}

/** The fail-closed end: a table whose secrets could not be overwritten loses its rows in this copy. */
function hideTable(db: Database, table: string, column: string): string[] {
  db.run(`DELETE FROM ${quoteIdentifier(table)}`);
  return [`Secrets in ${table}.${column} could not be hidden, so the rows of ${table} are not shown.`];
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
