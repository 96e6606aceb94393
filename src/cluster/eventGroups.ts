/**
 * Near-identical events as one row. A class start gives every pending user server its own
 * FailedScheduling with the same words ("0/5 nodes are available: … Insufficient memory"), only the pod
 * and the node counts differ: 64 rows that say one thing. Events group when their type, reason and
 * involved kind match and their messages match once the involved object's name and the numbers are
 * abstracted. Plain functions with no `vscode` import.
 */
import { toMillis } from '../core/cluster/kubeTime';
import type { EventModel } from '../core/cluster/model';

export interface EventGroup {
  /** Stable while the burst goes on: type, reason, involved kind and message pattern. */
  key: string;
  /** Newest first. */
  events: EventModel[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const uid = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/** The message with the involved object's name as `<name>`, uids as `<uid>` and every number as `#`. */
export function messagePattern(event: EventModel): string {
  let message = event.message;
  if (event.object.name) message = message.replace(new RegExp(escapeRegExp(event.object.name), 'g'), '<name>');
  return message.replace(uid, '<uid>').replace(/\d+(?:\.\d+)?/g, '#');
}

const newestFirst = (a: EventModel, b: EventModel) => (toMillis(b.time) ?? 0) - (toMillis(a.time) ?? 0);

/** Groups of near-identical events, in the order their first member came (a group of one is one event). */
export function groupEvents(events: readonly EventModel[]): EventGroup[] {
  const groups = new Map<string, EventModel[]>();
  for (const event of events) {
    const key = JSON.stringify([event.type, event.reason, event.object.kind, messagePattern(event)]);
    const members = groups.get(key);
    if (members) members.push(event);
    else groups.set(key, [event]);
  }
  return [...groups].map(([key, members]) => ({ key, events: members.sort(newestFirst) }));
}

/** The objects a group is about, newest first, each once: the pods of a FailedScheduling burst. */
export function groupObjects(events: readonly EventModel[]): string[] {
  return [...new Set(events.map((e) => e.object.name))];
}
