import { randomBytes } from 'node:crypto';

/** What a webview page needs: where its one script and one stylesheet live, and what it says while loading. */
export interface WebviewPage {
  /** `webview.cspSource`: where the page may load its script, stylesheet and fonts from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** The document title; text only. */
  title: string;
  /** Shown until the script takes over; text only. */
  loading: string;
  /** Fresh per load; tests pass their own. */
  nonce?: string;
}

/**
 * Every webview of the extension is this page: nothing inline but the nonce'd script tag; a CSP that allows
 * only this extension's script, stylesheet and fonts (no 'unsafe-inline', no eval, no connect-src: pages only
 * render what the host posts, and sql.js runs in the host's worker, not here); and the nonce in
 * `<meta property="csp-nonce">` for the webview toolkit's own `<style>` (FAST reads it).
 */
export function webviewPageHtml(page: WebviewPage): { html: string; nonce: string } {
  const nonce = page.nonce ?? randomBytes(18).toString('base64url');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${page.cspSource} 'nonce-${nonce}'`,
    `font-src ${page.cspSource}`,
    `img-src ${page.cspSource} data:`,
  ].join('; ');
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta property="csp-nonce" content="${attr(nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(page.styleUri)}" nonce="${attr(nonce)}">
<title>${text(page.title)}</title>
</head>
<body>
<main id="app" class="app"><p class="loading muted">${text(page.loading)}</p></main>
<script nonce="${attr(nonce)}" src="${attr(page.scriptUri)}"></script>
</body>
</html>
`;
  return { html, nonce };
}

const text = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const attr = (value: string) => text(value).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
