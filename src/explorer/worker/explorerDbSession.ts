import type { Result } from '../../core/result';
import type { AnalysisView, ErrorInfo, PlanNode } from '../../protocol/explorerProtocol';
import { readCatalog } from './catalog';
import { exportResult } from './exportResult';
import {
  classifyHubDb,
  explainQueryPlan,
  openDbBytes,
  secretColumns,
  type Database,
  type SqlJsStatic,
} from './hubDbSeam';
import { redactInPlace } from './redactInPlace';
import { ResultStore } from './resultStore';
import { messageOfSql, oneStatement, sqlError } from './sqlText';
import type { AnalysisOptions, OpenedDb, WorkerOps, WorkerRequest } from './workerProtocol';

/**
 * One editor's DB inside the worker: the in-memory copy the operator queries (secrets overwritten unless
 * revealed), its results, and the original bytes, kept so secrets can be revealed or hidden again and
 * the analysis always measures the real column widths.
 */
export class ExplorerDbSession {
  private bytes: Uint8Array | undefined;
  private db: Database | undefined;
  private store: ResultStore | undefined;
  private opened: OpenedDb | undefined;

  constructor(private readonly SQL: SqlJsStatic) {}

  async handle(request: WorkerRequest): Promise<Result<WorkerOps[WorkerRequest['op']]['reply'], ErrorInfo>> {
    switch (request.op) {
      case 'open':
        return this.open(request.bytes, request.revealSecrets);
      case 'setSecretsRevealed':
        return this.bytes ? this.open(this.bytes, request.revealed) : notOpen();
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

  private open(bytes: Uint8Array, revealSecrets: boolean): Result<OpenedDb, ErrorInfo> {
    this.close();
    this.bytes = bytes;
    const opened = openDbBytes(this.SQL, bytes);
    if (!opened.ok) return opened;
    const db = opened.value;
    const hub = classifyHubDb(db);
    const tables = readCatalog(db, secretColumns);
    const notices = revealSecrets ? [] : redactInPlace(db, secretColumns);
    this.db = db;
    this.store = new ResultStore(db);
    this.opened = { tables, hub, secretsRevealed: revealSecrets, notices };
    return { ok: true, value: this.opened };
  }

  private explain(sql: string): Result<PlanNode[], ErrorInfo> {
    if (!this.db) return notOpen();
    const single = oneStatement(this.db, sql);
    if (!single.ok) return single;
    try {
      return { ok: true, value: explainQueryPlan(this.db, single.value) };
    } catch (error) {
      return sqlError(messageOfSql(error));
    }
  }

  private analyze(_options: AnalysisOptions): Result<AnalysisView, ErrorInfo> {
    if (!this.opened) return notOpen();
    if (this.opened.hub.kind === 'foreign')
      return { ok: false, error: { code: 'not-hub-db', message: this.opened.hub.summary } };
    return {
      ok: false,
      error: { code: 'analysis-unavailable', message: 'The start-up cost analysis is not in this build yet.' },
    };
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
    this.db?.close();
    this.db = undefined;
    this.store = undefined;
    this.opened = undefined;
  }
}

const notOpen = (): Result<never, ErrorInfo> => ({
  ok: false,
  error: { code: 'not-open', message: 'No database is open in this editor.' },
});
