import type { ContextInfo } from '../core/kube/kubeconfig';

/**
 * Every row the Clusters view can show, as a discriminated union: one `kind` per row type, so the
 * tree provider, commands and tests switch on it instead of guessing from labels.
 */
export type ClusterNode = ContextNode | MessageNode;

export interface ContextNode {
  kind: 'context';
  context: ContextInfo;
}

/** A row that says something instead of showing an object: an error, an empty state, a hint. */
export interface MessageNode {
  kind: 'message';
  severity: 'error' | 'warning' | 'info';
  label: string;
  detail: string;
}
