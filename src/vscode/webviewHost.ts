import * as vscode from 'vscode';
import type { Log } from './log';
import { PageConnection, type PageProtocol } from './pageConnection';
import { webviewPageHtml } from './webviewPage';

/** The webview apps the build bundles: dist/webview/<app>.js and dist/webview/<app>.css (webview/<app>/). */
export type WebviewApp = 'explorer' | 'report' | 'readiness';

export interface WebviewHostOptions<ToHost extends { type: string }, ToWebview> {
  extensionUri: vscode.Uri;
  app: WebviewApp;
  protocol: PageProtocol<ToHost, ToWebview>;
  log: Log;
  /** The document title, and what the page says until its script takes over (text only). */
  title: string;
  loading: string;
  /**
   * Whether the panel keeps its page while hidden (`retainContextWhenHidden`). When it does not, VS Code
   * unloads the page on hide, and the host stops posting until the page says `ready` again.
   */
  retainsContext: boolean;
}

/**
 * The one host of a webview page (the explorer's custom editor and the report panel alike): the panel's
 * options (scripts on, only dist/webview/ readable), the CSP page with a fresh nonce (webviewPage.ts),
 * and the page's `PageConnection` (validated receive, ready handshake, replies by sequence number).
 * The feature behind the page makes itself the connection's handler.
 */
export class WebviewHost<ToHost extends { type: string }, ToWebview> implements vscode.Disposable {
  readonly page: PageConnection<ToHost, ToWebview>;
  private readonly subscriptions: vscode.Disposable[];

  /** What a webview of ours may do: run its one script, read only the bundles in dist/webview/. */
  static options(extensionUri: vscode.Uri): vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    options: WebviewHostOptions<ToHost, ToWebview>,
  ) {
    const webview = panel.webview;
    this.page = new PageConnection(options.protocol, (message) => void webview.postMessage(message), options.log);
    const asset = (file: string) =>
      webview.asWebviewUri(vscode.Uri.joinPath(options.extensionUri, 'dist', 'webview', file)).toString();
    webview.options = WebviewHost.options(options.extensionUri);
    this.subscriptions = [
      webview.onDidReceiveMessage((message: unknown) => void this.page.receive(message)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible && !options.retainsContext) this.page.unloaded();
      }),
    ];
    webview.html = webviewPageHtml({
      cspSource: webview.cspSource,
      scriptUri: asset(`${options.app}.js`),
      styleUri: asset(`${options.app}.css`),
      title: options.title,
      loading: options.loading,
    }).html;
  }

  dispose(): void {
    this.page.close();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}
