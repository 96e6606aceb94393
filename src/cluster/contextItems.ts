import * as vscode from 'vscode';
import type { ContextModel } from '../core/cluster/model';
import type { ContextNode, MessageNode } from './clusterNodes';
import { contextState, contextSummary } from './rowText';
import { Tooltip } from './tooltip';

const stateColor = {
  error: 'problemsErrorIcon.foreground',
  warning: 'problemsWarningIcon.foreground',
  ok: undefined,
  unknown: undefined,
} as const;

/**
 * A kubeconfig context, collapsed until the operator opens it. Its description summarizes its hubs even
 * while collapsed, worst first (`1 down · 1 degraded · 3 hubs · current · hub-a`), from the context's
 * summary watch or, once opened, its full watch.
 */
export function contextItem(node: ContextNode, model: ContextModel | undefined): vscode.TreeItem {
  const { context } = node;
  const item = new vscode.TreeItem(context.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `context:${context.name}`;
  item.description = [contextSummary(model), context.current ? 'current' : '', context.namespace ?? '']
    .filter(Boolean)
    .join(' · ');
  const color = stateColor[contextState(model)];
  item.iconPath = new vscode.ThemeIcon(
    context.current ? 'vm-active' : 'vm',
    color ? new vscode.ThemeColor(color) : undefined,
  );
  item.contextValue = 'context';
  const tooltip = new Tooltip()
    .title(context.name, context.current ? '(current)' : '')
    .field('cluster', context.cluster)
    .field('server', context.server || 'not defined')
    .field('user', context.user)
    .field('namespace', context.namespace);
  if (model?.status === 'error' && model.error) tooltip.text(model.error.message);
  else if (model) {
    tooltip.field('hubs', contextSummary(model));
    tooltip.list(
      'Needs a look',
      model.hubs
        .filter((h) => h.health !== 'ok')
        .map((h) => `${h.namespace}: ${h.health}${h.healthReasons[0] ? ` (${h.healthReasons[0]})` : ''}`),
    );
  }
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
  item.contextValue = node.contextValue ?? `message-${node.severity}`;
  item.iconPath = new vscode.ThemeIcon(node.severity, new vscode.ThemeColor(severityColor[node.severity]));
  if (node.command) item.command = node.command;
  return item;
}
