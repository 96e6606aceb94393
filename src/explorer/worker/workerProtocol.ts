/**
 * Messages between the extension host and the sql.js worker thread. Both ends are this extension's own
 * code in one process, so these are types only; what comes from the webview was validated before.
 */
import type { HubDbAnalysis } from '../../core/hubdb';
import type {
  AnalysisView,
  Cell,
  ErrorInfo,
  HubSchema,
  PlanStep,
  ResultInfo,
  TableInfo,
} from '../../protocol/explorerProtocol';

/** What the worker is given when it starts (`workerData`). */
export interface WorkerStart {
  wasmPath: string;
}

/** What the explorer shows of a DB it opened (the `opened` message, but for the file): tables, schema, notices. */
export interface DbOverview {
  tables: TableInfo[];
  hub: HubSchema;
  secretsRevealed: boolean;
  notices: string[];
}

export interface AnalysisOptions {
  jupyterhubVersion?: string;
  memoryLimitBytes?: number;
}

/** Each request by its `op`, with the value a successful reply carries. */
export interface WorkerOps {
  /** `walBytes`: the -wal file beside the DB; its committed transactions are applied. */
  open: { request: { bytes: Uint8Array; walBytes: Uint8Array | null; revealSecrets: boolean }; reply: DbOverview };
  setSecretsRevealed: { request: { revealed: boolean }; reply: DbOverview };
  query: { request: { sql: string }; reply: ResultInfo };
  rows: { request: { resultId: number; offset: number; limit: number }; reply: Cell[][] };
  cell: { request: { resultId: number; row: number; column: number }; reply: string };
  sort: { request: { resultId: number; column: number; direction: 'asc' | 'desc' | 'none' }; reply: ResultInfo };
  explain: { request: { sql: string }; reply: PlanStep[] };
  export: {
    request: { resultId: number; format: 'csv' | 'json'; path: string };
    reply: { rows: number; bytes: number };
  };
  /** The panel's view, and the analyzer's whole result for the host (incident journal, hub row badge). */
  analyze: { request: AnalysisOptions; reply: { view: AnalysisView; analysis: HubDbAnalysis } };
}
export type WorkerOp = keyof WorkerOps;

export type WorkerRequest = { [Op in WorkerOp]: { id: number; op: Op } & WorkerOps[Op]['request'] }[WorkerOp];

export type WorkerResponse =
  { id: number; ok: true; value: WorkerOps[WorkerOp]['reply'] } | { id: number; ok: false; error: ErrorInfo };
