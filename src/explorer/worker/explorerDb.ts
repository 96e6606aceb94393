import {
  analyzeHubDb,
  explainQueryPlanRows,
  openHubDbWith,
  type HubDbAnalysis,
  type HubSchemaInfo,
  type OpenedDb,
  type SqlJsStatic,
} from '../../core/hubdb';
import type { Result, UserError } from '../../core/result';
import type { AnalysisView, ErrorInfo, HubSchema, PlanStep } from '../../protocol/explorerProtocol';
import { analysisView } from './analysisView';
import { readCatalog } from './catalog';
import { exportResult } from './exportResult';
import { redactInPlace } from './redactInPlace';
import { ResultStore } from './resultStore';
import { messageOfSql, oneStatement, sqlError } from './sqlText';
import type { AnalysisOptions, DbOverview, WorkerOps, WorkerRequest } from './workerProtocol';

/**
 * One editor's DB inside the worker: the in-memory copy the operator queries (secrets overwritten unless
 * revealed), its results, and the original bytes, kept so secrets can be revealed or hidden again and
 * the analysis always measures the real column widths.
 */
export class ExplorerDb {
  private source: { bytes: Uint8Array; walBytes: Uint8Array | null } | undefined;
  private opened: OpenedDb | undefined;
  private store: ResultStore | undefined;
  private shown: DbOverview | undefined;

  constructor(private readonly SQL: SqlJsStatic) {}

  async handle(request: WorkerRequest): Promise<Result<WorkerOps[WorkerRequest['op']]['reply'], ErrorInfo>> {
    switch (request.op) {
      case 'open':
        return this.open({ bytes: request.bytes, walBytes: request.walBytes }, request.revealSecrets);
      case 'setSecretsRevealed':
        return this.source ? this.open(this.source, request.revealed) : notOpen();
      case 'query':
        return this.withStore((store) => store.run(request.sql));
      case 'rows':
        return this.withStore((store) => store.rows(request.resultId, request.offset, request.limit));
      case 'cell':
        return this.withStore((store) => store.cell(request.resultId, request.row, request.column));
      case 'sort':
        return this.withStore((store) => store.sort(request.resultId, request.column, request.direction));
      case 'explain':
        return this.explain(request.sql);
      case 'export':
        return this.store ? exportResult(this.store, request.resultId, request.format, request.path) : notOpen();
      case 'analyze':
        return this.analyze(request);
    }
  }

  private open(
    source: { bytes: Uint8Array; walBytes: Uint8Array | null },
    revealSecrets: boolean,
  ): Result<DbOverview, ErrorInfo> {
    this.close();
    this.source = source;
    const opened = this.openPristine();
    if (!opened.ok) return opened;
    const { db } = opened.value;
    // The explorer keeps its results in TEMP tables and redacts in place: see resultStore.ts for how
    // the operator's SQL is still kept from changing anything.
    db.run('PRAGMA query_only = 0');
    const tables = readCatalog(db);
    const notices = [...opened.value.notes, ...(revealSecrets ? [] : redactInPlace(db))];
    this.opened = opened.value;
    this.store = new ResultStore(db);
    this.shown = { tables, hub: hubSchema(opened.value.schema), secretsRevealed: revealSecrets, notices };
    return { ok: true, value: this.shown };
  }

  /**
   * The DB as the file (and its -wal) hold it. A -wal that cannot be applied does not stop the
   * explorer: the main file opens, and a note says what is missing.
   */
  private openPristine(): Result<OpenedDb, ErrorInfo> {
    const { bytes, walBytes } = this.source!;
    const opened = openHubDbWith(this.SQL, bytes, walBytes ? { walBytes } : {});
    if (opened.ok || !walBytes || opened.error.code !== 'hubdb.wal-unusable') return errorInfo(opened);
    const withoutWal = openHubDbWith(this.SQL, bytes);
    if (withoutWal.ok) withoutWal.value.notes.unshift(`${opened.error.userMessage} Showing the main file only.`);
    return errorInfo(withoutWal);
  }

  private explain(sql: string): Result<PlanStep[], ErrorInfo> {
    if (!this.opened) return notOpen();
    const { db } = this.opened;
    const single = oneStatement(db, sql);
    if (!single.ok) return single;
    try {
      return { ok: true, value: explainQueryPlanRows(db, single.value) };
    } catch (error) {
      return sqlError(messageOfSql(error));
    } finally {
      db.run('PRAGMA query_only = 0');
    }
  }

  /** Runs the analyzer on a fresh, unredacted copy (secret widths count in the memory model), then drops it. */
  private analyze(options: AnalysisOptions): Result<{ view: AnalysisView; analysis: HubDbAnalysis }, ErrorInfo> {
    if (!this.source || !this.shown) return notOpen();
    const pristine = this.openPristine();
    if (!pristine.ok) return pristine;
    try {
      const analysis = analyzeHubDb(pristine.value, {
        ...(options.jupyterhubVersion ? { jupyterhubVersion: options.jupyterhubVersion } : {}),
        memoryLimitBytes: options.memoryLimitBytes ?? null,
      });
      if (!analysis.ok) return { ok: false, error: { code: analysis.error.code, message: analysis.error.userMessage } };
      return {
        ok: true,
        value: { view: analysisView(analysis.value, options.memoryLimitBytes ?? null), analysis: analysis.value },
      };
    } finally {
      pristine.value.close();
    }
  }

  private withStore<T>(run: (store: ResultStore) => Result<T, ErrorInfo>): Result<T, ErrorInfo> {
    if (!this.store) return notOpen();
    try {
      return run(this.store);
    } catch (error) {
      return sqlError(messageOfSql(error));
    }
  }

  close(): void {
    this.opened?.close();
    this.opened = undefined;
    this.store = undefined;
    this.shown = undefined;
  }
}

/** The protocol's view of the schema the core found. */
export function hubSchema(schema: HubSchemaInfo): HubSchema {
  return {
    kind: schema.kind === 'not-hub' ? 'foreign' : schema.series === 'unknown' ? 'unknown-revision' : 'hub',
    revision: schema.revision,
    versions: schema.jupyterhub,
    summary: schema.summary,
  };
}

function errorInfo<T>(result: Result<T, UserError>): Result<T, ErrorInfo> {
  return result.ok ? result : { ok: false, error: { code: result.error.code, message: result.error.userMessage } };
}

const notOpen = (): Result<never, ErrorInfo> => ({
  ok: false,
  error: { code: 'not-open', message: 'No database is open in this editor.' },
});
