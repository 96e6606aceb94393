import * as vscode from 'vscode';

/**
 * Registers a command whose feature has not shipped: it says so plainly instead of doing nothing.
 * Returns the message it showed, so tests in the host can check it.
 */
export function registerNotAvailableYet(id: string, feature: string): vscode.Disposable {
  return vscode.commands.registerCommand(id, () => {
    const message = `JupyterHub Ops: ${feature} is not available yet in this version.`;
    void vscode.window.showInformationMessage(message);
    return message;
  });
}
