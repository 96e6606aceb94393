/** Which container of a pod a log or exec request means, with the API server's error wording. */
import { badRequest, type Status } from '../status';
import type { ContainerStatus, Pod } from '../wireTypes';

/** The named container (or the only one), or a 400 Status as the real API server says it. */
export function resolveContainer(pod: Pod, requested: string | null): string | Status {
  const names = pod.spec.containers.map((c) => c.name);
  const initNames = (pod.spec.initContainers ?? []).map((c) => c.name);
  if (!requested) {
    if (names.length === 1) return names[0]!;
    const init = initNames.length ? ` or one of the init containers: [${initNames.join(' ')}]` : '';
    return badRequest(
      `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]${init}`,
    );
  }
  if (!names.includes(requested) && !initNames.includes(requested))
    return badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
  return requested;
}

export function containerStatusOf(pod: Pod, container: string): ContainerStatus | undefined {
  return pod.status.containerStatuses?.find((s) => s.name === container);
}
