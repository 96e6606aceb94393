import { basename, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { SectionId } from '../../core/incident/reportDraft';
import { err, type Result, UserError } from '../../core/result';
import { parsePageState, reportPage, type ToHost, type ToWebview } from '../../protocol/reportProtocol';
import { webviews } from '../../vscode/contributes';
import { showUserError, type Log } from '../../vscode/log';
import { PageConnection } from '../../vscode/pageConnection';
import { WebviewHost } from '../../vscode/webviewHost';
import type { IncidentStore } from '../incidentStore';
import type { PrometheusSources } from '../../prometheus/prometheusSources';
import type { ConflictAnswer, ReportEditor, ReportUi } from './reportEditor';

export interface ReportPanelsDeps {
  /** Registers what restores the report panels after a reload (registered at activation, see Surfaces). */
  restore(serializer: vscode.WebviewPanelSerializer): vscode.Disposable;
  store: IncidentStore;
  /** The journal whose report was shown last (globalState): the page's own state can be lost in a reload. */
  lastShown: { get(): string | undefined; set(file: string | undefined): unknown };
  timezone(): string;
  /** One line when the timezone setting names no timezone (see reportTimezone.ts). */
  timezoneProblem?(): string | undefined;
  log: Log;
}

type ReportCode = typeof import('./reportBundle');
/** The report's code is a bundle of its own (dist/report.js), loaded with the first report. */
const loadReportCode = (): Promise<ReportCode> => import('./reportBundle');

interface OpenPanel {
  host: WebviewHost<ToHost, ToWebview>;
  editor: ReportEditor;
}

/**
 * The incident report panels, one per journal. The page says `ready` before it is sent anything; the
 * editor saves every edit next to the journal, so closing the panel or reloading the window loses
 * nothing, and a serializer reopens the panel after a reload (the page's state names its journal).
 */
export class ReportPanels implements vscode.Disposable {
  private readonly open = new Map<string, OpenPanel>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private sources: PrometheusSources | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: ReportPanelsDeps,
  ) {
    const listening = deps.store.onDidChange((change) => {
      if (change.kind === 'switched' || !change.file) return;
      this.open.get(resolve(change.file))?.editor.journalChanged();
    });
    this.subscriptions.push(
      new vscode.Disposable(() => listening.dispose()),
      deps.restore({ deserializeWebviewPanel: async (panel, state) => this.restore(panel, state) }),
    );
  }

  /** Reports from now on show charts and the alert replay from the hubs' Prometheus. */
  usePrometheus(sources: PrometheusSources): void {
    this.sources = sources;
  }

  /** Opens (or reveals) the report of `journalFile` and returns its editor. */
  async show(journalFile: string): Promise<Result<ReportEditor>> {
    // Loaded before anything is looked at: from here on nothing waits, so two calls cannot both open a panel.
    const code = await loadReportCode();
    const key = resolve(journalFile);
    const existing = this.open.get(key);
    if (existing) {
      existing.host.panel.reveal();
      return { ok: true, value: existing.editor };
    }
    const panel = vscode.window.createWebviewPanel(
      webviews.incidentReport,
      'Incident report',
      vscode.ViewColumn.Active,
      WebviewHost.options(this.extensionUri),
    );
    const attached = this.attach(code, panel, key);
    if (!attached.ok) panel.dispose();
    return attached;
  }

  /** An editor without a panel (Export / Copy from the palette), sharing the open panel's if there is one. */
  async headless(journalFile: string): Promise<Result<ReportEditor>> {
    const code = await loadReportCode();
    const key = resolve(journalFile);
    const existing = this.open.get(key);
    if (existing) return { ok: true, value: existing.editor };
    // No page will ever speak on this connection, so nothing is posted.
    const nowhere = new PageConnection(reportPage, () => undefined, this.deps.log);
    const editor = new code.ReportEditor(key, nowhere, this.ui(), this.editorDeps(code));
    const opened = editor.open();
    return opened.ok ? { ok: true, value: editor } : opened;
  }

  /** The timezone setting changed: every open report shows its times in the new zone now. */
  async timezoneChanged(): Promise<void> {
    await Promise.all([...this.open.values()].map(({ editor }) => editor.timezoneChanged()));
  }

  /** The editor of an open panel (tests drive the page's side through it). */
  editorOf(journalFile: string): ReportEditor | undefined {
    return this.open.get(resolve(journalFile))?.editor;
  }

  private async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    // The page's state names its journal; VS Code does not always get to save it before a reload, so
    // fall back to the report shown last.
    const code = await loadReportCode();
    const parsed = parsePageState(state);
    const file = (parsed.ok ? parsed.value.journalFile : undefined) || this.deps.lastShown.get();
    if (!file || this.open.has(resolve(file))) {
      this.deps.log.info(`Report: not reopening a report panel (${file ? 'it is open already' : 'no journal known'}).`);
      panel.dispose();
      return;
    }
    const attached = this.attach(code, panel, resolve(file));
    if (!attached.ok) {
      this.deps.log.warn(`Report: cannot reopen the report of ${file}: ${attached.error.userMessage}`);
      panel.dispose();
    }
  }

  private attach(code: ReportCode, panel: vscode.WebviewPanel, journalFile: string): Result<ReportEditor> {
    const host = new WebviewHost<ToHost, ToWebview>(panel, {
      extensionUri: this.extensionUri,
      app: 'report',
      protocol: reportPage,
      log: this.deps.log,
      title: 'Incident report',
      loading: 'Drafting the incident report…',
      // A hidden report page is unloaded (no retainContextWhenHidden): it says `ready` again when shown.
      retainsContext: false,
    });
    const editor = new code.ReportEditor(journalFile, host.page, this.ui(), this.editorDeps(code));
    const opened = editor.open();
    if (!opened.ok) {
      host.dispose();
      showUserError(this.deps.log, opened.error, 'Opening the incident report');
      return err(opened.error);
    }
    if (opened.value.notice) void vscode.window.showWarningMessage(`JupyterHub Ops: ${opened.value.notice}`);
    panel.title = `Report: ${titleOf(editor) ?? basename(journalFile)}`;
    panel.iconPath = new vscode.ThemeIcon('notebook');
    this.open.set(journalFile, { host, editor });
    void this.deps.lastShown.set(journalFile);
    panel.onDidDispose(() => {
      host.dispose();
      if (this.open.get(journalFile)?.host === host) this.open.delete(journalFile);
    });
    return { ok: true, value: editor };
  }

  private editorDeps({ historyLoader }: ReportCode) {
    return {
      timezone: this.deps.timezone,
      ...(this.deps.timezoneProblem ? { timezoneProblem: this.deps.timezoneProblem } : {}),
      ...(this.sources ? { history: historyLoader(this.sources) } : {}),
    };
  }

  private ui(): ReportUi {
    return {
      async resolveConflict(section: { id: SectionId; title: string }): Promise<ConflictAnswer> {
        const keep = 'Keep Mine';
        const take = 'Use New Draft';
        const choice = await vscode.window.showWarningMessage(
          `You edited "${section.title}", and the journal now drafts it differently.`,
          { modal: true, detail: 'Keep your text, or replace it with the new draft? (Cancel stops the re-draft.)' },
          keep,
          take,
        );
        return choice === keep ? 'keep' : choice === take ? 'take' : 'cancel';
      },
      async copyText(text: string) {
        await vscode.env.clipboard.writeText(text);
      },
      workspaceFolder() {
        const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
        return folder?.uri.fsPath;
      },
      async confirmReplace(file: string) {
        const replace = 'Replace';
        const choice = await vscode.window.showWarningMessage(
          `${basename(file)} already exists. Replace it with this report?`,
          { modal: true, detail: file },
          replace,
        );
        return choice === replace;
      },
      async showFile(file: string) {
        // Beside the report, so the panel stays in view.
        await vscode.window.showTextDocument(vscode.Uri.file(file), {
          preview: false,
          viewColumn: vscode.ViewColumn.Beside,
        });
      },
    };
  }

  dispose(): void {
    for (const { host } of this.open.values()) host.panel.dispose();
    this.open.clear();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

function titleOf(editor: ReportEditor): string | undefined {
  const view = editor.view();
  return view.ok ? view.value.title : undefined;
}

/** For callers without a journal: the current incident's, or why there is none. */
export function currentJournalFile(store: IncidentStore): Result<string> {
  const journal = store.current;
  return journal
    ? { ok: true, value: journal.file }
    : err(new UserError('No incident is open: start one, or make one current in the Incident view.', 'incident-none'));
}
