import type { PodMetric, V1Container, V1Pod } from '@kubernetes/client-node';
import type { PodMemory, PodRole } from './model';
import { quantityToBytes } from './quantity';

/** The container whose memory and restarts matter for each z2jh role (the chart's container names). */
const mainContainerName: Partial<Record<PodRole, string>> = { hub: 'hub', proxy: 'chp', user: 'notebook' };

export function mainContainer(pod: V1Pod, role: PodRole): V1Container | undefined {
  const containers = pod.spec?.containers ?? [];
  const wanted = mainContainerName[role];
  return containers.find((c) => c.name === wanted) ?? containers[0];
}

/**
 * The main container's working set (metrics-server reports the working set as `memory`) against its
 * limit. `metrics` is undefined when the cluster has no metrics API or the pod has no sample yet.
 */
export function podMemory(pod: V1Pod, role: PodRole, metrics: PodMetric | undefined): PodMemory {
  const container = mainContainer(pod, role);
  if (!container) return { usedBytes: null, limitBytes: null, container: null };
  const limitBytes = quantityToBytes(container.resources?.limits?.memory);
  const sample = metrics?.containers?.find((c) => c.name === container.name);
  const usedBytes = sample ? quantityToBytes(sample.usage?.memory) : null;
  return { usedBytes, limitBytes: limitBytes || null, container: container.name };
}
