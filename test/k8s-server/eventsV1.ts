/** The events.k8s.io/v1 view of a core/v1 Event, converted as the API server does. */
import type { CoreEvent, KubeObject } from './wireTypes';

export function toEventsV1(e: CoreEvent): KubeObject {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
    ...(e.count > 1 && e.eventTime ? { series: { count: e.count, lastObservedTime: e.lastTimestamp } } : {}),
    reportingController: e.reportingComponent || e.source.component,
    reportingInstance: e.reportingInstance || e.source.host || '',
    reason: e.reason,
    regarding: e.involvedObject,
    note: e.message,
    type: e.type,
    deprecatedSource: e.source,
    deprecatedFirstTimestamp: e.firstTimestamp,
    deprecatedLastTimestamp: e.lastTimestamp,
    deprecatedCount: e.count,
  };
}
