import type { ResultInfo, TableInfo, ToWebview, ToHost } from '../../src/protocol/explorerProtocol';
import { el, replaceChildren } from '../shared/dom';
import { formatBytes, formatCount, formatMs } from '../../src/shared/format';
import { inertText } from '../../src/shared/untrustedText';
import type { HostConnection } from '../shared/hostConnection';
import type { PersistedState } from './persistedState';
import { planTree } from './planTree';
import { ResultGrid } from './resultGrid';
import { tablesPanel } from './tablesPanel';
import { button, setEnabled, textArea, type ValueElement } from '../shared/toolkit';

const quoteId = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The Data tab: tables on the left; on the right a query editor (Ctrl+Enter runs), its toolbar,
 * a status line, and the result as a virtualized grid or a query plan tree.
 */
export class DataTab {
  readonly element: HTMLElement;
  private readonly editor: ValueElement;
  private readonly status = el('div', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  private readonly resultArea = el('div', { className: 'result-area' });
  private readonly historyList = el('div', { className: 'history' });
  private readonly controls: Record<
    'run' | 'cancel' | 'explain' | 'csv' | 'json' | 'copyCell' | 'copyRow',
    HTMLElement
  >;
  private grid: ResultGrid | undefined;
  private result: ResultInfo | undefined;
  private lastSql: string | undefined;
  private busy = 0;

  constructor(
    private readonly connection: HostConnection<ToHost, ToWebview>,
    private readonly state: PersistedState,
    tables: TableInfo[],
  ) {
    this.editor = textArea({
      value: state.get().sql,
      placeholder: 'SELECT * FROM users  (Ctrl+Enter runs)',
      label: 'SQL query',
      rows: 5,
      className: 'query-editor',
    });
    this.editor.addEventListener('keydown', (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
        event.preventDefault();
        void this.run();
      }
    });
    this.editor.addEventListener('input', () => this.state.update({ sql: this.editor.value }));
    this.controls = {
      run: button('Run', () => void this.run(), {
        appearance: 'primary',
        title: 'Run the query (Ctrl+Enter)',
        id: 'run-query',
      }),
      cancel: button('Cancel', () => this.cancel(), { title: 'Stop what is running', id: 'cancel-query' }),
      explain: button('Explain', () => void this.explain(), {
        title: 'Show EXPLAIN QUERY PLAN as a tree',
        id: 'explain-query',
      }),
      csv: button('Export CSV…', () => void this.export('csv'), { id: 'export-csv' }),
      json: button('Export JSON…', () => void this.export('json'), { id: 'export-json' }),
      copyCell: button('Copy Cell', () => void this.grid?.copySelectedCell(), {
        title: 'Copy the selected cell (Ctrl+C)',
        id: 'copy-cell',
      }),
      copyRow: button('Copy Row', () => void this.grid?.copySelectedRow(), {
        title: 'Copy the selected row as tab-separated text (Ctrl+Shift+C)',
        id: 'copy-row',
      }),
    };
    this.element = el(
      'div',
      { className: 'data-tab' },
      el(
        'aside',
        { className: 'sidebar' },
        el('h2', {}, 'Tables'),
        tablesPanel(tables, (t) => void this.openTable(t)),
      ),
      el(
        'section',
        { className: 'query' },
        this.editor,
        el('div', { className: 'toolbar' }, ...Object.values(this.controls), this.historyList),
        this.status,
        this.resultArea,
      ),
    );
    this.renderHistory();
    this.refreshControls();
  }

  /** Runs the editor's query (or `sql`), replacing the current result. */
  async run(sql = this.editor.value): Promise<void> {
    if (!sql.trim()) return this.say('Type a query first.', 'info');
    this.state.remember(sql);
    this.renderHistory();
    this.lastSql = sql;
    this.say('Running…', 'busy');
    const reply = await this.track(this.connection.request({ type: 'runQuery', sql }));
    if (reply.type === 'queryResult') return this.show(reply.result);
    // The result on screen belongs to an earlier query: the error takes its place, and nothing is left to export.
    if (reply.type === 'failed' && reply.error.code !== 'cancelled') {
      this.dropResult();
      replaceChildren(
        this.resultArea,
        el('pre', { className: 'result-error', attrs: { role: 'alert' } }, reply.error.message),
      );
    }
    this.fail(reply, 'The query failed');
  }

  /** Runs the last query again (after secrets were revealed or hidden). */
  async rerun(): Promise<void> {
    if (this.lastSql !== undefined) await this.run(this.lastSql);
  }

  private async openTable(table: TableInfo): Promise<void> {
    const sql = `SELECT * FROM ${quoteId(table.name)}`;
    this.editor.value = sql;
    this.state.update({ sql });
    await this.run(sql);
  }

