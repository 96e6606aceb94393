/**
 * Emits events the way Kubernetes components do: a repeat of the same reason on the same object (same
 * uid) from the same component bumps `count` and `lastTimestamp` of the existing event.
 */
import { event, type EventOptions } from '../objects';
import type { CoreEvent, KubeObject, ObjectReference } from '../wireTypes';
import type { ScenarioContext } from './timeline';

const refOf = (o: KubeObject | ObjectReference) =>
  'metadata' in o && o.metadata
    ? { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid }
    : (o as ObjectReference);

export function recordEvent(ctx: ScenarioContext, options: Omit<EventOptions, 'first' | 'last' | 'count'>): CoreEvent {
  const ref = refOf(options.involved);
  const ns = options.namespace ?? ref.namespace ?? 'default';
  const source = options.source ?? 'kubelet';
  const existing = ctx.cluster
    .list('events', ns)
    .map((e) => e as CoreEvent)
    .find(
      (e) =>
        e.involvedObject.name === ref.name &&
        (!ref.uid || e.involvedObject.uid === ref.uid) &&
        e.reason === options.reason &&
        e.source.component === source,
    );
  if (existing)
    return ctx.cluster.patch<CoreEvent>('Event', ns, existing.metadata.name, (e) => {
      e.count += 1;
      e.lastTimestamp = ctx.iso();
      e.message = options.message;
    });
  return ctx.cluster.apply(event({ ...options, first: ctx.iso() }));
}
