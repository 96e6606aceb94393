import * as vscode from 'vscode';

/**
 * Colours the label of rows that need attention (an OOMKilled hub or pod in the error colour, a waiting
 * one in the warning colour): a TreeItem's label has no colour of its own, but a FileDecorationProvider
 * colours rows by their `resourceUri`. The URI carries only the tone and the row id, never a secret.
 */
export const rowScheme = 'jupyterhub-ops-row';

export type RowTone = 'oom' | 'db-oom' | 'error' | 'warning';
const tones: readonly string[] = ['oom', 'db-oom', 'error', 'warning'] satisfies RowTone[];

export function rowUri(tone: RowTone, id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: rowScheme, path: `/${tone}/${encodeURIComponent(id)}` });
}

export function toneOf(uri: vscode.Uri): RowTone | undefined {
  if (uri.scheme !== rowScheme) return undefined;
  const tone = uri.path.split('/')[1];
  return tone && tones.includes(tone) ? (tone as RowTone) : undefined;
}

export class RowDecorations implements vscode.FileDecorationProvider {
  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    switch (toneOf(uri)) {
      case 'oom':
        return new vscode.FileDecoration('!', 'OOMKilled', new vscode.ThemeColor('list.errorForeground'));
      case 'db-oom':
        return new vscode.FileDecoration(
          'DB',
          'A recent hub DB snapshot predicts the hub is OOMKilled at start-up',
          new vscode.ThemeColor('list.errorForeground'),
        );
      case 'error':
        return new vscode.FileDecoration(undefined, undefined, new vscode.ThemeColor('list.errorForeground'));
      case 'warning':
        return new vscode.FileDecoration(undefined, undefined, new vscode.ThemeColor('list.warningForeground'));
      default:
        return undefined;
    }
  }
}
