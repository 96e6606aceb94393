import * as vscode from 'vscode';
import type { ExplorerUi } from './explorerEditor';

const REVEAL = 'Reveal Secrets';

/** What an explorer editor asks of VS Code: a modal, the save dialog, the clipboard. */
export class VscodeExplorerUi implements ExplorerUi {
  constructor(private readonly documentUri: vscode.Uri) {}

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
    const folder = this.documentUri.scheme === 'file' ? vscode.Uri.joinPath(this.documentUri, '..') : undefined;
    const target = await vscode.window.showSaveDialog({
      title: `Export the result as ${format.toUpperCase()}`,
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${stem}-result.${format}`) : undefined,
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
