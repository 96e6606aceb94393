/**
 * The hub DB explorer's messages between the extension host and its webview: the one module both sides
 * import. Every message is declared once as a runtime schema; its TypeScript type is inferred from that
 * schema, so what the compiler checks and what the receiver validates cannot drift apart.
 *
 * A webview is a page that shows names out of a database someone else wrote: both sides validate every
 * message they receive (`parseToHost`, `parseToWebview`) and drop what does not match, with the reason.
 */

import {
  arr,
  bool,
  int,
  lit,
  messages,
  nullable,
  num,
  obj,
  opt,
  pageProtocol,
  parseWith,
  schema,
  text,
  type Infer,
  type Parsed,
  type Schema,
} from './schema';
import { isRecord } from '../shared/guards';

export type { Infer, Parsed, Schema } from './schema';

/** Longest text any message may carry; bigger payloads are a bug or an attack, not data. */
export const MAX_TEXT = 8 * 1024 * 1024;
const str = (maxLength = MAX_TEXT) => text(maxLength);

// ---------------------------------------------------------------------------------------------------
// Shared pieces

const requestId = int(1);
const resultId = int(1);
const sqlText = str(1_000_000);
const name = str(10_000);

/** How many rows one page may carry: the grid asks for a screenful plus some, never the whole result. */
export const MAX_PAGE_ROWS = 1000;
/** Text cells longer than this travel as a preview; "Copy cell" fetches the whole value. */
export const CELL_PREVIEW_CHARS = 2000;

/**
 * One cell: SQLite's NULL, a number (integers beyond 2^53 travel as text), text, a long text cut to a
 * preview, or a blob described by its size and first bytes.
 */