  private show(result: ResultInfo): void {
    this.grid?.dispose();
    this.result = result;
    const resultId = result.resultId;
    this.grid = new ResultGrid(result, {
      fetchRows: async (offset, limit) => {
        const reply = await this.connection.request({ type: 'fetchRows', resultId, offset, limit });
        if (reply.type === 'rows') return reply.rows;
        if (this.result?.resultId === resultId) this.fail(reply, 'Cannot load rows');
        return undefined;
      },
      fetchCell: async (row, column) => {
        const reply = await this.connection.request({ type: 'fetchCell', resultId, row, column });
        if (reply.type === 'cellValue') return reply.text;
        this.fail(reply, 'Cannot copy');
        return undefined;
      },
      sort: (column, direction) => void this.sort(resultId, column, direction),
      copy: (text) => {
        this.connection.send({ type: 'copyText', text });
        this.say('Copied.', 'info');
      },
    });
    this.grid.element.addEventListener('selectionchange', () => this.refreshControls());
    replaceChildren(this.resultArea, this.grid.element);
    const sorted = result.sort
      ? ` · sorted by ${inertText(result.columns[result.sort.column] ?? '', 'line')} ${result.sort.direction === 'asc' ? '▲' : '▼'}`
      : '';
    this.say(
      `${formatCount(result.rowCount)} row${result.rowCount === 1 ? '' : 's'} · ${formatMs(result.elapsedMs)}${sorted}`,
      'ok',
    );
    this.refreshControls();
  }

  private async sort(resultId: number, column: number, direction: 'asc' | 'desc' | 'none'): Promise<void> {
    this.say('Sorting…', 'busy');
    const reply = await this.track(this.connection.request({ type: 'sortResult', resultId, column, direction }));
    if (reply.type === 'queryResult') this.show(reply.result);
    else this.fail(reply, 'Cannot sort');
  }

  private async explain(): Promise<void> {
    const sql = this.editor.value;
    if (!sql.trim()) return this.say('Type a query first.', 'info');
    const reply = await this.track(this.connection.request({ type: 'explainQuery', sql }));
    if (reply.type !== 'queryPlan') return this.fail(reply, 'Cannot explain');
    const back = this.grid
      ? button('Back to Result', () => this.grid && replaceChildren(this.resultArea, this.grid.element))
      : null;
    replaceChildren(
      this.resultArea,
      el('div', { className: 'plan' }, el('h3', {}, 'Query plan'), planTree(reply.plan), back),
    );
    this.say(`Query plan: ${reply.plan.length} step${reply.plan.length === 1 ? '' : 's'}.`, 'ok');
  }

  private async export(format: 'csv' | 'json'): Promise<void> {
    if (!this.result) return;
    this.say(`Exporting ${formatCount(this.result.rowCount)} rows…`, 'busy');
    const reply = await this.track(
      this.connection.request({ type: 'exportResult', resultId: this.result.resultId, format }),
    );
    if (reply.type !== 'exported') return this.fail(reply, 'Export failed');
    if (reply.file === null) return this.say('Export skipped.', 'info');
    this.say(`Exported ${formatCount(reply.rows)} rows (${formatBytes(reply.bytes)}) to ${reply.file}.`, 'ok');
  }

  private cancel(): void {
    this.connection.send({ type: 'cancel' });
  }

  private fail(reply: ToWebview, what: string): void {
    if (reply.type !== 'failed') return this.say(`${what}: unexpected answer.`, 'error');
    if (reply.error.code === 'cancelled' || reply.error.code === 'unknown-result') {
      // The worker was restarted: the result it held is gone.
      this.dropResult();
      replaceChildren(this.resultArea);
    }
    if (reply.error.code === 'cancelled') this.say('Cancelled.', 'info');
    else this.say(`${what}: ${reply.error.message}`, 'error');
  }

  /** No result any more: the grid goes, and Export and Copy with it. */
  private dropResult(): void {
    this.grid?.dispose();
    this.grid = undefined;
    this.result = undefined;
    this.refreshControls();
  }

  private async track<T>(pending: Promise<T>): Promise<T> {
    this.busy++;
    this.refreshControls();
    try {
      return await pending;
    } finally {
      this.busy--;
      this.refreshControls();
    }
  }

  private refreshControls(): void {
    setEnabled(this.controls.cancel, this.busy > 0);
    setEnabled(this.controls.csv, !!this.result && this.busy === 0);
    setEnabled(this.controls.json, !!this.result && this.busy === 0);
    setEnabled(this.controls.copyCell, !!this.grid?.hasSelection);
    setEnabled(this.controls.copyRow, !!this.grid?.hasSelection);
  }

  private say(text: string, kind: 'ok' | 'info' | 'busy' | 'error'): void {
    this.status.className = `status status-${kind}`;
    this.status.textContent = text;
  }

  private renderHistory(): void {
    const history = this.state.get().history;
    replaceChildren(
      this.historyList,
      history.length === 0
        ? null
        : el(
            'details',
            {},
            el('summary', {}, `History (${history.length})`),
            el(
              'ul',
              { className: 'history-list' },
              ...history.map((sql) =>
                el(
                  'li',
                  {},
                  el(
                    'button',
                    {
                      className: 'history-entry mono',
                      attrs: { title: sql },
                      on: {
                        click: () => {
                          this.editor.value = sql;
                          this.state.update({ sql });
                          this.editor.focus();
                        },
                      },
                    },
                    sql.replace(/\s+/g, ' ').slice(0, 200),
                  ),
                ),
              ),
            ),
          ),
    );
  }
}
