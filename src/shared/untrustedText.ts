/**
 * Text that came from a hub, a cluster or a journal (user and server names, pod events, notes written by
 * other tools) is untrusted: an ESC sequence repaints the operator's terminal, a bidi override makes
 * "\u202eevil" read "live", a newline in a user name adds a line that looks like ours, `$…$` turns into
 * math on GitHub. `inertText` makes such a string inert for the place it goes (its sink):
 *
 * - `line`: one line of plain text (a table cell, a tree label, a log line): every control, format and
 *   line-separator character becomes a visible escape, line breaks included (`\n`, `\r`, `\t`, `\x1b`,
 *   `\x00`, `\u202e`, `\u{e0041}`);
 * - `terminal`: plain text that may span lines (a whole report on stdout, a tooltip): the same, except
 *   that `\n` and tab stay as they are;
 * - `markdown`: inline Markdown (a paragraph, a list item, a table cell): line breaks become spaces, the
 *   rest as `line`, then HTML and Markdown punctuation are escaped, `$` included so GitHub shows no math.
 *
 * The characters escaped are Unicode's control (Cc), format (Cf: bidi overrides and isolates, zero-width
 * characters, the BOM, tag characters) and line/paragraph separators (Zl, Zp). A backslash is left as it
 * is, so a name that spells `\x1b` and one holding ESC print alike: the point is that neither acts.
 *
 * Pure and free of Node APIs: the webviews draw database text with it too.
 */

export type TextSink = 'line' | 'terminal' | 'markdown';

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const INVISIBLE_BUT_LAYOUT = /[^\n\t\P{Cc}]|[\p{Cf}\p{Zl}\p{Zp}]/gu;
const LINE_BREAKS = /[\n\r\u2028\u2029\u0085]+/g;
const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The visible escape for one invisible character. */
function escapeOne(c: string): string {
  const known = named[c];
  if (known) return known;
  const code = c.codePointAt(0)!;
  const hex = code.toString(16);
  if (code <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  return code <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`;
}

/** Makes untrusted text inert for `sink` (see the module comment). */
export function inertText(text: string, sink: TextSink): string {
  switch (sink) {
    case 'line':
      return text.replace(INVISIBLE, escapeOne);
    case 'terminal':
      return text.replace(INVISIBLE_BUT_LAYOUT, escapeOne);
    case 'markdown':
      return escapeMarkdown(text.replace(LINE_BREAKS, ' ').replace(INVISIBLE, escapeOne));
  }
}

/**
 * JSON for a terminal: the same value, with every invisible character that `JSON.stringify` leaves raw
 * (C1 controls, bidi and zero-width characters, U+2028/2029) written as a `\uXXXX` escape.
 */
export function terminalJson(value: unknown, indent = 2): string {
  // Raw newlines and tabs in JSON text are indentation: JSON.stringify escapes them inside strings.
  const units = (c: string) => Array.from({ length: c.length }, (_, i) => c.charCodeAt(i));
  return JSON.stringify(value, null, indent).replace(INVISIBLE_BUT_LAYOUT, (c) =>
    units(c)
      .map((u) => `\\u${u.toString(16).padStart(4, '0')}`)
      .join(''),
  );
}

/**
 * HTML becomes entities and Markdown punctuation is backslash-escaped, so the text renders literally
 * instead of as links, HTML, math or a broken table.
 */
function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/[\\`*_[\]{}#|~!$]/g, '\\$&')
      // GFM turns bare URLs, www. names and e-mail addresses into links: an escape keeps them text.
      .replace(/:\/\//g, '\\://')
      .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\\.`)
      .replace(/@/g, '\\@')
      // Only a marker followed by a space starts a list: "- x", "1. x"; "5.3.0" and "-n" stay as they are.
      .replace(/^(\s*)([-+])(?=\s|$)/, '$1\\$2')
      .replace(/^(\s*\d+)([.)])(?=\s|$)/, '$1\\$2')
  );
}
