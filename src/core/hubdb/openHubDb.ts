import { closeSync, fstatSync, openSync, promises as fs, readSync, statSync } from 'node:fs';
import { err, messageOf, ok, type Result, UserError } from '../result';
import { classifyHubSchema, type HubSchemaInfo } from './hubSchema';
import { loadSqlJs, type Database, type SqlJsStatic } from './sqlJs';
import { selectAll, type ReadableDb } from './sqlRows';
import { nodeSqlite, openNativeReadOnly } from './nativeSqlite';
import { readSqliteHeader, type HeaderProblem, type SqliteHeader } from './sqliteHeader';
import { applyWal } from './walFrames';

/**
 * An open, read-only view of a hub DB snapshot. The file it came from is never written. `db` is sql.js's
 * Database unless the snapshot was opened from its file with Node's own SQLite (`openHubDbFile`).
 */
export interface OpenedDb<D extends ReadableDb = Database> {
  db: D;
  schema: HubSchemaInfo;
  /** Size of the file as read (before any WAL was applied). */
  fileBytes: number;
  /** What the operator should know about how the file was read (WAL applied, checks skipped, …). */
  notes: string[];
  close(): void;
}

export interface OpenHubDbOptions {
  /** The `-wal` file that sat beside the DB, if any: its committed transactions are applied. */
  walBytes?: Uint8Array;
  /** Skip SQLite's page check on files bigger than this (it reads every page); default 256 MiB. */
  quickCheckMaxBytes?: number;
}

/** Stable codes for what can go wrong when opening a file. */
export type OpenErrorCode =
  'empty' | 'truncated' | 'not-sqlite' | 'bad-header' | 'corrupt' | 'wal-unusable' | 'unreadable';

const fail = (code: OpenErrorCode, message: string, cause?: unknown) =>
  err(new UserError(message, `hubdb.${code}`, cause === undefined ? undefined : { cause }));

function headerError(problem: HeaderProblem): Result<never, UserError> {
  switch (problem.kind) {
    case 'empty':
      return fail(
        'empty',
        'The file is empty (0 bytes). A copy taken before the hub wrote anything, or a failed `kubectl cp`, looks like this: copy it again.',
      );
    case 'truncated-header':
      return fail(
        'truncated',
        `The file is truncated: ${problem.bytes} bytes, less than a SQLite header (100 bytes). Copy it again (kubectl cp can stop early).`,
      );
    case 'not-sqlite':
      return fail(
        'not-sqlite',
        problem.looksLike
          ? `This is not a SQLite database: it looks like ${problem.looksLike}.`
          : 'This is not a SQLite database: its first bytes are not "SQLite format 3". It may be encrypted (SQLCipher), damaged, or another kind of file.',
      );
    case 'bad-header':
      return fail(
        'bad-header',
        `The SQLite header is damaged (${problem.detail}): the file cannot be read as a database.`,
      );
  }
}

/**
 * Opens the bytes of a hub DB file with sql.js (in memory: the file on disk is never touched) and says
 * what kind of schema it holds. Every failure is a `UserError` with a code (`hubdb.empty`, …) and a
 * sentence for the operator; a file that is SQLite but not a hub DB opens fine with `schema.kind`
 * 'not-hub', so the explorer can still browse it.
 */
export async function openHubDb(
  bytes: Uint8Array,
  options: OpenHubDbOptions & { wasmPath?: string } = {},
): Promise<Result<OpenedDb, UserError>> {
  let SQL: SqlJsStatic;
  try {
    SQL = await loadSqlJs(options.wasmPath === undefined ? {} : { wasmPath: options.wasmPath });
  } catch (error) {
    return err(
      new UserError(`Cannot load the SQLite engine (sql.js): ${messageOf(error)}`, 'hubdb.engine', { cause: error }),
    );
  }
  return openHubDbWith(SQL, bytes, options);
}

