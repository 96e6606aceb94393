import * as vscode from 'vscode';
import { redactingLog } from './core/secrets';

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
  const warn = redactingLog((line) => channel.warn(line));
  return { warn, dispose: () => channel.dispose() };
}
