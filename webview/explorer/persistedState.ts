import type { VsCodeApi } from '../shared/hostConnection';

/** What the page keeps across reloads (VS Code's webview state): the query, its history, the tab, the analysis form. */
export interface ExplorerState {
  sql: string;
  history: string[];
  tab: 'data' | 'analysis';
  analysisVersion: string;
  memoryLimit: string;
  /** The Analysis tab showed a result: a restored page runs it again rather than show an empty tab. */
  analysisRan: boolean;
}

const MAX_HISTORY = 50;
const defaults: ExplorerState = {
  sql: '',
  history: [],
  tab: 'data',
  analysisVersion: '',
  memoryLimit: '',
  analysisRan: false,
};

export class PersistedState {
  private state: ExplorerState;

  constructor(private readonly api: VsCodeApi) {
    this.state = sanitize(api.getState());
  }

  get(): Readonly<ExplorerState> {
    return this.state;
  }

  update(change: Partial<ExplorerState>): void {
    this.state = { ...this.state, ...change };
    this.api.setState(this.state);
  }

  /** Puts a query at the top of the history (once). */
  remember(sql: string): void {
    const trimmed = sql.trim();
    if (!trimmed) return;
    this.update({ history: [trimmed, ...this.state.history.filter((h) => h !== trimmed)].slice(0, MAX_HISTORY) });
  }
}

/** State written by an older page (or by hand) is taken field by field, never trusted whole. */
function sanitize(raw: unknown): ExplorerState {
  if (typeof raw !== 'object' || raw === null) return { ...defaults };
  const r = raw as Record<string, unknown>;
  const text = (v: unknown, fallback: string) => (typeof v === 'string' && v.length < 1_000_000 ? v : fallback);
  return {
    sql: text(r.sql, defaults.sql),
    history: Array.isArray(r.history)
      ? r.history.filter((h): h is string => typeof h === 'string' && h.length < 1_000_000).slice(0, MAX_HISTORY)
      : [],
    tab: r.tab === 'analysis' ? 'analysis' : 'data',
    analysisVersion: text(r.analysisVersion, ''),
    memoryLimit: text(r.memoryLimit, ''),
    analysisRan: r.analysisRan === true,
  };
}
