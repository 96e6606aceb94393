import { randomBytes } from 'node:crypto';

export interface ReportPage {
  /** `webview.cspSource`: where the page may load its script, stylesheet and fonts from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** Fresh per load; tests pass their own. */
  nonce?: string;
}

/**
 * The report page: one nonce'd script, this extension's stylesheet, nothing inline. The nonce is also in
 * `<meta property="csp-nonce">` for the toolkit's own `<style>` (FAST reads it). No connect-src, no
 * 'unsafe-inline', no eval: the page only renders what the host posts.
 */
export function reportHtml(page: ReportPage): string {
  const nonce = page.nonce ?? randomBytes(18).toString('base64url');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${page.cspSource} 'nonce-${nonce}'`,
    `font-src ${page.cspSource}`,
    `img-src ${page.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta property="csp-nonce" content="${attr(nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(page.styleUri)}" nonce="${attr(nonce)}">
<title>Incident report</title>
</head>
<body>
<main id="app" class="app"><p class="muted">Drafting the incident report…</p></main>
<script nonce="${attr(nonce)}" src="${attr(page.scriptUri)}"></script>
</body>
</html>
`;
}

const attr = (value: string) =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