/** `openHubDb` with an already loaded sql.js (synchronous; for workers that keep one engine). */
export function openHubDbWith(
  SQL: SqlJsStatic,
  bytes: Uint8Array,
  options: OpenHubDbOptions = {},
): Result<OpenedDb, UserError> {
  const checked = checkFile(bytes, bytes.length);
  if (!checked.ok) return checked;
  const { pageSize, writeVersion } = checked.value;
  const notes: string[] = [];

  // sql.js copies the bytes it is given; a second copy is made only when the header must be patched or
  // the WAL applied (the caller's bytes are never changed). A 300 MB snapshot then costs 300 MB less.
  let image: Uint8Array = bytes;
  if (options.walBytes && options.walBytes.length > 0) {
    const applied = applyWal(image, options.walBytes, pageSize);
    if (!applied.ok)
      return fail(
        'wal-unusable',
        `The -wal file beside the database cannot be used (${walProblemText(applied.problem)}). Without it the snapshot may miss the hub's latest changes: take the snapshot with sqlite3 ".backup" inside the hub pod instead.`,
      );
    image = applied.value.bytes;
    notes.push(
      applied.value.commits > 0
        ? `Applied ${applied.value.commits} committed transaction(s) (${applied.value.frames} pages) from the -wal file.`
        : 'The -wal file held no committed transactions for this database: nothing to apply.',
    );
    if (applied.value.ignoredFrames > 0)
      notes.push(`Ignored ${applied.value.ignoredFrames} -wal page(s) after the last commit (an unfinished write).`);
  } else if (writeVersion === 2) {
    notes.push(WAL_WITHOUT_LOG);
  }
  // sql.js reads a WAL-mode file without its log; marking it rollback-mode keeps SQLite from looking for one.
  if (image[18] !== 1 || image[19] !== 1) {
    if (image === bytes) image = bytes.slice();
    image[18] = 1;
    image[19] = 1;
  }

  let db: Database | undefined;
  try {
    db = new SQL.Database(image);
    return finishOpen(db, image.length, notes, bytes.length, options);
  } catch (error) {
    closeQuietly(db);
    return unreadable(error);
  }
}

export interface OpenHubDbFileOptions extends OpenHubDbOptions {
  /** Where sql.js's wasm is, for the bundled CLI (see sqlJs.ts). */
  wasmPath?: string;
  /** 'sql.js' reads the file into memory even where Node's own SQLite could read it in place. */
  engine?: 'auto' | 'sql.js';
}

/**
 * Opens a hub DB file on disk. When there is no -wal to apply and this Node has `node:sqlite`, the file is
 * read in place, read-only (nativeSqlite.ts): a 300 MB snapshot is then never copied into memory.
 * Otherwise its bytes are read and opened with sql.js, as `openHubDb` does. Same checks, notes and errors
 * either way.
 */
export async function openHubDbFile(
  path: string,
  options: OpenHubDbFileOptions = {},
): Promise<Result<OpenedDb<ReadableDb>, UserError>> {
  const withWal = options.walBytes !== undefined && options.walBytes.length > 0;
  let regularFile = false;
  try {
    regularFile = statSync(path).isFile();
  } catch {
    // Reading it says why (below).
  }
  // A pipe or a device (hubops analyze /dev/stdin) is read through, as are files with a -wal to apply.
  if (withWal || !regularFile || options.engine === 'sql.js' || !nodeSqlite()) {
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(path);
    } catch (error) {
      return fail('unreadable', `Cannot read the file: ${messageOf(error)}`, error);
    }
    return openHubDb(bytes, options);
  }

  // The header and the size are all the checks need before SQLite reads the file.
  let head: Uint8Array;
  let size: number;
  // (Synchronous: a few kilobytes, and node:fs/promises would cost more to load than the read.)
  try {
    const fd = openSync(path, 'r');
    try {
      size = fstatSync(fd).size;
      head = new Uint8Array(Math.min(size, 4096));
      readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return fail('unreadable', `Cannot read the file: ${messageOf(error)}`, error);
  }
  const checked = checkFile(head, size);
  if (!checked.ok) return checked;
  const notes = checked.value.writeVersion === 2 ? [WAL_WITHOUT_LOG] : [];

  let db: ReadableDb | undefined;
  try {
    db = openNativeReadOnly(path);
    return finishOpen(db, size, notes, size, options);
  } catch (error) {
    closeQuietly(db);
    return unreadable(error);
  }
}

