import assert from 'node:assert/strict';
import { inertText, terminalJson } from '../../../src/shared/untrustedText';

/** Everything a terminal, a Markdown renderer or a tree label could act on, one of each kind. */
const HOSTILE = [
  '\u001b[2J\u001b[31mred\u001b[0m', // ESC: clear screen, colours
  'nul\u0000byte',
  'c1\u009b31mcsi', // 8-bit CSI
  'del\u007f',
  '\u202eevil\u202c', // right-to-left override
  'iso\u2066late\u2069',
  'zero\u200bwidth',
  'line\u2028sep\u2029para',
  'bom\ufeff',
  'tag\u{e0041}\u{e007f}',
  'cr\roverwrite',
];

describe('untrusted text made inert', () => {
  it('line: every control, format and separator character becomes a visible escape', () => {
    assert.equal(inertText('a\nb\r\n\tc', 'line'), 'a\\nb\\r\\n\\tc');
    assert.equal(inertText('\u001b[31mred', 'line'), '\\x1b[31mred');
    assert.equal(inertText('nul\u0000', 'line'), 'nul\\x00');
    assert.equal(inertText('\u202eevil\u202c', 'line'), '\\u202eevil\\u202c');
    assert.equal(inertText('c1\u009b', 'line'), 'c1\\x9b');
    assert.equal(inertText('tag\u{e0041}', 'line'), 'tag\\u{e0041}');
    assert.equal(inertText('ünïcödé-名前-🚀 <b> back\\slash $x$', 'line'), 'ünïcödé-名前-🚀 <b> back\\slash $x$');
    for (const text of HOSTILE) {
      const inert = inertText(text, 'line');
      assert.doesNotMatch(inert, /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u, JSON.stringify(text));
      assert.ok(!inert.includes('\n'));
    }
  });

  it('terminal: keeps line breaks and tabs, escapes the rest (CR too: it overwrites a line)', () => {
    assert.equal(inertText('one\n\ttwo\r\u001b[2K', 'terminal'), 'one\n\ttwo\\r\\x1b[2K');
    for (const text of HOSTILE) assert.doesNotMatch(inertText(text, 'terminal'), /[^\n\t\P{Cc}]|[\p{Cf}\p{Zl}\p{Zp}]/u);
  });

  it('markdown: one line, HTML and Markdown punctuation escaped, and no math', () => {
    assert.equal(inertText('costs $5 and $10', 'markdown'), 'costs \\$5 and \\$10');
    assert.equal(inertText('$x^2$', 'markdown'), '\\$x^2\\$');
    assert.equal(inertText('a\nb\u2028c', 'markdown'), 'a b c');
    assert.equal(inertText('<img src=x> **b** | c', 'markdown'), '&lt;img src=x&gt; \\*\\*b\\*\\* \\| c');
    assert.equal(inertText('\u001b[31m \u202e', 'markdown'), '\\\\x1b\\[31m \\\\u202e');
    assert.equal(inertText('- item', 'markdown'), '\\- item');
    assert.equal(inertText('1. x', 'markdown'), '1\\. x');
    assert.equal(inertText('&lt;', 'markdown'), '&amp;lt;');
    assert.equal(inertText('jupyter-li-wei---0a5df1f7 5.3.0', 'markdown'), 'jupyter-li-wei---0a5df1f7 5.3.0');
    assert.equal(inertText('see https://x.org', 'markdown'), 'see https\\://x.org');
    for (const text of HOSTILE) assert.doesNotMatch(inertText(text, 'markdown'), /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
  });

  it('terminal JSON: the same value, with C1, bidi and separators escaped', () => {
    const value = { user: 'a\u009bb\u202ec\u2028d\u{e0041}', n: [1, 2] };
    const json = terminalJson(value);
    assert.deepEqual(JSON.parse(json), value);
    assert.doesNotMatch(json, /[^\n\P{Cc}]|[\p{Cf}\p{Zl}\p{Zp}]/u);
    assert.match(json, /"user": "a\\u009bb\\u202ec\\u2028d\\udb40\\udc41"/);
    assert.match(json, /^\{\n {2}"user"/);
  });
});
