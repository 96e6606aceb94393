import * as vscode from 'vscode';
import type { ClusterNode } from './clusterNodes';
import type { KubeconfigSource } from './kubeconfigSource';

/** The Clusters view: kubeconfig contexts first; later levels hang below each context. */
export class ClustersTreeProvider implements vscode.TreeDataProvider<ClusterNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClusterNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly kubeconfig: KubeconfigSource) {
    this.subscription = kubeconfig.onDidChange(() => this.changed.fire(undefined));
  }

  refresh(): void {
    this.kubeconfig.reload();
  }

  getChildren(element?: ClusterNode): ClusterNode[] {
    if (element) return [];
    const loaded = this.kubeconfig.get();
    const rows: ClusterNode[] = loaded.problems.map((problem) => ({
      kind: 'message',
      severity: 'error',
      label: 'Kubeconfig problem',
      detail: problem.message,
    }));
    rows.push(...loaded.contexts.map((context): ClusterNode => ({ kind: 'context', context })));
    if (loaded.contexts.length === 0 && loaded.problems.length === 0) {
      rows.push({
        kind: 'message',
        severity: 'warning',
        label: 'No contexts',
        detail: `${loaded.files.join(', ')} defines no contexts.`,
      });
    }
    return rows;
  }

  getTreeItem(node: ClusterNode): vscode.TreeItem {
    switch (node.kind) {
      case 'context': {
        const { context } = node;
        const item = new vscode.TreeItem(context.name, vscode.TreeItemCollapsibleState.None);
        item.id = `context:${context.name}`;
        item.description = [context.current ? 'current' : '', context.namespace ?? ''].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(context.current ? 'vm-active' : 'vm');
        item.contextValue = 'context';
        const tooltip = new vscode.MarkdownString();
        tooltip.appendMarkdown(`**${escapeMarkdown(context.name)}**${context.current ? ' (current)' : ''}\n\n`);
        tooltip.appendMarkdown(`- cluster: \`${escapeCode(context.cluster)}\`\n`);
        tooltip.appendMarkdown(`- server: \`${escapeCode(context.server || 'not defined')}\`\n`);
        tooltip.appendMarkdown(`- user: \`${escapeCode(context.user)}\`\n`);
        if (context.namespace) tooltip.appendMarkdown(`- namespace: \`${escapeCode(context.namespace)}\`\n`);
        item.tooltip = tooltip;
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = node.detail;
        item.tooltip = node.detail;
        item.contextValue = `message-${node.severity}`;
        item.iconPath = new vscode.ThemeIcon(
          node.severity,
          new vscode.ThemeColor(
            node.severity === 'error'
              ? 'errorForeground'
              : node.severity === 'warning'
                ? 'editorWarning.foreground'
                : 'foreground',
          ),
        );
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Text from a cluster goes into Markdown tooltips: make it literal (MarkdownString is not trusted, but still). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

function escapeCode(text: string): string {
  return text.replace(/`/g, 'ˋ');
}
