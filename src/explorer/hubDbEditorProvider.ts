import * as vscode from 'vscode';
import type { HubDbAnalysis } from '../core/hubdb';
import { explorerPage, type ToHost, type ToWebview } from '../protocol/explorerProtocol';
import type { Log } from '../vscode/log';
import { WebviewHost } from '../vscode/webviewHost';
import type { AnalysisStanding, ExplorerEditor } from './explorerEditor';
import type { FileOrigin } from '../protocol/explorerProtocol';
import { HubDbDocument } from './hubDbDocument';
import type { SqlWorkerOptions } from './sqlWorkerClient';
import type { ViewMemory } from './viewMemory';
import type { AnalysisOptions } from './worker/workerProtocol';

/** An analysis run in an explorer editor, with the file it analysed. */
export interface HubDbAnalysed {
  uri: vscode.Uri;
  analysis: HubDbAnalysis;
  options: AnalysisOptions;
  /** Evidence (a snapshot at its hub's settings), a what-if, or the analysis of another file. */
  standing: AnalysisStanding;
}

/** Says where a file came from (a snapshot of a known hub), or undefined for any other file. */
export type FileOrigins = (uri: vscode.Uri) => Promise<FileOrigin | undefined>;

/**
 * The read-only custom editor for *.sqlite and *.db: the document holds the bytes, each editor (tab) gets
 * its own page and worker. There is no save, no edit and no backup: the file is only ever read.
 */
export class HubDbEditorProvider implements vscode.CustomReadonlyEditorProvider<HubDbDocument> {
  private readonly editors = new Map<string, Set<ExplorerEditor>>();
  private readonly analysisRequests = new Map<string, AnalysisOptions>();
  private readonly analysed = new vscode.EventEmitter<HubDbAnalysed>();
  /** Every analysis run in an explorer editor, with the file it analysed. */
  readonly onDidAnalyze = this.analysed.event;
  /** Set by the snapshot feature: which files are snapshots of which hub, at which settings. */
  origins: FileOrigins | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: { worker: SqlWorkerOptions; log: Log; views?: ViewMemory },
  ) {}

  openCustomDocument(uri: vscode.Uri): Promise<HubDbDocument> {
    return HubDbDocument.open(uri);
  }

  async resolveCustomEditor(document: HubDbDocument, panel: vscode.WebviewPanel): Promise<void> {
    // The editor's code is a bundle of its own, loaded when the first hub DB opens.
    let closed = false;
    const closing = panel.onDidDispose(() => (closed = true));
    const { ExplorerEditor, VscodeExplorerUi } = await import('./explorerBundle');
    closing.dispose();
    if (closed) return;
    const host = new WebviewHost<ToHost, ToWebview>(panel, {
      extensionUri: this.extensionUri,
      app: 'explorer',
      protocol: explorerPage,
      log: this.deps.log,
      title: document.file.info.name,
      loading: `Opening ${document.file.info.name}…`,
      retainsContext: true,
    });
    const editor = new ExplorerEditor(document.file, host.page, new VscodeExplorerUi(), {
      ...this.deps,
      onAnalysis: (analysis, options, standing) =>
        this.analysed.fire({ uri: document.uri, analysis, options, standing }),
      origin: async () => (await this.origins?.(document.uri)) ?? null,
      view: this.deps.views && {
        get: () => this.deps.views?.get(document.uri.toString()) ?? null,
        update: (change) => this.deps.views?.update(document.uri.toString(), change),
      },
    });
    const key = document.uri.toString();
    const forUri = this.editors.get(key) ?? new Set();
    forUri.add(editor);
    this.editors.set(key, forUri);
    const analysis = this.analysisRequests.get(key);
    if (analysis) {
      this.analysisRequests.delete(key);
      editor.showAnalysis(analysis);
    }
    panel.onDidDispose(() => {
      host.dispose();
      void editor.dispose();
      forUri.delete(editor);
      if (forUri.size === 0) this.editors.delete(key);
    });
  }

  /**
   * Asks the explorer of `uri` to show its analysis tab: the open editors now, or the next one to open
   * (call this before `vscode.openWith`).
   */
  requestAnalysis(uri: vscode.Uri, options: AnalysisOptions): void {
    const open = this.editors.get(uri.toString());
    if (open && open.size > 0) for (const editor of open) editor.showAnalysis(options);
    else this.analysisRequests.set(uri.toString(), options);
  }

  dispose(): void {
    for (const editors of this.editors.values()) for (const editor of editors) void editor.dispose();
    this.editors.clear();
    this.analysed.dispose();
  }
}
