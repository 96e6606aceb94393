import { iterateRows, quoteIdentifier, selectAll, type Database } from '../../core/hubdb';
import { columnTreatment, mayHoldSecret, REDACTED, redactText } from '../../core/secrets';

/**
 * Joins a redacted value and a random tail where a UNIQUE rule (users.cookie_id, api_tokens.hashed)
 * forbids one value in every row. Output shows such values without the tail (`shownValue`).
 */
const UNIQUE_TAIL = '\u2060';
const UNIQUE_TAIL_PATTERN = /\u2060[0-9A-F]*/g;
const CELL_FUNCTION = 'hubops_redact_cell';

/**
 * Overwrites secrets in the worker's in-memory copy of the DB (the file is never written), deciding
 * what is secret with the core's one detector (src/core/secrets): whole values of secret columns and of
 * columns named like secrets, and the secrets found inside every other text (JSON keys and values,
 * command lines, URLs, token formats) and inside blobs that hold text.
 *
 * Redacting the data itself, rather than result rows, means no alias, expression, view, sort or
 * filter can reach a secret: `SELECT hashed AS h`, `substr(secret, 1)`, `ORDER BY hashed` and
 * `WHERE hashed LIKE 'sha512:1:a%'` all see the marker. Fails closed: a table whose secrets cannot be
 * overwritten is emptied, and the returned notice says so.
 *
 * The copy is scrubbed, not only edited: `secure_delete` zeroes what the updates free, and a final
 * VACUUM rewrites the file, so neither the old values nor what the hub itself had deleted (free pages,
 * freed cells) survive anywhere in the bytes.
 */
export function redactInPlace(db: Database): string[] {
  const notices: string[] = [];
  db.run('PRAGMA secure_delete = ON');
  // A hostile file's triggers could veto the UPDATE (RAISE) and keep a secret visible.
  for (const [trigger] of selectAll(db, "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    db.run(`DROP TRIGGER IF EXISTS ${quoteIdentifier(String(trigger))}`);
  db.create_function(CELL_FUNCTION, redactCell);
  db.run('PRAGMA ignore_check_constraints = 1');
  try {
    const tables = selectAll(
      db,
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    );
    for (const [rawTable] of tables) {
      const table = String(rawTable);
      const columns = selectAll(db, `PRAGMA table_info(${quoteIdentifier(table)})`).map(([, name]) => String(name));
      const whole = columns.filter((c) => columnTreatment(table, c) === 'redact');
      const scanned = columns.filter((c) => !whole.includes(c));
      if (scanned.length > 0 && !redactScanned(db, table, scanned, columns))
        notices.push(...hideTable(db, table, scanned[0]!));
      for (const column of whole) if (!redactColumn(db, table, column)) notices.push(...hideTable(db, table, column));
    }
  } finally {
    db.run('PRAGMA ignore_check_constraints = 0');
  }
  // ANALYZE's samples (sqlite_stat4) copy index keys, secret columns' included.
  for (const [stat] of selectAll(
    db,
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'sqlite\\_stat%' ESCAPE '\\'",
  ))
    succeeds(() => db.run(`DELETE FROM ${quoteIdentifier(String(stat))}`));
  db.run('VACUUM');
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
 * Hides the secrets inside the other columns' texts and blobs. Most values have none (pod names,
 * dates, KubeSpawner state), so the values are read once in this thread and only changed rows are
 * written: calling back into JavaScript from an UPDATE for every row is twenty times slower.
 */
function redactScanned(db: Database, table: string, columns: string[], all: string[]): boolean {
  const id = quoteIdentifier(table);
  const viaSqlite = () =>
    columns.every((column) =>
      [
        () => db.run(`UPDATE ${id} SET ${quoteIdentifier(column)} = ${CELL_FUNCTION}(${quoteIdentifier(column)})`),
        () => db.run(`UPDATE ${id} SET ${quoteIdentifier(column)} = NULL`),
      ].some(succeeds),
    );
  // A table with columns shadowing every rowid name, or WITHOUT ROWID, cannot address rows by rowid.
  const rowid = ['rowid', '_rowid_', 'oid'].find((name) => !all.some((c) => c.toLowerCase() === name));
  if (!rowid) return viaSqlite();
  const changes: { rowid: number; column: number; value: unknown }[] = [];
  try {
    // Each row's texts cross into JavaScript once, joined by line breaks (no secret pattern spans one):
    // only the rows that may hold a secret are read column by column. Numbers cannot hold a secret.
    const texts = columns.map(
      (c) => `CASE WHEN typeof(${quoteIdentifier(c)}) IN ('text', 'blob') THEN ${quoteIdentifier(c)} END`,
    );
    const joined = texts.map((t) => `coalesce(CAST(${t} AS TEXT), '')`).join(' || char(10) || ');
    const suspects: number[] = [];
    for (const [key, text] of iterateRows(db, `SELECT ${rowid}, ${joined} FROM ${id}`))
      if (typeof text === 'string' && mayHoldSecret(text)) suspects.push(Number(key));
    const read = db.prepare(`SELECT ${texts.join(', ')} FROM ${id} WHERE ${rowid} = ?`);
    try {
      for (const key of suspects) {
        read.bind([key]);
        const values = read.step() ? read.get() : [];
        read.reset();
        values.forEach((value, column) => {
          const shown = redactCell(value);
          if (shown !== value) changes.push({ rowid: key, column, value: shown });
        });
      }
    } finally {
      read.free();
    }
  } catch {
    return viaSqlite();
  }
  const updates = columns.map((c) => db.prepare(`UPDATE ${id} SET ${quoteIdentifier(c)} = ? WHERE ${rowid} = ?`));
  try {
    // Each change must land on exactly one row (with a unique tail if a UNIQUE rule needs one);
    // anything else hides the table (fail closed).
    return changes.every(({ rowid: key, column, value }) => {
      const update = updates[column]!;
      const attempt = (v: unknown) => succeeds(() => update.run([v as string, key])) && db.getRowsModified() === 1;
      return (
        attempt(value) ||
        (typeof value === 'string' && attempt(value + UNIQUE_TAIL + randomHex())) ||
        // A STRICT BLOB column refuses the marker: NULL still hides the secret.
        attempt(null)
      );
    });
  } finally {
    for (const update of updates) update.free();
  }
}

/** One value as the explorer shows it: texts through the detector, blobs holding a secret hidden whole. */
export function redactCell(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Uint8Array) {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(value);
    return redactText(text) === text ? value : REDACTED;
  }
  return value;
}

/** The fail-closed end: a table whose secrets could not be overwritten loses its rows in this copy. */
function hideTable(db: Database, table: string, column: string): string[] {
  db.run(`DELETE FROM ${quoteIdentifier(table)}`);
  return [`Secrets in ${table}.${column} could not be hidden, so the rows of ${table} are not shown.`];
}

/** A text as the operator sees it: the unique tails of redacted values are not shown. */
export function shownValue(text: string): string {
  return text.includes(UNIQUE_TAIL) ? text.replace(UNIQUE_TAIL_PATTERN, '') : text;
}

function randomHex(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

function succeeds(attempt: () => unknown): boolean {
  try {
    attempt();
    return true;
  } catch {
    return false;
  }
}
