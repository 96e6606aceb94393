import * as vscode from 'vscode';
import { messageOf, UserError } from '../core/result';
import { redactText } from '../core/secrets';
import { redactedLog, type Log } from './redactedLog';

export type { Log } from './redactedLog';

/**
 * Opens the extension's one log, "JupyterHub Ops" in the Output panel (also written to VS Code's log
 * folder), every line redacted; call once, in `activate`, and hand it to each feature.
 */
export function openLog(): Log & vscode.Disposable {
  const channel = vscode.window.createOutputChannel('JupyterHub Ops', { log: true });
  return { ...redactedLog((level, line) => channel[level](line)), dispose: () => channel.dispose() };
}

/**
 * Tells the operator that something failed, in one sentence (secrets redacted), and puts the detail in
 * the log. A `UserError` shows its own message; anything else shows "`doing` failed: message". A cancel (code
 * `cancelled`) is only logged. Returns undefined, so command handlers can `return showUserError(…)`.
 */
export function showUserError(log: Log, error: unknown, doing?: string): undefined {
  const what = doing ?? 'JupyterHub Ops';
  if (error instanceof UserError) {
    if (error.code === 'cancelled') {
      log.info(`${what}: cancelled`);
      return undefined;
    }
    log.error(`${what} failed (${error.code}): ${error.userMessage}`);
    if (error.cause !== undefined) log.error(error.cause instanceof Error ? error.cause : messageOf(error.cause));
  } else {
    log.error(`${what} failed: ${messageOf(error)}`);
    if (error instanceof Error && error.stack) log.error(error);
  }
  const message =
    error instanceof UserError ? error.userMessage : `${doing ? `${doing} failed: ` : ''}${messageOf(error)}`;
  void vscode.window.showErrorMessage(`JupyterHub Ops: ${redactText(message)}`);
  return undefined;
}
