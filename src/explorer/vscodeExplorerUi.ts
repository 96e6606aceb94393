import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { ExplorerUi } from './explorerEditor';

const REVEAL = 'Reveal Secrets';

/** What an explorer editor asks of VS Code: a modal, the save dialog, the clipboard. */
export class VscodeExplorerUi implements ExplorerUi {
  async confirmRevealSecrets(fileName: string): Promise<boolean> {
    const choice = await vscode.window.showWarningMessage(
      `Reveal secrets in ${fileName} for this editor?`,
      {
        modal: true,
        detail:
          'Token hashes, OAuth secrets and codes, cookie ids, auth state and secret-looking JSON keys will show in the grid and in exports until you hide them again or close this editor. Make sure nobody is watching your screen.',
      },
      REVEAL,
    );
    return choice === REVEAL;
  }

  async pickExportPath(format: 'csv' | 'json', fileName: string): Promise<string | null | { problem: string }> {
    const stem = fileName.replace(/\.[^.]*$/, '') || 'hub-db';
    // Where the operator keeps their work: the workspace, else their home; never beside a snapshot, which
    // lives deep in the extension's storage.
    const folder =
      vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri ?? vscode.Uri.file(homedir());
    const target = await vscode.window.showSaveDialog({
      title: `Export the result as ${format.toUpperCase()}`,
      defaultUri: vscode.Uri.joinPath(folder, `${stem}-result.${format}`),
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    });
    if (!target) return null;
    if (target.scheme !== 'file')
      return { problem: 'Choose a file on this machine: exports are streamed straight to disk.' };
    return target.fsPath;
  }

  async copyText(text: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
  }
}
