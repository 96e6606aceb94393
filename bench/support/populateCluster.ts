import {
  event,
  hubPod,
  hubSecret,
  namespace,
  node,
  podMetrics,
  proxyPod,
  userPod,
} from '../../test/k8s-server/objects';
import type { TestServer } from '../../test/k8s-server/server';

/**
 * A large multi-hub cluster for the benchmarks: `hubs` z2jh releases (a hub with its Secret, a proxy and
 * `usersPerHub` user servers each, two of them Pending with a FailedScheduling event), `nodes` user nodes,
 * and pod metrics for every running pod.
 */
export function populateCluster(server: TestServer, size: { hubs: number; usersPerHub: number; nodes: number }): void {
  const { hubs, usersPerHub, nodes } = size;
  const userNode = (i: number) => `gke-user-${i % nodes}`;
  server.cluster.applyAll(Array.from({ length: nodes }, (_, i) => node({ name: userNode(i), pool: 'user' })));
  server.cluster.apply(node({ name: 'gke-core-0', pool: 'core' }));
  for (let h = 0; h < hubs; h++) {
    const release = { namespace: `hub-${String(h).padStart(3, '0')}`, chart: h % 4 === 0 ? '3.3.8' : '4.2.0' };
    server.cluster.apply(namespace(release.namespace));
    const hub = hubPod({ ...release, node: 'gke-core-0', resources: { limits: { memory: '2Gi' } } });
    // The hub's Secret carries the chart values, so the list pass reads and parses every hub's spawn limit.
    server.cluster.applyAll([hubSecret(release), hub, proxyPod({ ...release, node: 'gke-core-0' })]);
    server.cluster.setPodMetrics(podMetrics(hub, { hub: { cpu: '120m', memory: `${400 + h}Mi` } }));
    for (let u = 0; u < usersPerHub; u++) {
      const pending = u >= usersPerHub - 2; // two Pending per hub
      const pod = userPod({
        ...release,
        username: u % 10 === 0 ? `user.${u}@example.org` : `user-${u}`,
        memoryLimit: '2G',
        ...(pending ? {} : { node: userNode(h * usersPerHub + u) }),
      });
      server.cluster.apply(pod);
      if (pending) {
        server.cluster.apply(
          event({
            involved: pod,
            reason: 'FailedScheduling',
            type: 'Warning',
            source: 'default-scheduler',
            message: `0/${nodes + 1} nodes are available: ${nodes} Insufficient memory, 1 node(s) didn't match Pod's node affinity/selector.`,
          }),
        );
      } else {
        server.cluster.setPodMetrics(podMetrics(pod, { notebook: { cpu: '5m', memory: `${100 + u}Mi` } }));
      }
    }
  }
}
