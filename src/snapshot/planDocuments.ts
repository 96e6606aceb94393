import * as vscode from 'vscode';

/** Helper pod plans shown before anything is created: read-only documents (no "Save?" when closed). */
export const planDocumentScheme = 'jupyterhub-ops-plan';

export class PlanDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Opens `text` as a read-only document named `fileName` (its extension picks the language). */
  async show(fileName: string, text: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: planDocumentScheme, path: `/${fileName}` });
    this.texts.set(uri.toString(), text);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true, preserveFocus: true });
  }
}
