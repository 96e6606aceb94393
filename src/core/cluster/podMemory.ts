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
  const { container, limitBytes } = memoryLimit(pod, role);
  return { usedBytes: memoryUsed(container, metrics), limitBytes, container };
}

/** The main container's name and memory limit (null when it has none). */
export function memoryLimit(pod: V1Pod, role: PodRole): { container: string | null; limitBytes: number | null } {
  const container = mainContainer(pod, role);
  if (!container) return { container: null, limitBytes: null };
  return { container: container.name, limitBytes: quantityToBytes(container.resources?.limits?.memory) || null };
}

/** The container's memory use in the metrics API's sample, or null. */
export function memoryUsed(container: string | null, metrics: PodMetric | undefined): number | null {
  const sample = container === null ? undefined : metrics?.containers?.find((c) => c.name === container);
  return sample ? quantityToBytes(sample.usage?.memory) : null;
}
