import * as vscode from 'vscode';

/** The extension's settings, read fresh each time (they can change while it runs). */
export const settings = {
  kubeconfigOverride(): string | undefined {
    const value = vscode.workspace.getConfiguration('jupyterhubOps').get<string>('kubeconfig', '');
    return value.trim() ? value.trim() : undefined;
  },
  namespaces(): string[] {
    return vscode.workspace.getConfiguration('jupyterhubOps').get<string[]>('namespaces', []);
  },
  reportTimezone(): string {
    const zone = vscode.workspace.getConfiguration('jupyterhubOps').get<string>('reportTimezone', '');
    return zone.trim() || Intl.DateTimeFormat().resolvedOptions().timeZone;
  },
  onDidChange(listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('jupyterhubOps')) listener();
    });
  },
};
