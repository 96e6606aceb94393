import { basename, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { SectionId } from '../../core/incident/reportDraft';
import { err, type Result, UserError } from '../../core/result';
import { parsePageState, type ToWebview } from '../../protocol/reportProtocol';
import { webviews } from '../../vscode/contributes';
import type { IncidentStore } from '../incidentStore';
import { reportHtml } from './reportHtml';
import { ReportSession, type ConflictAnswer, type ReportUi } from './reportSession';

export interface ReportPanelsDeps {
  store: IncidentStore;
  /** The journal whose report was shown last (globalState): the page's own state can be lost in a reload. */
  lastShown: { get(): string | undefined; set(file: string | undefined): unknown };
  timezone(): string;
  log(line: string): void;
}

interface OpenPanel {
  panel: vscode.WebviewPanel;
  session: ReportSession;
}

/**
 * The incident report panels, one per journal. The page posts `ready` before it is sent anything; the
 * session saves every edit next to the journal, so closing the panel or reloading the window loses
 * nothing, and a serializer reopens the panel after a reload (the page's state names its journal).
 */
export class ReportPanels implements vscode.Disposable {
  private readonly open = new Map<string, OpenPanel>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: ReportPanelsDeps,
  ) {
    const listening = deps.store.onDidChange((change) => {
      if (change.kind === 'switched' || !change.file) return;
      this.open.get(resolve(change.file))?.session.journalChanged();
    });
    this.subscriptions.push(
      new vscode.Disposable(() => listening.dispose()),
      vscode.window.registerWebviewPanelSerializer(webviews.incidentReport, {
        deserializeWebviewPanel: async (panel, state) => this.restore(panel, state),
      }),
    );
  }

  /** Opens (or reveals) the report of `journalFile` and returns its session. */
  show(journalFile: string): Result<ReportSession> {
    const key = resolve(journalFile);
    const existing = this.open.get(key);
    if (existing) {
      existing.panel.reveal();
      return { ok: true, value: existing.session };
    }
    const panel = vscode.window.createWebviewPanel(webviews.incidentReport, 'Incident report', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: this.resourceRoots(),
    });
    const attached = this.attach(panel, key);
    if (!attached.ok) panel.dispose();
    return attached;
  }

  /** A session without a panel (Export / Copy from the palette), sharing the open panel's if there is one. */
  headless(journalFile: string): Result<ReportSession> {
    const key = resolve(journalFile);
    const existing = this.open.get(key);
    if (existing) return { ok: true, value: existing.session };
    const session = new ReportSession(key, this.ui(undefined), this.sessionDeps());
    const opened = session.open();
    return opened.ok ? { ok: true, value: session } : opened;
  }

  /** The session of an open panel (tests drive the page's side through it). */
  sessionOf(journalFile: string): ReportSession | undefined {
    return this.open.get(resolve(journalFile))?.session;
  }

  private async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    // The page's state names its journal; VS Code does not always get to save it before a reload, so
    // fall back to the report shown last.
    const parsed = parsePageState(state);
    const file = (parsed.ok ? parsed.value.journalFile : undefined) || this.deps.lastShown.get();
    if (!file || this.open.has(resolve(file))) {
      this.deps.log(`Report: not reopening a report panel (${file ? 'it is open already' : 'no journal known'}).`);
      panel.dispose();
      return;
    }
    panel.webview.options = { enableScripts: true, localResourceRoots: this.resourceRoots() };
    const attached = this.attach(panel, resolve(file));
    if (!attached.ok) {
      this.deps.log(`Report: cannot reopen the report of ${file}: ${attached.error.userMessage}`);
      panel.dispose();
    }
  }

  private attach(panel: vscode.WebviewPanel, journalFile: string): Result<ReportSession> {
    const holder: { ready: boolean } = { ready: false };
    const session = new ReportSession(journalFile, this.ui({ panel, holder }), this.sessionDeps());
    const opened = session.open();
    if (!opened.ok) {
      void vscode.window.showErrorMessage(`JupyterHub Ops: ${opened.error.userMessage}`);
      return err(opened.error);
    }
    if (opened.value.notice) void vscode.window.showWarningMessage(`JupyterHub Ops: ${opened.value.notice}`);
    const webview = panel.webview;
    const asset = (...path: string[]) =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    panel.title = `Report: ${titleOf(session) ?? basename(journalFile)}`;
    panel.iconPath = new vscode.ThemeIcon('notebook');
    const receiving = webview.onDidReceiveMessage((message: unknown) => {
      // Nothing is posted before the page says it listens; a reloaded page says so again.
      if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'ready')
        holder.ready = true;
      void session.receive(message);
    });
    webview.html = reportHtml({
      cspSource: webview.cspSource,
      scriptUri: asset('dist', 'webview', 'report.js'),
      styleUri: asset('media', 'report.css'),
    });
    this.open.set(journalFile, { panel, session });
    void this.deps.lastShown.set(journalFile);
    // A hidden page is unloaded (no retainContextWhenHidden): it says `ready` again when shown.
    const visibility = panel.onDidChangeViewState(() => {
      if (!panel.visible) holder.ready = false;
    });
    panel.onDidDispose(() => {
      receiving.dispose();
      visibility.dispose();
      if (this.open.get(journalFile)?.panel === panel) this.open.delete(journalFile);
    });
    return { ok: true, value: session };
  }

  private sessionDeps() {
    return { timezone: this.deps.timezone, log: this.deps.log };
  }

  private resourceRoots(): vscode.Uri[] {
    return [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')];
  }

  private ui(target: { panel: vscode.WebviewPanel; holder: { ready: boolean } } | undefined): ReportUi {
    return {
      post(message: ToWebview) {
        if (target?.holder.ready) void target.panel.webview.postMessage(message);
      },
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
    for (const { panel } of this.open.values()) panel.dispose();
    this.open.clear();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

function titleOf(session: ReportSession): string | undefined {
  const view = session.view();
  return view.ok ? view.value.title : undefined;
}

/** For callers without a journal: the current incident's, or why there is none. */
export function currentJournalFile(store: IncidentStore): Result<string> {
  const journal = store.current;
  return journal
    ? { ok: true, value: journal.file }
    : err(new UserError('No incident is open: start one, or make one current in the Incident view.', 'incident-none'));
}
