import assert from 'node:assert/strict';
import { webviewPageHtml } from '../../../src/vscode/webviewPage';

/** The explorer's page, as its webview host builds it. */
const explorerHtml = (page: {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  title: string;
  nonce?: string;
}) => webviewPageHtml({ ...page, loading: `Opening ${page.title}…` });

describe('webview page HTML (every webview of the extension)', () => {
  const page = {
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/explorer.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/explorer.css',
    title: '"><script>alert(1)</script>.sqlite',
  };

  it('carries a strict CSP with a fresh nonce per load, and the nonce meta tag for the toolkit', () => {
    const first = explorerHtml(page);
    const second = explorerHtml(page);
    assert.notEqual(first.nonce, second.nonce);
    assert.match(first.nonce, /^[A-Za-z0-9_-]{24}$/);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(first.html)![1]!.replace(/&#39;/g, "'");
    assert.deepEqual(csp.split('; '), [
      "default-src 'none'",
      `script-src 'nonce-${first.nonce}'`,
      `style-src ${page.cspSource} 'nonce-${first.nonce}'`,
      `font-src ${page.cspSource}`,
      `img-src ${page.cspSource} data:`,
    ]);
    assert.ok(!csp.includes('unsafe'), 'no unsafe-inline, no unsafe-eval, no wasm-unsafe-eval');
    assert.ok(first.html.includes(`<meta property="csp-nonce" content="${first.nonce}">`));
  });

  it('has exactly one script, nonce-tagged, and no inline handlers or style attributes', () => {
    const { html, nonce } = explorerHtml({ ...page, nonce: 'N0nce' });
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.ok(html.includes(`<script nonce="N0nce" src="${page.scriptUri}"></script>`));
    assert.equal(nonce, 'N0nce');
    assert.ok(!/\son[a-z]+=/i.test(html), 'no on… attributes');
    assert.ok(!/\sstyle=/i.test(html), 'no style attributes');
  });

  it('escapes the file name it shows while loading', () => {
    const { html } = explorerHtml(page);
    assert.ok(!html.includes('<script>alert(1)</script>'));
    assert.ok(html.includes('Opening "&gt;&lt;script&gt;alert(1)&lt;/script&gt;.sqlite…'));
    assert.ok(html.includes('<title>"&gt;&lt;script&gt;alert(1)&lt;/script&gt;.sqlite</title>'));
  });
});
