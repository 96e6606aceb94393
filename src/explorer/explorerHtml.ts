import { randomBytes } from 'node:crypto';

export interface ExplorerPage {
  /** `webview.cspSource`: where the page may load its script, stylesheet and fonts from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** Shown until the script takes over; text only. */
  title: string;
  /** Fresh per load; tests pass their own. */
  nonce?: string;
}

/** A fresh nonce for one page load. */
export const makeNonce = (): string => randomBytes(18).toString('base64url');

/**
 * The explorer page: nothing inline but the nonce'd script tag, a CSP that allows only this extension's
 * script and stylesheet, and the nonce in a meta tag for the toolkit's own <style> (FAST reads it).
 * sql.js runs in the host's worker, so the page needs no 'wasm-unsafe-eval' and no connect-src.
 */
export function explorerHtml(page: ExplorerPage): { html: string; nonce: string } {
  const nonce = page.nonce ?? makeNonce();
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
<main id="app" class="app"><p class="loading">Opening ${text(page.title)}…</p></main>
<script nonce="${attr(nonce)}" src="${attr(page.scriptUri)}"></script>
</body>
</html>
`;
  return { html, nonce };
}

const text = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const attr = (value: string) => text(value).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
