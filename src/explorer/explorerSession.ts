import { rm } from 'node:fs/promises';
import type { HubDbAnalysis } from '../core/hubdb';
import type { Result } from '../core/result';
import {
  parseToHost,
  type ErrorInfo,
  type ToHost,
  type ToHostOf,
  type ToWebview,
  type ToWebviewOf,
} from '../protocol/explorerProtocol';
import type { HubDbFile } from './hubDbFile';
import { SqlWorkerClient, type SqlWorkerOptions } from './sqlWorkerClient';
import { partialPath } from './worker/exportResult';
import type { AnalysisOptions, OpenedDb } from './worker/workerProtocol';

export interface ExplorerSessionDeps {
  worker: SqlWorkerOptions;
  /** Where problems go (an output channel). Never handed secrets: only codes and messages. */
  log: (line: string) => void;
  /** Each analysis the page asked for, with its options (the incident journal and the tree use it). */
  onAnalysis?: (analysis: HubDbAnalysis, options: AnalysisOptions) => void;
}

/** What a session needs from the editor around it (VS Code's in vscodeExplorerUi.ts). */
export interface ExplorerUi {
  /** Sends a message to the page. */
  post(message: ToWebview): void;
  /** Asks the operator (modally) whether to show secrets in this editor. */
  confirmRevealSecrets(fileName: string): Promise<boolean>;
  /** Asks where to save an export: a path on this machine, null when dismissed, or why it cannot be used. */
  pickExportPath(format: 'csv' | 'json', fileName: string): Promise<string | null | { problem: string }>;
  copyText(text: string): Promise<void>;
}

/**
 * One explorer tab: its worker, and the answer to every message its page sends. Every message is
 * validated first; a malformed one is logged and dropped. Nothing here writes the DB file.
 */
export class ExplorerSession {
  private readonly client: SqlWorkerClient;
  /** What the page is told on `ready` (it may reload and ask again). */
  private opening: Promise<ToWebviewOf<'opened'> | ToWebviewOf<'openFailed'>> | undefined;
  private pageReady = false;
  private pendingAnalysis: AnalysisOptions | undefined;
  private readonly exports = new Set<string>();
  private disposed = false;

  constructor(
    private readonly file: HubDbFile,
    private readonly ui: ExplorerUi,
    private readonly deps: ExplorerSessionDeps,
  ) {
    this.client = new SqlWorkerClient(deps.worker);
  }

  /** Shows the analysis tab and runs it (the "Analyze Hub DB" command), now or once the page is ready. */
  showAnalysis(options: AnalysisOptions): void {
    if (this.pageReady) this.post({ type: 'showAnalysis', ...options });
    else this.pendingAnalysis = options;
  }

