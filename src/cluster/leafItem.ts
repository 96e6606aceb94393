import * as vscode from 'vscode';

/** A row icon: a codicon and, optionally, a theme colour id for it. */
export type RowIcon = readonly [codicon: string, color: string | undefined];

/** A row without children (a pod, an event): label, stable id, description and icon. */
export function leafItem(label: string, id: string, description: string, [codicon, color]: RowIcon): vscode.TreeItem {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = id;
  item.description = description;
  item.iconPath = new vscode.ThemeIcon(codicon, color ? new vscode.ThemeColor(color) : undefined);
  return item;
}
