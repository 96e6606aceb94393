import { loadYaml } from '@kubernetes/client-node';
import { asRecord } from '../cluster/hubConfig';
import type { PoolNode } from './nodePool';

/** Where the in-cluster cluster autoscaler publishes its state. */
export const autoscalerStatusConfigMap = { namespace: 'kube-system', name: 'cluster-autoscaler-status' };

export interface NodeGroupStatus {
  name: string;
  health: string | null;
  /** Nodes registered / ready, and the size the cloud provider is asked for. */
  registered: number | null;
  ready: number | null;
  target: number | null;
  minSize: number | null;
  maxSize: number | null;
  /** NoActivity, InProgress, Backoff, … */
  scaleUp: string | null;
}

export interface AutoscalerStatus {
  /** 'yaml' since cluster-autoscaler 1.30, 'text' before. */
  format: 'yaml' | 'text';
  time: string | null;
  health: string | null;
  scaleUp: string | null;
  groups: NodeGroupStatus[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** The autoscaler's status text (the ConfigMap's `status` key), in either format; null when it is neither. */
export function parseAutoscalerStatus(text: string): AutoscalerStatus | null {
  if (/^\s*Cluster-autoscaler status at /.test(text)) return parseText(text);
  let doc: unknown;
  try {
    doc = loadYaml(text);
  } catch {
    return null;
  }
  const root = asRecord(doc);
  if (!root || (!root.nodeGroups && !root.clusterWide)) return null;
  const groups = (Array.isArray(root.nodeGroups) ? root.nodeGroups : []).flatMap((g): NodeGroupStatus[] => {
    const group = asRecord(g);
    const name = str(group?.name);
    if (!group || !name) return [];
    const health = asRecord(group.health);
    const registered = asRecord(asRecord(health?.nodeCounts)?.registered);
    return [
      {
        name,
        health: str(health?.status),
        registered: num(registered?.total),
        ready: num(registered?.ready),
        target: num(health?.cloudProviderTarget),
        minSize: num(health?.minSize),
        maxSize: num(health?.maxSize),
        scaleUp: str(asRecord(group.scaleUp)?.status),
      },
    ];
  });
  const clusterWide = asRecord(root.clusterWide);
  return {
    format: 'yaml',
    time: str(root.time),
    health: str(asRecord(clusterWide?.health)?.status),
    scaleUp: str(asRecord(clusterWide?.scaleUp)?.status),
    groups,
  };
}

/** The text format: "Health: Healthy (ready=3 … cloudProviderTarget=3 (minSize=0, maxSize=10))". */
function parseText(text: string): AutoscalerStatus {
  const time = /^\s*Cluster-autoscaler status at (.+?):?\s*$/m.exec(text)?.[1] ?? null;
  const [clusterPart, groupsPart = ''] = text.split(/^\s*NodeGroups:\s*$/m);
  const field = (block: string, name: string) => new RegExp(`^\\s*${name}:\\s*(.+)$`, 'm').exec(block)?.[1]?.trim();
  const count = (line: string | undefined, key: string) => {
    const m = line ? new RegExp(`\\b${key}=(\\d+)`).exec(line) : null;
    return m ? Number(m[1]) : null;
  };
  const groups = groupsPart
    .split(/^\s*Name:\s*/m)
    .slice(1)
    .map((block): NodeGroupStatus => {
      const name = block.split('\n')[0]!.trim();
      const health = field(block, 'Health');
      const scaleUp = field(block, 'ScaleUp');
      return {
        name,
        health: health?.split(/\s/)[0] ?? null,
        registered: count(health, 'registered'),
        ready: count(health, 'ready'),
        target: count(health, 'cloudProviderTarget'),
        minSize: count(health, 'minSize'),
        maxSize: count(health, 'maxSize'),
        scaleUp: scaleUp?.split(/\s/)[0] ?? null,
      };
    });
  return {
    format: 'text',
    time,
    health: field(clusterPart!, 'Health')?.split(/\s/)[0] ?? null,
    scaleUp: field(clusterPart!, 'ScaleUp')?.split(/\s/)[0] ?? null,
    groups,
  };
}

/** The last segment of a group's name (a MIG URL, an ASG name, `MachineSet/ns/name`…). */
const baseName = (group: string) => group.split('/').filter(Boolean).at(-1) ?? group;

/**
 * Whether a node belongs to a node group, by the clouds' naming: GKE nodes are named after their
 * instance group (`gke-…-grp` → `gke-…-xxxx`), AKS after the scale set, EKS/Karpenter/kops groups carry
 * the pool label's value in their name.
 */
export function nodeInGroup(node: PoolNode, group: string): boolean {
  const base = baseName(group);
  const stem = base.replace(/-grp$/, '');
  if (stem && node.name.startsWith(stem)) return true;
  return node.poolLabel !== null && node.poolLabel.length >= 3 && base.includes(node.poolLabel);
}

export interface PoolGroups {
  groups: NodeGroupStatus[];
  /** How the groups were matched to the pool, in words. */
  how: string;
}

/** The node groups the user pool's nodes belong to (a pool may span zonal groups). */
export function groupsOfPool(status: AutoscalerStatus, pool: readonly PoolNode[]): PoolGroups | null {
  const matched = status.groups.filter((g) => pool.some((n) => nodeInGroup(n, g.name)));
  if (matched.length)
    return {
      groups: matched,
      how: `node group${matched.length > 1 ? 's' : ''} ${matched.map((g) => baseName(g.name)).join(', ')} (by node names and pool labels)`,
    };
  return null;
}
