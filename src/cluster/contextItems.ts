import * as vscode from 'vscode';
import type { ContextModel } from '../core/cluster/model';
import type { ContextNode, MessageNode } from './clusterNodes';
import { contextSummary } from './rowText';
import { Tooltip } from './tooltip';

/** A kubeconfig context: collapsed until the operator opens it, which starts watching it. */
export function contextItem(node: ContextNode, model: ContextModel | undefined): vscode.TreeItem {
  const { context } = node;
  const item = new vscode.TreeItem(context.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `context:${context.name}`;
  item.description = [context.current ? 'current' : '', context.namespace ?? '', contextSummary(model)]
    .filter(Boolean)
    .join(' · ');
  const failing = model?.status === 'error';
  const down = model?.hubs.some((h) => h.health === 'down') ?? false;
  item.iconPath = new vscode.ThemeIcon(
    context.current ? 'vm-active' : 'vm',
    failing || down ? new vscode.ThemeColor('problemsErrorIcon.foreground') : undefined,
  );
  item.contextValue = 'context';
  const tooltip = new Tooltip()
    .title(context.name, context.current ? '(current)' : '')
    .field('cluster', context.cluster)
    .field('server', context.server || 'not defined')
    .field('user', context.user)
    .field('namespace', context.namespace);
  if (model?.status === 'error' && model.error) tooltip.text(model.error.message);
  item.tooltip = tooltip.build();
  return item;
}

const severityColor: Record<MessageNode['severity'], string> = {
  error: 'problemsErrorIcon.foreground',
  warning: 'problemsWarningIcon.foreground',
  info: 'descriptionForeground',
};

export function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  if (node.id) item.id = node.id;
  item.description = node.detail;
  item.tooltip = node.tooltip ?? node.detail;
  item.contextValue = `message-${node.severity}`;
  item.iconPath = new vscode.ThemeIcon(node.severity, new vscode.ThemeColor(severityColor[node.severity]));
  if (node.command) item.command = node.command;
  return item;
}
