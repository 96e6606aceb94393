import * as vscode from 'vscode';
import { redactingLog } from './core/secrets';
import { inertText } from './core/text/untrustedText';

/** The extension's one log: an output channel "JupyterHub Ops" (also written to VS Code's log folder). */
export interface ExtensionLog extends vscode.Disposable {
  /** Writes a warning line, with every secret in it replaced by ‹redacted› first. */
  warn(line: string): void;
}

/**
 * Creates the log every feature writes to. Lines carry error messages, file and pod names, and text out
 * of journals and hub databases: each goes through the core's secret detector before VS Code sees it.
 */
export function createExtensionLog(): ExtensionLog {
  const channel = vscode.window.createOutputChannel('JupyterHub Ops', { log: true });
  // Redacted first, then one inert line: a name or journal text cannot add a line or carry ESC or bidi.
  const warn = redactingLog((line) => channel.warn(inertText(line, 'line')));
  return { warn, dispose: () => channel.dispose() };
}
