/**
 * The hub DB explorer's messages between the extension host and its webview: the one module both sides
 * import. Every message is declared once as a runtime schema; its TypeScript type is inferred from that
 * schema, so what the compiler checks and what the receiver validates cannot drift apart.
 *
 * A webview is a page that shows names out of a database someone else wrote: both sides validate every
 * message they receive (`parseToHost`, `parseToWebview`) and drop what does not match, with the reason.
 */

// ---------------------------------------------------------------------------------------------------
// Schema combinators (small on purpose: just what these messages need)

/** Returns undefined when `value` fits, else a short reason naming the path that does not. */
type Check = (value: unknown, path: string) => string | undefined;

export interface Schema<T> {
  readonly check: Check;
  /** Phantom: carries the inferred type, never set at runtime. */
  readonly type?: T;
}
interface OptionalSchema<T> extends Schema<T> {
  readonly optional: true;
}
export type Infer<S> = S extends Schema<infer T> ? T : never;

const schema = <T>(check: Check): Schema<T> => ({ check });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Longest text any message may carry; bigger payloads are a bug or an attack, not data. */
export const MAX_TEXT = 8 * 1024 * 1024;

const str = (maxLength = MAX_TEXT): Schema<string> =>
  schema((v, p) =>
    typeof v !== 'string' ? `${p} is not a string` : v.length > maxLength ? `${p} is too long` : undefined,
  );

const int = (min = 0, max = Number.MAX_SAFE_INTEGER): Schema<number> =>
  schema((v, p) =>
    typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max
      ? `${p} is not an integer in [${min}, ${max}]`
      : undefined,
  );

const num: Schema<number> = schema((v, p) =>
  typeof v !== 'number' || !Number.isFinite(v) ? `${p} is not a number` : undefined,
);

const bool: Schema<boolean> = schema((v, p) => (typeof v !== 'boolean' ? `${p} is not a boolean` : undefined));

const lit = <const T extends string>(...values: T[]): Schema<T> =>
  schema((v, p) =>
    typeof v === 'string' && (values as string[]).includes(v) ? undefined : `${p} is not one of ${values.join('|')}`,
  );

const arr = <T>(item: Schema<T>, maxItems = 100_000): Schema<T[]> =>
  schema((v, p) => {
    if (!Array.isArray(v)) return `${p} is not an array`;
    if (v.length > maxItems) return `${p} has too many items`;
    for (let i = 0; i < v.length; i++) {
      const problem = item.check(v[i], `${p}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  });

const nullable = <T>(inner: Schema<T>): Schema<T | null> =>
  schema((v, p) => (v === null ? undefined : inner.check(v, p)));

const opt = <T>(inner: Schema<T>): OptionalSchema<T> => ({
  optional: true,
  check: (v, p) => (v === undefined ? undefined : inner.check(v, p)),
});

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never }[keyof S];
type Flatten<T> = { [K in keyof T]: T[K] };
type ObjectOf<S extends Shape> = Flatten<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

/** A plain object with exactly these keys: unknown keys are rejected, so nothing rides along unchecked. */
const obj = <S extends Shape>(shape: S): Schema<ObjectOf<S>> =>
  schema((v, p) => {
    if (!isRecord(v)) return `${p} is not an object`;
    for (const key of Object.keys(v)) if (!Object.hasOwn(shape, key)) return `${p}.${key} is not expected`;
    for (const [key, field] of Object.entries(shape)) {
      const problem = field.check(v[key], `${p}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  });

/** One of several message schemas, chosen by their literal `type` field. */
function messages<S extends Schema<{ type: string }>>(byType: Record<string, S>): Schema<Infer<S>> {
  return schema((v, p) => {
    if (!isRecord(v) || typeof v.type !== 'string') return `${p} has no type`;
    const chosen = Object.hasOwn(byType, v.type) ? byType[v.type] : undefined;
    return chosen ? chosen.check(v, p) : `${p}.type '${v.type.slice(0, 40)}' is unknown`;
  });
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function parseWith<T>(s: Schema<T>, value: unknown): Parsed<T> {
  const reason = s.check(value, 'message');
  return reason ? { ok: false, reason } : { ok: true, value: value as T };
}

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

/** What the operator sees for a secret the explorer hid (the same marker in the grid and in exports). */
export const REDACTED = '‹redacted›';

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

const planNode = obj({ id: int(), parent: int(), detail: str(10_000) });
export type PlanNode = Infer<typeof planNode>;

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
  startupQueries: arr(obj({ version: str(100), label: str(1000), sql: str(100_000), plan: arr(planNode, 1000) }), 50),
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
    /** Things the operator should know that do not stop the explorer (a WAL beside, tables hidden…). */
    notices: arr(str(10_000), 100),
  }),
  /** The file could not be opened at all: the editor shows why instead of a blank page. */
  openFailed: obj({ type: lit('openFailed'), file: fileInfo, error: errorInfo }),
  queryResult: obj({ type: lit('queryResult'), requestId, result: resultInfo }),
  rows: obj({ type: lit('rows'), requestId, resultId, offset: int(), rows: arr(arr(cell, 2000), MAX_PAGE_ROWS) }),
  cellValue: obj({ type: lit('cellValue'), requestId, text: str() }),
  queryPlan: obj({ type: lit('queryPlan'), requestId, plan: arr(planNode, 10_000) }),
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

/** Validates a message the host received from the webview. */
export const parseToHost = (value: unknown): Parsed<ToHost> => parseWith(toHost, value);
/** Validates a message the webview received from the host. */
export const parseToWebview = (value: unknown): Parsed<ToWebview> => parseWith(toWebview, value);
/** Checks an analysis view before it is sent (a bug in the mapping shows in the host, not as a dropped message). */
export const checkAnalysisView = (value: unknown): Parsed<AnalysisView> => parseWith(analysisView, value);