const cell: Schema<Cell> = schema((v, p) => {
  if (v === null || typeof v === 'string')
    return typeof v === 'string' && v.length > CELL_PREVIEW_CHARS ? `${p} is too long` : undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${p} is not finite`;
  if (isRecord(v) && v.kind === 'blob') return blobCell.check(v, p);
  if (isRecord(v) && v.kind === 'longText') return longTextCell.check(v, p);
  return `${p} is not a cell`;
});
const blobCell = obj({ kind: lit('blob'), bytes: int(), hexPrefix: str(256) });
const longTextCell = obj({ kind: lit('longText'), preview: str(CELL_PREVIEW_CHARS), length: int() });
export type BlobCell = Infer<typeof blobCell>;
export type LongTextCell = Infer<typeof longTextCell>;
export type Cell = null | number | string | BlobCell | LongTextCell;

/** What the operator sees for a secret the explorer hid: the core's one marker (a leaf module). */
export { REDACTED } from '../core/secrets/marker';

const errorInfo = obj({
  /** Stable code: 'cancelled', 'sql', 'read-only', 'unknown-result', 'worker-crashed', 'export', … */
  code: str(64),
  message: str(10_000),
});
export type ErrorInfo = Infer<typeof errorInfo>;

const columnInfo = obj({
  name,
  type: str(1000),
  notNull: bool,
  primaryKey: bool,
  defaultValue: nullable(str(10_000)),
  /** How the explorer shows it: as is, hidden ('redact'), or JSON with its secret-looking keys hidden. */
  treatment: lit('keep', 'redact', 'json'),
});
const indexInfo = obj({ name, unique: bool, columns: arr(name, 1000) });
const tableInfo = obj({
  name,
  kind: lit('table', 'view'),
  /** null when counting failed (a broken view, a corrupt page): the reason is in `problem`. */
  rowCount: nullable(int()),
  columns: arr(columnInfo, 2000),
  indexes: arr(indexInfo, 1000),
  problem: opt(str(10_000)),
});
export type ColumnInfo = Infer<typeof columnInfo>;
export type IndexInfo = Infer<typeof indexInfo>;
export type TableInfo = Infer<typeof tableInfo>;

/** What the explorer knows about the file's origin: a JupyterHub DB, which schema, or why not. */
const hubSchema = obj({
  kind: lit('hub', 'unknown-revision', 'foreign'),
  /** The alembic revision in the file, if any. */
  revision: nullable(str(200)),
  /** The JupyterHub versions that revision belongs to, e.g. '5.0–5.5'; '' when unknown. */
  versions: str(200),
  /** One sentence for the operator: what this means for the hub-specific panel. */
  summary: str(10_000),
});
export type HubSchema = Infer<typeof hubSchema>;

const fileInfo = obj({
  name: str(4096),
  bytes: int(),
  /** Size of a `-wal` file beside it: changes not yet in the main file. null when there is none. */
  walBytes: nullable(int()),
});
export type FileInfo = Infer<typeof fileInfo>;

/**
 * Where a file came from, when it is a snapshot of a known hub: the hub and the settings it ran with when
 * the snapshot was taken (null where none was detected). Only the analysis at these settings is evidence;
 * the page labels any other as a what-if (src/shared/whatIf.ts). null for any other file.
 */
const fileOrigin = obj({
  context: name,
  namespace: name,
  takenAt: str(100),
  jupyterhubVersion: nullable(str(100)),
  memoryLimitBytes: nullable(num),
});
export type FileOrigin = Infer<typeof fileOrigin>;

/** One row of SQLite's EXPLAIN QUERY PLAN, flat (the page nests them by `parent`). */
const planStep = obj({ id: int(), parent: int(), detail: str(10_000) });
export type PlanStep = Infer<typeof planStep>;

const resultInfo = obj({
  resultId,
  columns: arr(name, 2000),
  rowCount: int(),
  /** Which column the rows are ordered by (index into columns), when the operator sorted. */
  sort: nullable(obj({ column: int(), direction: lit('asc', 'desc') })),
  elapsedMs: num,
});
export type ResultInfo = Infer<typeof resultInfo>;

// The analysis panel's view model: the host fills it from the analyzer; the webview only renders it.
const verdictLevel = lit('fits', 'tight', 'oom', 'unknown');
export type VerdictLevel = Infer<typeof verdictLevel>;
const analysisVersionRow = obj({
  version: str(100),
  form: str(1000),
  mainRows: int(),
  totalRows: int(),
  statements: int(),
  predictedBytes: num,
  predictedSeconds: num,
  verdict: verdictLevel,
  /** The version the headline verdict is about. */
  selected: bool,
});
const analysisView = obj({
  verdict: obj({
    level: verdictLevel,
    headline: str(2000),
    /** Memory limit minus predicted peak, in bytes (negative: over the limit); null without a limit. */
    marginBytes: nullable(num),
    memoryLimitBytes: nullable(num),
    predictedBytes: nullable(num),
    version: str(100),
  }),
  versions: arr(analysisVersionRow, 100),
  offenders: arr(
    obj({ user: name, spawners: int(), running: int(), namedServers: int(), mainRows: int(), share: num }),
    1000,
  ),
  staleServers: arr(
    obj({ user: name, server: name, lastActivity: nullable(str(100)), idleDays: nullable(num) }),
    10_000,
  ),
  startupQueries: arr(obj({ version: str(100), label: str(1000), sql: str(100_000), plan: arr(planStep, 1000) }), 50),
  remediation: obj({
    upgrade: str(10_000),
    steps: arr(str(10_000), 100),
    namedServerLimit: obj({ text: str(10_000), yaml: str(100_000), python: str(100_000) }),
    cleanup: obj({ text: str(10_000), bash: str(1_000_000), python: str(1_000_000) }),
  }),
  health: arr(obj({ label: str(1000), value: str(10_000), severity: lit('ok', 'warning', 'error', 'info') }), 200),
  notes: arr(str(10_000), 200),
});
export type AnalysisView = Infer<typeof analysisView>;
export type AnalysisVersionRow = Infer<typeof analysisVersionRow>;

const analysisRequest = {
  /** The JupyterHub version the hub runs; omitted: every 5.x variant side by side. */
  jupyterhubVersion: opt(str(100)),
  memoryLimitBytes: opt(num),
};

/**
 * What the extension remembers of a file's explorer across window reloads: the tab, and the analysis last
 * run (null: none). A reloaded page that lost its own state starts from it.
 */
const savedView = obj({ tab: lit('data', 'analysis'), analysis: nullable(obj(analysisRequest)) });
export type SavedView = Infer<typeof savedView>;

// ---------------------------------------------------------------------------------------------------
// Webview → host

const toHostSchemas = {
  /** The page is listening: the host replies with `opened` or `openFailed`. */
  ready: obj({ type: lit('ready') }),
  runQuery: obj({ type: lit('runQuery'), requestId, sql: sqlText }),
  fetchRows: obj({ type: lit('fetchRows'), requestId, resultId, offset: int(), limit: int(1, MAX_PAGE_ROWS) }),
  /** The whole value of one cell (a long text or a blob as hex), for "Copy cell". */
  fetchCell: obj({ type: lit('fetchCell'), requestId, resultId, row: int(), column: int(0, 1999) }),
  sortResult: obj({
    type: lit('sortResult'),
    requestId,
    resultId,
    column: int(0, 1999),
    direction: lit('asc', 'desc', 'none'),
  }),
  explainQuery: obj({ type: lit('explainQuery'), requestId, sql: sqlText }),
  /** Stop whatever runs now: the host ends the worker and opens the DB again. */
  cancel: obj({ type: lit('cancel') }),
  exportResult: obj({ type: lit('exportResult'), requestId, resultId, format: lit('csv', 'json') }),
  copyText: obj({ type: lit('copyText'), text: str() }),
  /** Ask to show (after the operator confirms) or hide secrets for this editor. */
  setSecretsRevealed: obj({ type: lit('setSecretsRevealed'), requestId, revealed: bool }),
  analyze: obj({ type: lit('analyze'), requestId, ...analysisRequest }),
  /** The operator switched tabs: remembered for after a reload. */
  tabChanged: obj({ type: lit('tabChanged'), tab: lit('data', 'analysis') }),
} as const;

const toHost = messages(toHostSchemas);
export type ToHost = Infer<typeof toHost>;
export type ToHostOf<K extends ToHost['type']> = Extract<ToHost, { type: K }>;

// ---------------------------------------------------------------------------------------------------
// Host → webview

const toWebviewSchemas = {
  opened: obj({
    type: lit('opened'),
    file: fileInfo,
    tables: arr(tableInfo, 10_000),
    hub: hubSchema,
    secretsRevealed: bool,
    origin: nullable(fileOrigin),
    saved: nullable(savedView),
    /** Things the operator should know that do not stop the explorer (a WAL beside, tables hidden…). */
    notices: arr(str(10_000), 100),
  }),
  /** The file could not be opened at all: the editor shows why instead of a blank page. */
  openFailed: obj({ type: lit('openFailed'), file: fileInfo, error: errorInfo }),
  queryResult: obj({ type: lit('queryResult'), requestId, result: resultInfo }),
  rows: obj({ type: lit('rows'), requestId, resultId, offset: int(), rows: arr(arr(cell, 2000), MAX_PAGE_ROWS) }),
  cellValue: obj({ type: lit('cellValue'), requestId, text: str() }),
  queryPlan: obj({ type: lit('queryPlan'), requestId, plan: arr(planStep, 10_000) }),
  /** An export finished; `file` is null when the operator dismissed the save dialog. */
  exported: obj({ type: lit('exported'), requestId, file: nullable(str(4096)), rows: int(), bytes: int() }),
  secrets: obj({ type: lit('secrets'), requestId: nullable(requestId), revealed: bool }),
  analysis: obj({ type: lit('analysis'), requestId, analysis: analysisView }),
  failed: obj({ type: lit('failed'), requestId, error: errorInfo }),
  /** The host asks the page to show the analysis tab (the "Analyze Hub DB" command). */
  showAnalysis: obj({ type: lit('showAnalysis'), ...analysisRequest }),
} as const;

const toWebview = messages(toWebviewSchemas);
export type ToWebview = Infer<typeof toWebview>;
export type ToWebviewOf<K extends ToWebview['type']> = Extract<ToWebview, { type: K }>;
/** Replies that answer one request, by `requestId`. */
export type Reply = Extract<ToWebview, { requestId: number }>;

/**
 * The explorer page's protocol. A request that failed is answered `failed` with its requestId; nothing
 * else on the page waits for an answer.
 */
export const explorerPage = pageProtocol<ToHost, ToWebview>('Explorer', toHost, toWebview, (message, error) =>
  'requestId' in message ? { type: 'failed', requestId: message.requestId, error } : undefined,
);
/** Validate a message each side received (the host's from the webview, the webview's from the host). */
export const { parseToHost, parseToWebview } = explorerPage;
/** Checks an analysis view before it is sent (a bug in the mapping shows in the host, not as a dropped message). */
export const checkAnalysisView = (value: unknown): Parsed<AnalysisView> => parseWith(analysisView, value);
