import * as vscode from 'vscode';
import type { HubDbAnalysis } from '../core/hubdb';
import { explorerHtml } from './explorerHtml';
import { HubDbDocument } from './hubDbDocument';
import { ExplorerSession, type ExplorerSessionDeps } from './explorerSession';
import { VscodeExplorerUi } from './vscodeExplorerUi';
import type { AnalysisOptions } from './worker/workerProtocol';

/**
 * The read-only custom editor for *.sqlite and *.db: the document holds the bytes, each tab gets its
 * own page and worker. There is no save, no edit and no backup: the file is only ever read.
 */
export interface HubDbAnalysed {
  uri: vscode.Uri;
  analysis: HubDbAnalysis;
  options: AnalysisOptions;
}

export class HubDbEditorProvider implements vscode.CustomReadonlyEditorProvider<HubDbDocument> {
  private readonly sessions = new Map<string, Set<ExplorerSession>>();
  private readonly analysisRequests = new Map<string, AnalysisOptions>();
  private readonly analysed = new vscode.EventEmitter<HubDbAnalysed>();
  /** Every analysis run in an explorer tab, with the file it analysed. */
  readonly onDidAnalyze = this.analysed.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: ExplorerSessionDeps,
  ) {}

  openCustomDocument(uri: vscode.Uri): Promise<HubDbDocument> {
    return HubDbDocument.open(uri);
  }

  resolveCustomEditor(document: HubDbDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    const asset = (...path: string[]) =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    webview.options = {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
    };
    webview.html = explorerHtml({
      cspSource: webview.cspSource,
      scriptUri: asset('dist', 'webview', 'explorer.js'),
      styleUri: asset('media', 'explorer.css'),
      title: document.file.info.name,
    }).html;

    const session = new ExplorerSession(document.file, new VscodeExplorerUi(panel, document.uri), {
      ...this.deps,
      onAnalysis: (analysis, options) => this.analysed.fire({ uri: document.uri, analysis, options }),
    });
    const receiving = webview.onDidReceiveMessage((message: unknown) => void session.receive(message));
    const key = document.uri.toString();
    const forUri = this.sessions.get(key) ?? new Set();
    forUri.add(session);
    this.sessions.set(key, forUri);
    const analysis = this.analysisRequests.get(key);
    if (analysis) {
      this.analysisRequests.delete(key);
      session.showAnalysis(analysis);
    }
    panel.onDidDispose(() => {
      receiving.dispose();
      void session.dispose();
      forUri.delete(session);
      if (forUri.size === 0) this.sessions.delete(key);
    });
  }

  /**
   * Asks the explorer of `uri` to show its analysis tab: the open tabs now, or the next one to open
   * (call this before `vscode.openWith`).
   */
  requestAnalysis(uri: vscode.Uri, options: AnalysisOptions): void {
    const open = this.sessions.get(uri.toString());
    if (open && open.size > 0) for (const session of open) session.showAnalysis(options);
    else this.analysisRequests.set(uri.toString(), options);
  }

  dispose(): void {
    for (const sessions of this.sessions.values()) for (const session of sessions) void session.dispose();
    this.sessions.clear();
    this.analysed.dispose();
  }
}
