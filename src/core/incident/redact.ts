/**
 * Reports get pasted into public issues: every string that reaches one goes through the core's secret
 * detector (src/core/secrets), and every string that came from the cluster, the hub or a note goes
 * through `escapeMarkdown` so a hostile pod or user name renders as literal text instead of links, HTML
 * or table breakage.
 */
import { redactText } from '../secrets';

/**
 * Makes untrusted text render literally inside a Markdown paragraph, list item or table cell: HTML
 * becomes entities, Markdown punctuation is backslash-escaped, line breaks become spaces (a newline in a
 * pod event must not start a heading or end a table row).
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/[\r\n\u2028\u2029]+/g, ' ')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/[\\`*_[\]{}#|~!]/g, '\\$&')
      // GFM turns bare URLs, www. names and e-mail addresses into links: an escape keeps them text.
      .replace(/:\/\//g, '\\://')
      .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\\.`)
      .replace(/@/g, '\\@')
      // Only a marker followed by a space starts a list: "- x", "1. x"; "5.3.0" and "-n" stay as they are.
      .replace(/^(\s*)([-+])(?=\s|$)/, '$1\\$2')
      .replace(/^(\s*\d+)([.)])(?=\s|$)/, '$1\\$2')
  );
}

/** Redact, then escape: the one call for a string from the journal going into Markdown. */
export function safeText(text: string): string {
  return escapeMarkdown(redactText(text));
}
