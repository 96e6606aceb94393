import type * as vscode from 'vscode';
import type { EventKind } from '../core/cluster/model';
import type { EventNode } from './clusterNodes';
import { leafItem, type RowIcon } from './leafItem';
import { eventDescription, eventLabel } from './rowText';
import { Tooltip } from './tooltip';

const kindIcon: Record<EventKind, RowIcon> = {
  'oom-killing': ['error', 'problemsErrorIcon.foreground'],
  'system-oom': ['error', 'problemsErrorIcon.foreground'],
  'failed-scheduling': ['clock', 'problemsWarningIcon.foreground'],
  'triggered-scale-up': ['arrow-up', undefined],
  'not-triggered-scale-up': ['circle-slash', 'problemsWarningIcon.foreground'],
  'back-off': ['debug-restart', 'problemsErrorIcon.foreground'],
  evicted: ['sign-out', 'problemsErrorIcon.foreground'],
  unhealthy: ['pulse', 'problemsWarningIcon.foreground'],
  preempted: ['arrow-swap', undefined],
  'scale-down': ['arrow-down', undefined],
  warning: ['warning', 'problemsWarningIcon.foreground'],
};

/** An event row: `OOMKilling ×4 | 10s ago · node/gke-…: Memory cgroup out of memory: Killed process …`. */
export function eventItem(node: EventNode, id: string, now: number): vscode.TreeItem {
  const { event } = node;
  const item = leafItem(eventLabel(event), id, eventDescription(event, now), kindIcon[event.kind]);
  item.contextValue = `event-${event.kind}`;
  item.tooltip = new Tooltip()
    .title(event.reason, `(${event.type})`)
    .field(
      'about',
      `${event.object.kind} ${event.object.namespace ? `${event.object.namespace}/` : ''}${event.object.name}`,
    )
    .field('node', event.node)
    .field('count', event.count)
    .field('first', event.firstTime)
    .field('last', event.time)
    .text(event.message)
    .build();
  return item;
}
