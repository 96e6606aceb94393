/**
 * Health the tree shows, read through the real client-node from the test server: a hub near its memory
 * limit (also hours after its last OOM kill), and a kernel OOM inside a user server that only its node
 * reports (node-problem-detector's OOMKilling, in namespace `default`).
 */
import assert from 'node:assert/strict';
import { listContext } from '../../../src/core/cluster/listPass';
import type { HubModel } from '../../../src/core/cluster/model';
import { useTestServer } from '../../k8s-server';
import * as k8s from '../../k8s-server/objects';

const now = k8s.at(6 * 3600);
const hubA = { namespace: 'hub-a', chart: '4.2.0' };
const userNode = 'gke-c-user-pool-1a2b-x7k2';

describe('hub health in the tree', function () {
  this.timeout(20_000);
  const server = useTestServer();

  const hubModel = async (): Promise<HubModel> => {
    const model = await listContext(server().kubeConfig(), 'hubops-test', { now: () => Date.parse(now) });
    assert.equal(model.status, 'ok', model.error?.message);
    return model.hubs.find((h) => h.namespace === 'hub-a')!;
  };
  const deployHub = (usedMi: number, options: { oomHoursAgo?: number } = {}): k8s.Pod => {
    const hub = k8s.hubPod({
      ...hubA,
      node: 'core-1',
      resources: { requests: { memory: '512Mi' }, limits: { memory: '2Gi' } },
      ...(options.oomHoursAgo !== undefined
        ? {
            restartCount: 1,
            lastTerminated: k8s.oomKilled(
              k8s.at(6 * 3600 - options.oomHoursAgo * 3600 - 300),
              k8s.at(6 * 3600 - options.oomHoursAgo * 3600),
            ),
          }
        : {}),
    });
    server().cluster.applyAll([
      k8s.namespace('hub-a'),
      k8s.node({ name: 'core-1', pool: 'core' }),
      k8s.node({ name: userNode, pool: 'user' }),
      hub,
      k8s.proxyPod({ ...hubA, node: 'core-1' }),
    ]);
    server().cluster.setPodMetrics(k8s.podMetrics(hub, { hub: { cpu: '200m', memory: `${usedMi}Mi` } }, now));
    return hub;
  };

  it('a hub near its memory limit is degraded, and the reason gives the percentage', async () => {
    deployHub(1843);
    const hub = await hubModel();
    assert.equal(hub.health, 'degraded');
    assert.deepEqual(hub.healthReasons, ['hub memory at 90% of its 2Gi limit (1.8Gi)']);
  });

  it('hours after its last OOM kill, a hub near its limit again is still degraded, and says when it was killed', async () => {
    deployHub(1700, { oomHoursAgo: 3 });
    const hub = await hubModel();
    assert.equal(hub.health, 'degraded');
    assert.deepEqual(hub.healthReasons, ['hub memory at 83% of its 2Gi limit (1.7Gi), last OOMKilled 3h ago']);
  });

  it('the same hub with room to spare is ok: an OOM kill hours ago alone is history', async () => {
    deployHub(900, { oomHoursAgo: 3 });
    const hub = await hubModel();
    assert.deepEqual([hub.health, hub.healthReasons], ['ok', []]);
  });

  const oomEvent = (message: string, seq = 0) =>
    k8s.event({
      involved: k8s.node({ name: userNode, pool: 'user' }),
      namespace: 'default',
      reason: 'OOMKilling',
      type: 'Warning',
      source: 'kernel-monitor',
      host: userNode,
      first: k8s.at(6 * 3600 - 120),
      seq,
      message,
    });
  const kill = (rssKb: number) =>
    `Memory cgroup out of memory: Killed process 48213 (python3) total-vm:3893416kB, anon-rss:${rssKb}kB, file-rss:11520kB, shmem-rss:0kB, UID:1000 pgtables:4512kB oom_score_adj:999`;
  const users = () => [
    k8s.userPod({ ...hubA, username: 'ana', node: userNode, memoryLimit: '2147483648', created: k8s.at(3600) }),
    k8s.userPod({ ...hubA, username: 'bo', node: userNode, memoryLimit: '1073741824', created: k8s.at(3600) }),
    k8s.userPod({ ...hubA, username: 'li.wei', node: userNode, memoryLimit: '1073741824', created: k8s.at(3600) }),
  ];

  it('a kernel OOM in a user server that only the node reports is put on that server', async () => {
    deployHub(400);
    server().cluster.applyAll([...users(), oomEvent(kill(2_050_000))]);
    const hub = await hubModel();
    const ana = hub.pods.find((p) => p.user?.name === 'ana')!;
    assert.deepEqual(ana.kernelOom, {
      time: new Date(k8s.at(6 * 3600 - 120)).toISOString(),
      process: 'python3',
      count: 1,
      node: userNode,
      how: `the only user server on ${userNode} whose 2Gi limit fits the killed process (2Gi)`,
    });
    assert.equal(ana.status, 'Running', 'the container itself kept running');
    for (const other of hub.pods.filter((p) => p.role === 'user' && p.user?.name !== 'ana'))
      assert.equal(other.kernelOom, undefined, other.name);
    const e = hub.events.find((x) => x.reason === 'OOMKilling')!;
    assert.deepEqual([e.pod, e.node, e.object.kind], [ana.name, userNode, 'Node']);
  });

  it('the pod named in the kernel’s cgroup path wins; two servers that could both be it get neither', async () => {
    deployHub(400);
    const [ana, bo, li] = users();
    const uid = bo!.metadata.uid!;
    server().cluster.applyAll([
      ana!,
      bo!,
      li!,
      oomEvent(`${kill(900_000)} task_memcg=/kubepods/burstable/pod${uid.replace(/-/g, '_')}/cri-containerd-1a2b`, 1),
    ]);
    let hub = await hubModel();
    assert.equal(
      hub.pods.find((p) => p.user?.name === 'bo')!.kernelOom?.how,
      'the pod named in the kernel’s cgroup path',
    );

    // 900 MB fits both 1 GiB servers: the node's word alone cannot tell which.
    server().cluster.delete('Event', 'default', oomEvent('', 1).metadata.name);
    server().cluster.apply(oomEvent(kill(900_000), 2));
    hub = await hubModel();
    assert.ok(hub.pods.every((p) => p.kernelOom === undefined));
    const e = hub.events.find((x) => x.reason === 'OOMKilling')!;
    assert.equal(e.pod, undefined, 'left on the node');
  });
});
