import * as vscode from 'vscode';
import { inertText } from '../shared/untrustedText';

/**
 * Markdown hovers built from cluster text. Every value goes through `inertText(…, 'markdown')`: pod, user and
 * server names, event messages and log lines come from the cluster and can be hostile (links, HTML,
 * headings). The MarkdownString is neither trusted nor HTML-enabled on top of that.
 */
export class Tooltip {
  private readonly lines: string[] = [];

  /** A bold title line (escaped). */
  title(text: string, suffix = ''): this {
    this.lines.push(`**${inertText(text, 'markdown')}**${suffix ? ` ${inertText(suffix, 'markdown')}` : ''}`, '');
    return this;
  }

  /** `- label: value` (both escaped: labels can hold a container name); skipped when the value is empty. */
  field(label: string, value: string | number | null | undefined): this {
    if (value === null || value === undefined || value === '') return this;
    this.lines.push(`- ${inertText(label, 'markdown')}: ${inertText(String(value), 'markdown')}`);
    return this;
  }

  /** A paragraph of cluster text (escaped). */
  text(text: string): this {
    if (text) this.lines.push('', inertText(text, 'markdown'), '');
    return this;
  }

  /** A bulleted list of cluster text (escaped). */
  list(heading: string, items: readonly string[]): this {
    if (items.length === 0) return this;
    this.lines.push('', `${heading}:`, ...items.map((item) => `- ${inertText(item, 'markdown')}`), '');
    return this;
  }

  build(): vscode.MarkdownString {
    const markdown = new vscode.MarkdownString(this.lines.join('\n'));
    markdown.isTrusted = false;
    markdown.supportHtml = false;
    return markdown;
  }
}
