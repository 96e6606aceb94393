import * as vscode from 'vscode';
import type { EventModel } from '../core/cluster/model';
import type { EventGroupNode, EventNode } from './clusterNodes';
import { groupObjects } from './eventGroups';
import { oneLine } from './rowText';

export const eventDocumentScheme = 'jupyterhubops-event';

/** A path segment that reads like the name and cannot break the URI. */
const segment = (text: string) => text.replace(/[^\w.-]+/g, '_').slice(0, 80) || '_';

const about = (event: EventModel) =>
  `${event.object.kind} ${event.object.namespace ? `${event.object.namespace}/` : ''}${event.object.name}`;

/** One event as an operator reads `kubectl describe`'s event part; cluster text on one line each. */
function eventText(event: EventModel): string[] {
  return [
    `reason:   ${oneLine(event.reason, 200)} (${oneLine(event.type, 40)})`,
    `about:    ${oneLine(about(event), 400)}`,
    ...(event.node ? [`node:     ${oneLine(event.node, 200)}`] : []),
    `count:    ${event.count}`,
    `first:    ${event.firstTime ?? 'unknown'}`,
    `last:     ${event.time ?? 'unknown'}`,
    `message:  ${oneLine(event.message, 4000)}`,
  ];
}

/** The text of an event row or of a group of near-identical events (every event, newest first). */
export function eventDocumentText(node: EventNode | EventGroupNode): string {
  if (node.kind === 'event')
    return [`Kubernetes event in context ${oneLine(node.context)}`, '', ...eventText(node.event), ''].join('\n');
  const newest = node.events[0]!;
  const objects = groupObjects(node.events);
  const lines = [
    `${node.events.length} near-identical ${oneLine(newest.reason, 200)} events in context ${oneLine(node.context)}`,
    `(same type, reason and message once object names and numbers are set aside), about ${objects.length} objects:`,
    '',
    ...objects.map((name) => `  ${oneLine(name, 200)}`),
    '',
  ];
  for (const event of node.events) lines.push('---', ...eventText(event), '');
  return lines.join('\n');
}

/**
 * Read-only documents for event rows (clicking a row, or Show Event Details): the event's every field,
 * or a group's pods and events. The text is made when the row is opened: it is what the tree showed.
 */
export class EventDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This event is no longer known: open it again from the Clusters view.';
  }

  async show(node: EventNode | EventGroupNode): Promise<vscode.TextDocument> {
    const first = node.kind === 'event' ? node.event : node.events[0]!;
    const name =
      node.kind === 'event'
        ? `${segment(first.reason)} ${segment(first.object.name)}.txt`
        : `${segment(first.reason)} ×${node.events.length}.txt`;
    const uri = vscode.Uri.from({
      scheme: eventDocumentScheme,
      path: `/${segment(node.context)}/${segment(first.object.namespace || 'cluster')}/${name}`,
    });
    this.texts.set(uri.toString(), eventDocumentText(node));
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true });
    return document;
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
  }
}