const WAL_WITHOUT_LOG =
  'The file is in WAL mode and was read without its -wal file: if one existed beside it, the hub\'s latest changes are missing. For a complete snapshot run `sqlite3 jupyterhub.sqlite ".backup /tmp/hub-snapshot.sqlite"` in the hub pod, or copy the -wal file too.';

/** The header and size checks, on the file's first bytes (at least its 100-byte header) and its size. */
function checkFile(head: Uint8Array, size: number): Result<SqliteHeader, UserError> {
  const header = readSqliteHeader(head);
  if (!header.ok) return headerError(header.problem);
  const { pageSize, expectedBytes } = header.header;
  if (size % pageSize !== 0 || (expectedBytes !== null && size < expectedBytes))
    return fail(
      'truncated',
      `The file is truncated: ${size} bytes, ${
        expectedBytes !== null
          ? `but its header promises ${expectedBytes}`
          : `not a whole number of ${pageSize}-byte pages`
      }. Copy it again (kubectl cp can stop early), or take the snapshot with sqlite3 ".backup".`,
    );
  return ok(header.header);
}

/** The read-only guard, SQLite's page check (on files up to the limit) and the schema; throws SQLite's errors. */
function finishOpen<D extends ReadableDb>(
  db: D,
  imageBytes: number,
  notes: string[],
  fileBytes: number,
  options: OpenHubDbOptions,
): Result<OpenedDb<D>, UserError> {
  // Ad-hoc SQL in the explorer must not change even the in-memory copy.
  db.run('PRAGMA query_only = 1');
  selectAll(db, 'SELECT count(*) FROM sqlite_master');
  const limit = options.quickCheckMaxBytes ?? 256 * 1024 * 1024;
  if (imageBytes <= limit) {
    const check = selectAll(db, 'PRAGMA quick_check(1)');
    const verdict = String(check[0]?.[0] ?? '');
    if (verdict !== 'ok') {
      db.close();
      return fail('corrupt', `SQLite reports the file as damaged: ${verdict.slice(0, 300)}. Take a fresh snapshot.`);
    }
  } else {
    notes.push(`The file is larger than ${Math.round(limit / 1048576)} MiB: the page check was skipped.`);
  }
  const schema = classifyHubSchema(db);
  return ok({ db, schema, fileBytes, notes, close: () => db.close() });
}

function closeQuietly(db: ReadableDb | undefined): void {
  try {
    db?.close();
  } catch {
    // Closing a database SQLite already gave up on can throw too; the first error is the one to report.
  }
}

function unreadable(error: unknown): Result<never, UserError> {
  const detail = messageOf(error).slice(0, 300);
  const encrypted = /not a database|file is encrypted/i.test(detail);
  return fail(
    'corrupt',
    encrypted
      ? `SQLite cannot read the file's pages (${detail}): it has a SQLite header but its contents are encrypted or garbage.`
      : `SQLite cannot read the file (${detail}): it is damaged. Take a fresh snapshot.`,
    error,
  );
}

function walProblemText(problem: string): string {
  switch (problem) {
    case 'too-short':
      return 'it is shorter than a WAL header';
    case 'bad-magic':
      return 'it is not a SQLite write-ahead log';
    case 'page-size-mismatch':
      return "its page size differs from the database's";
    default:
      return 'its header checksum is wrong';
  }
}
