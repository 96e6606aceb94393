import * as vscode from 'vscode';
import type { ReadinessReport } from '../core/readiness';
import { readinessPage, type ToHost, type ToWebview } from '../protocol/readinessProtocol';
import { webviews } from '../vscode/contributes';
import type { Log } from '../vscode/log';
import { WebviewHost } from '../vscode/webviewHost';
import { ReadinessSession, type ReadinessUi } from './readinessSession';

interface OpenPanel {
  panel: vscode.WebviewPanel;
  host: WebviewHost<ToHost, ToWebview>;
  session: ReadinessSession;
}

/**
 * The readiness panels, one per hub: checking a hub again shows the new result in its panel. A panel is
 * a reading of the cluster at one time, so VS Code does not restore it after a reload (export keeps it).
 */
export class ReadinessPanels implements vscode.Disposable {
  private readonly open = new Map<string, OpenPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
  ) {}

  /** Shows `report` in its hub's panel (a new one, or the hub's existing one) and returns its session. */
  show(report: ReadinessReport, profile: string | null): ReadinessSession {
    const key = `${report.hub.context}\u0000${report.hub.namespace}`;
    const existing = this.open.get(key);
    existing?.host.dispose();
    const panel =
      existing?.panel ??
      vscode.window.createWebviewPanel(webviews.readiness, 'Readiness', vscode.ViewColumn.Active, {
        ...WebviewHost.options(this.extensionUri),
        // The page is small and holds the operator's choice of view: keep it while hidden.
        retainContextWhenHidden: true,
      });
    const host = new WebviewHost<ToHost, ToWebview>(panel, {
      extensionUri: this.extensionUri,
      app: 'readiness',
      protocol: readinessPage,
      log: this.log,
      title: 'Readiness',
      loading: 'Simulating the start-up…',
      retainsContext: true,
    });
    const session = new ReadinessSession(report, profile, host.page, this.ui());
    panel.title = `Readiness: ${report.hub.namespace} × ${report.plan.attendees}`;
    panel.iconPath = new vscode.ThemeIcon('pulse');
    if (!existing)
      panel.onDidDispose(() => {
        this.open.get(key)?.host.dispose();
        this.open.delete(key);
      });
    this.open.set(key, { panel, host, session });
    panel.reveal();
    return session;
  }

  /** The session shown for a hub (tests drive the page's side through it). */
  sessionOf(context: string, namespace: string): ReadinessSession | undefined {
    return this.open.get(`${context}\u0000${namespace}`)?.session;
  }

  private ui(): ReadinessUi {
    return {
      async copyText(text) {
        await vscode.env.clipboard.writeText(text);
      },
      workspaceFolder() {
        return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
      },
      async chooseExportFile(proposed) {
        const uri = await vscode.window.showSaveDialog({
          title: 'Export readiness as Markdown (the chart is written beside it as .svg)',
          defaultUri: vscode.Uri.file(proposed),
          filters: { Markdown: ['md'] },
          saveLabel: 'Export',
        });
        return uri?.fsPath;
      },
      async showFile(file) {
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
  }
}
