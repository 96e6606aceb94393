import { webviewPageHtml } from '../webviewPage';

export interface ExplorerPage {
  /** `webview.cspSource`: where the page may load its script, stylesheet and fonts from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** The DB file's name; text only. */
  title: string;
  /** Fresh per load; tests pass their own. */
  nonce?: string;
}

/** The explorer page (see webviewPageHtml for its CSP). */
export function explorerHtml(page: ExplorerPage): { html: string; nonce: string } {
  return webviewPageHtml({ ...page, loading: `Opening ${page.title}…` });
}