  /** Handles one message from the page (anything: it is validated here). */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseToHost(raw);
    if (!parsed.ok) {
      this.deps.log(`Explorer: dropped a malformed message from the page (${parsed.reason}).`);
      return;
    }
    try {
      await this.handle(parsed.value);
    } catch (error) {
      this.deps.log(`Explorer: ${parsed.value.type} failed: ${error instanceof Error ? error.message : String(error)}`);
      if ('requestId' in parsed.value)
        this.post({
          type: 'failed',
          requestId: parsed.value.requestId,
          error: { code: 'internal', message: 'Something went wrong in the explorer; the log has details.' },
        });
    }
  }

  private async handle(message: ToHost): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.post(await (this.opening ??= this.open()));
        this.pageReady = true;
        if (this.pendingAnalysis) this.post({ type: 'showAnalysis', ...this.pendingAnalysis });
        this.pendingAnalysis = undefined;
        return;
      }
      case 'runQuery':
        return this.reply(message, await this.client.request('query', { sql: message.sql }), (result) => ({
          type: 'queryResult',
          requestId: message.requestId,
          result,
        }));
      case 'fetchRows': {
        const { resultId, offset, limit } = message;
        return this.reply(message, await this.client.request('rows', { resultId, offset, limit }), (rows) => ({
          type: 'rows',
          requestId: message.requestId,
          resultId,
          offset,
          rows,
        }));
      }
      case 'fetchCell': {
        const { resultId, row, column } = message;
        return this.reply(message, await this.client.request('cell', { resultId, row, column }), (text) => ({
          type: 'cellValue',
          requestId: message.requestId,
          text,
        }));
      }
      case 'sortResult': {
        const { resultId, column, direction } = message;
        return this.reply(message, await this.client.request('sort', { resultId, column, direction }), (result) => ({
          type: 'queryResult',
          requestId: message.requestId,
          result,
        }));
      }
      case 'explainQuery':
        return this.reply(message, await this.client.request('explain', { sql: message.sql }), (plan) => ({
          type: 'queryPlan',
          requestId: message.requestId,
          plan,
        }));
      case 'cancel':
        return this.cancel();
      case 'exportResult':
        return this.export(message);
      case 'copyText':
        return this.ui.copyText(message.text);
      case 'setSecretsRevealed':
        return this.setSecretsRevealed(message);
      case 'analyze': {
        const { jupyterhubVersion, memoryLimitBytes } = message;
        const outcome = await this.client.request('analyze', { jupyterhubVersion, memoryLimitBytes });
        if (outcome.ok) this.deps.onAnalysis?.(outcome.value.analysis, { jupyterhubVersion, memoryLimitBytes });
        return this.reply(message, outcome, ({ view }) => ({
          type: 'analysis',
          requestId: message.requestId,
          analysis: view,
        }));
      }
    }
  }

  private async open(): Promise<ToWebviewOf<'opened'> | ToWebviewOf<'openFailed'>> {
    const { info, content } = this.file;
    if (!content.ok) return { type: 'openFailed', file: info, error: content.error };
    const opened = await this.client.open(content.value, false, this.file.wal);
    if (!opened.ok) {
      this.deps.log(`Explorer: cannot open ${info.name}: ${opened.error.code}: ${opened.error.message}`);
      return { type: 'openFailed', file: info, error: opened.error };
    }
    return this.openedMessage(opened.value);
  }

  private openedMessage(opened: OpenedDb): ToWebviewOf<'opened'> {
    return { type: 'opened', file: this.file.info, ...opened };
  }

  private async cancel(): Promise<void> {
    const reopened = await this.client.cancel();
    await Promise.all([...this.exports].map((path) => rm(partialPath(path), { force: true })));
    this.exports.clear();
    if (reopened && !reopened.ok) {
      this.opening = Promise.resolve({ type: 'openFailed', file: this.file.info, error: reopened.error });
      this.post(await this.opening);
    }
  }

  private async export(message: ToHostOf<'exportResult'>): Promise<void> {
    const target = await this.ui.pickExportPath(message.format, this.file.info.name);
    if (target === null) {
      this.post({ type: 'exported', requestId: message.requestId, file: null, rows: 0, bytes: 0 });
      return;
    }
    if (typeof target !== 'string') {
      this.post({ type: 'failed', requestId: message.requestId, error: { code: 'export', message: target.problem } });
      return;
    }
    const path = target;
    this.exports.add(path);
    const outcome = await this.client.request('export', { resultId: message.resultId, format: message.format, path });
    this.exports.delete(path);
    this.reply(message, outcome, ({ rows, bytes }) => ({
      type: 'exported',
      requestId: message.requestId,
      file: path,
      rows,
      bytes,
    }));
  }

  private async setSecretsRevealed(message: ToHostOf<'setSecretsRevealed'>): Promise<void> {
    if (message.revealed && !(await this.ui.confirmRevealSecrets(this.file.info.name))) {
      this.post({ type: 'secrets', requestId: message.requestId, revealed: false });
      return;
    }
    const outcome = await this.client.setSecretsRevealed(message.revealed);
    if (outcome.ok) this.opening = Promise.resolve(this.openedMessage(outcome.value));
    this.reply(message, outcome, (opened) => ({
      type: 'secrets',
      requestId: message.requestId,
      revealed: opened.secretsRevealed,
    }));
  }

  /** Posts the reply a request gets: its value, or the typed error (including 'cancelled'). */
  private reply<T>(
    request: { requestId: number },
    outcome: Result<T, ErrorInfo>,
    toMessage: (value: T) => ToWebview,
  ): void {
    this.post(
      outcome.ok ? toMessage(outcome.value) : { type: 'failed', requestId: request.requestId, error: outcome.error },
    );
  }

  private post(message: ToWebview): void {
    if (!this.disposed) this.ui.post(message);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.client.dispose();
  }
}
