/**
 * The one place the explorer's worker reaches for hub-DB knowledge (loading sql.js, telling a hub DB
 * from a foreign or broken file, which columns hold secrets, export formats, the start-up analysis).
 *
 * TEMPORARY: src/core/hubdb (built in parallel) owns this knowledge. Until it lands, these are thin
 * stand-ins with the same shape; each is replaced by a re-export from src/core/hubdb when it exists, and
 * nothing else in the explorer may grow hub-DB rules of its own.
 */
import { readFileSync } from 'node:fs';
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue } from 'sql.js';
import type { ErrorInfo, HubSchema } from '../../protocol/explorerProtocol';
import type { Result } from '../../core/result';

export type { Database, SqlJsStatic, SqlValue };

/** sql.js with its wasm read from a known file (the bundle ships it as dist/sql-wasm.wasm). */
export async function loadSqlJs(wasmPath: string): Promise<SqlJsStatic> {
  const wasm = readFileSync(wasmPath);
  return initSqlJs({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) });
}

const SQLITE_HEADER = 'SQLite format 3\0';

/** Opens the bytes of a DB file, or says in the operator's words why they are not a usable SQLite DB. */
export function openDbBytes(SQL: SqlJsStatic, bytes: Uint8Array): Result<Database, ErrorInfo> {
  if (bytes.length === 0)
    return fail(
      'empty',
      'The file is empty (0 bytes). A copy taken before the hub wrote anything, or a failed download, looks like this.',
    );
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, 16));
  if (bytes.length < 100 || header !== SQLITE_HEADER) {
    if (SQLITE_HEADER.startsWith(header.slice(0, bytes.length)) && bytes.length < 100)
      return fail('truncated', `The file is truncated: ${bytes.length} bytes, less than a SQLite header.`);
    return fail('not-sqlite', 'This is not a SQLite database (its first bytes are not "SQLite format 3").');
  }
  const pageSizeField = (bytes[16]! << 8) | bytes[17]!;
  const pageSize = pageSizeField === 1 ? 65536 : pageSizeField;
  const pageCount = ((bytes[28]! << 24) | (bytes[29]! << 16) | (bytes[30]! << 8) | bytes[31]!) >>> 0;
  if (pageCount > 0 && pageSize * pageCount > bytes.length)
    return fail(
      'truncated',
      `The file is truncated: its header promises ${pageCount} pages of ${pageSize} bytes (${pageSize * pageCount} bytes) but it holds ${bytes.length}. Copy it again (kubectl cp can stop early).`,
    );
  let db: Database | undefined;
  try {
    db = new SQL.Database(bytes);
    const check = db.exec('PRAGMA quick_check(1)');
    const verdict = String(check[0]?.values[0]?.[0] ?? '');
    if (verdict !== 'ok') {
      db.close();
      return fail('corrupt', `SQLite reports the file as damaged: ${verdict.slice(0, 300)}`);
    }
    return { ok: true, value: db };
  } catch (error) {
    db?.close();
    return fail('corrupt', `SQLite cannot read the file: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const fail = (code: string, message: string): Result<never, ErrorInfo> => ({ ok: false, error: { code, message } });

const HEADS: Record<string, string> = {
  '4621fec11365': '5.0–5.5',
  f460b0348206: '6.0 (beta)',
  '0eee8c825d24': '4.x',
  '651f5419b74d': '3.x',
  '833da8570507': '2.x',
};

/** Which JupyterHub schema the DB carries, from its tables and alembic revision. */
export function classifyHubDb(db: Database): HubSchema {
  const tables = new Set(
    db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values.map((r) => String(r[0])),
  );
  const hubTables = ['users', 'spawners', 'servers', 'alembic_version'];
  if (!hubTables.every((t) => tables.has(t)))
    return {
      kind: 'foreign',
      revision: null,
      versions: '',
      summary:
        'This is not a JupyterHub database (no users, spawners, servers and alembic_version tables): the explorer works, the hub analysis is off.',
    };
  const revision = String(db.exec('SELECT version_num FROM alembic_version LIMIT 1')[0]?.values[0]?.[0] ?? '');
  const versions = HEADS[revision];
  if (!versions)
    return {
      kind: 'unknown-revision',
      revision,
      versions: '',
      summary: `The alembic revision '${revision}' is not one this extension knows: a newer or modified JupyterHub schema. The analysis uses what the tables allow.`,
    };
  return { kind: 'hub', revision, versions, summary: `JupyterHub ${versions} schema (alembic ${revision}).` };
}

/** Columns whose values are secrets, by table. */
export const secretColumns: Readonly<Record<string, readonly string[]>> = {
  api_tokens: ['hashed'],
  oauth_clients: ['secret'],
  oauth_codes: ['code'],
  users: ['encrypted_auth_state', 'cookie_id'],
  share_codes: ['hashed'],
};

/** Export formats: a header, one piece per row, a footer; the caller streams the pieces to a file. */
export interface RowFormat {
  header(columns: string[]): string;
  row(values: SqlValue[], index: number): string;
  footer(): string;
}

const csvField = (value: SqlValue): string => {
  if (value === null) return '';
  const text = value instanceof Uint8Array ? `\\x${Buffer.from(value).toString('hex')}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function rowFormat(format: 'csv' | 'json', columns: string[]): RowFormat {
  if (format === 'csv')
    return {
      header: () => columns.map(csvField).join(',') + '\r\n',
      row: (values) => values.map(csvField).join(',') + '\r\n',
      footer: () => '',
    };
  const jsonValue = (v: SqlValue) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v);
  return {
    header: () => '[',
    row: (values, index) =>
      (index === 0 ? '\n' : ',\n') +
      JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, jsonValue(values[i]!)]))),
    footer: () => '\n]\n',
  };
}

/** EXPLAIN QUERY PLAN rows for one statement. */
export function explainQueryPlan(db: Database, sql: string): { id: number; parent: number; detail: string }[] {
  const rows = db.exec(`EXPLAIN QUERY PLAN ${sql}`)[0]?.values ?? [];
  return rows.map((r) => ({ id: Number(r[0]), parent: Number(r[1]), detail: String(r[3]) }));
}
