import { err, messageOf, ok, type Result, UserError } from '../result';
import { classifyHubSchema, type HubSchemaInfo } from './hubSchema';
import { loadSqlJs, type Database, type SqlJsStatic } from './sqlJs';
import { selectAll } from './sqlRows';
import { readSqliteHeader, type HeaderProblem } from './sqliteHeader';
import { applyWal } from './walFrames';

/** An open, read-only view of a hub DB snapshot. The file it came from is never written. */
export interface OpenedDb {
  db: Database;
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
export type OpenErrorCode = 'empty' | 'truncated' | 'not-sqlite' | 'bad-header' | 'corrupt' | 'wal-unusable';

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
  const header = readSqliteHeader(bytes);
  if (!header.ok) return headerError(header.problem);
  const { pageSize, expectedBytes, writeVersion } = header.header;
  const notes: string[] = [];

  if (bytes.length % pageSize !== 0 || (expectedBytes !== null && bytes.length < expectedBytes))
    return fail(
      'truncated',
      `The file is truncated: ${bytes.length} bytes, ${
        expectedBytes !== null
          ? `but its header promises ${expectedBytes}`
          : `not a whole number of ${pageSize}-byte pages`
      }. Copy it again (kubectl cp can stop early), or take the snapshot with sqlite3 ".backup".`,
    );

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
    notes.push(
      'The file is in WAL mode and was read without its -wal file: if one existed beside it, the hub\'s latest changes are missing. For a complete snapshot run `sqlite3 jupyterhub.sqlite ".backup /tmp/hub-snapshot.sqlite"` in the hub pod, or copy the -wal file too.',
    );
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
    // Ad-hoc SQL in the explorer must not change even the in-memory copy.
    db.run('PRAGMA query_only = 1');
    selectAll(db, 'SELECT count(*) FROM sqlite_master');
    const limit = options.quickCheckMaxBytes ?? 256 * 1024 * 1024;
    if (image.length <= limit) {
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
    const opened = db;
    return ok({ db: opened, schema, fileBytes: bytes.length, notes, close: () => opened.close() });
  } catch (error) {
    try {
      db?.close();
    } catch {
      // Closing a database SQLite already gave up on can throw too; the first error is the one to report.
    }
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
