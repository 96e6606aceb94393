import type * as vscode from 'vscode';
import { formatAgo } from '../core/cluster/kubeTime';
import type { PodModel } from '../core/cluster/model';
import { formatMemory } from '../core/cluster/quantity';
import type { PodNode } from './clusterNodes';
import { leafItem, type RowIcon } from './leafItem';
import { rowUri } from './rowDecorations';
import { kernelOomText, podDescription, podLabel, podState, terminationText, type PodState } from './rowText';
import { Tooltip } from './tooltip';

const stateIcon: Record<PodState, RowIcon> = {
  oom: ['error', 'problemsErrorIcon.foreground'],
  crashed: ['debug-restart', 'problemsErrorIcon.foreground'],
  pending: ['clock', 'problemsWarningIcon.foreground'],
  'not-ready': ['circle-outline', 'problemsWarningIcon.foreground'],
  terminating: ['trash', 'descriptionForeground'],
  done: ['check', 'descriptionForeground'],
  ok: ['pass', 'testing.iconPassed'],
};

/**
 * A pod row. User servers read `li.wei/gpu | Running · 412Mi / 1Gi · 40% · jupyter-li-wei--gpu`;
 * an OOMKilled pod gets the error icon, the error colour and the word in its description.
 * contextValue `pod` (menus: logs, previous log, YAML, copy name).
 */
export function podItem(node: PodNode, id: string, now: number): vscode.TreeItem {
  const { pod } = node;
  const state = podState(pod);
  const item = leafItem(podLabel(pod), id, podDescription(pod, now), stateIcon[state]);
  if (state === 'oom') item.resourceUri = rowUri('oom', id);
  else if (state === 'crashed') item.resourceUri = rowUri('error', id);
  else if (state === 'pending') item.resourceUri = rowUri('warning', id);
  item.contextValue = 'pod';
  item.tooltip = podTooltip(node, now);
  return item;
}

function podTooltip(node: PodNode, now: number): vscode.MarkdownString {
  const { pod } = node;
  const t = pod.lastTermination;
  const tooltip = new Tooltip().title(pod.name, `(${pod.component || pod.role})`);
  if (pod.user) {
    tooltip
      .field('user', pod.user.name)
      .field('server', pod.user.server || '(default server)')
      .field('names from', userSource[pod.user.source]);
  }
  tooltip
    .field('namespace', node.namespace)
    .field('phase', pod.phase)
    .field('status', `${pod.status}${pod.ready ? ', ready' : ', not ready'}`)
    .field('node', pod.node ?? 'not scheduled')
    .field('created', pod.createdAt ? `${pod.createdAt} (${formatAgo(pod.createdAt, now)})` : null)
    .field(`memory${pod.memory.container ? ` (${pod.memory.container})` : ''}`, formatMemory(pod.memory))
    .field('restarts', pod.restarts);
  if (t) {
    tooltip
      .field('last termination', `${terminationText(t, now)} in container ${t.container}`)
      .field(
        'reason',
        `${t.reason}, exit code ${t.exitCode}${t.cause === 'oom' ? ' — killed by the kernel for memory' : ''}`,
      )
      .field('finished', t.finishedAt);
    if (t.cause === 'spawn-failures') {
      tooltip.text(
        `The hub exited after ${t.consecutiveFailures} consecutive spawn failures (consecutiveFailureLimit), not for lack of memory.`,
      );
    }
  }
  if (pod.kernelOom) {
    const oom = pod.kernelOom;
    tooltip
      .field('kernel OOM kill', `${kernelOomText(oom, now)} on node ${oom.node}`)
      .text(`The node reported it, not the pod: put on this server as ${oom.how}.`);
  }
  if (pod.pending) {
    tooltip.field('pending', pod.pending.reason).field('since', pod.pending.since);
    if (pod.pending.detail) tooltip.text(pod.pending.detail);
  }
  return tooltip.build();
}

const userSource: Record<NonNullable<PodModel['user']>['source'], string> = {
  annotation: 'pod annotations (exact)',
  label: 'pod labels (may be a slug)',
  'pod-name': 'the pod name (may be a slug)',
};
