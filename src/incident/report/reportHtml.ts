import { webviewPageHtml } from '../../webviewPage';

export interface ReportPage {
  /** `webview.cspSource`: where the page may load its script, stylesheet and fonts from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** Fresh per load; tests pass their own. */
  nonce?: string;
}

/** The incident report page (see webviewPageHtml for its CSP). */
export function reportHtml(page: ReportPage): string {
  return webviewPageHtml({ ...page, title: 'Incident report', loading: 'Drafting the incident report…' }).html;
}
