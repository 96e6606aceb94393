import type { EventModel, HubModel, PodModel, PodRole } from '../core/cluster/model';
import type { ContextInfo } from '../core/cluster/kubeconfig';

/**
 * Every row the Clusters view can show, as a discriminated union: one `kind` per row type, so the
 * tree provider, commands and tests switch on it instead of guessing from labels.
 *   context → (error / warnings) → hub → group (Hub, Proxy, User servers, Placeholders, Other, Events)
 *   → pod / event
 */
export type ClusterNode = ContextNode | HubNode | GroupNode | PodNode | EventNode | EventGroupNode | MessageNode;

export interface ContextNode {
  kind: 'context';
  context: ContextInfo;
}

/**
 * One hub (a Helm release). The provider keeps one object per hub and updates `hub` in place, so a change
 * to one hub refreshes only that hub's rows.
 */
export interface HubNode {
  kind: 'hub';
  context: string;
  hub: HubModel;
  /** The context cannot be read now: this is the last state seen. */
  stale: boolean;
}

export type GroupKind = PodRole | 'events';

export interface GroupNode {
  kind: 'group';
  context: string;
  /** The hub node's key (see `hubNodeKey`): children are read from the hub's current model. */
  hubKey: string;
  /** The hub when the group row was made (used if the hub has gone since). */
  hub: HubModel;
  group: GroupKind;
}

export interface PodNode {
  kind: 'pod';
  context: string;
  namespace: string;
  hubKey: string;
  pod: PodModel;
}

export interface EventNode {
  kind: 'event';
  context: string;
  hubKey: string;
  event: EventModel;
}

/**
 * Near-identical events of one hub (same type and reason, same message once pod names and numbers are
 * abstracted: a class start's 64 FailedScheduling) as one row; its children are the events.
 */
export interface EventGroupNode {
  kind: 'eventGroup';
  context: string;
  hubKey: string;
  /** type, reason, involved kind and message pattern: stable while the burst goes on. */
  groupKey: string;
  /** Newest first. */
  events: EventModel[];
}

/** A row that says something instead of showing an object: an error, an empty state, a hint. */
export interface MessageNode {
  kind: 'message';
  severity: 'error' | 'warning' | 'info';
  label: string;
  detail: string;
  /** Longer text for the hover (defaults to `detail`). */
  tooltip?: string;
  /** Stable id under its parent, so expansion and selection survive refreshes. */
  id?: string;
  /** A command the row runs when clicked (e.g. open the namespaces setting). */
  command?: { command: string; title: string; arguments?: unknown[] };
  /** For menus: `message-<severity>` unless set (e.g. `kubeconfig-problem-file`). */
  contextValue?: string;
  /** The file a kubeconfig problem row is about (its menu's Open Kubeconfig File opens it). */
  file?: string;
}

export const hubNodeKey = (context: string, hub: Pick<HubModel, 'namespace' | 'release'>): string =>
  JSON.stringify([context, hub.namespace, hub.release]);
