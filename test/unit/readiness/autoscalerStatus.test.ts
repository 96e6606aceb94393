import assert from 'node:assert/strict';
import { groupsOfPool, nodeInGroup, parseAutoscalerStatus } from '../../../src/core/readiness/autoscalerStatus';
import type { PoolNode } from '../../../src/core/readiness/nodePool';
import { autoscalerStatusConfigMap } from '../../k8s-server/objects';

const poolNode = (name: string, poolLabel: string | null = null): PoolNode => ({
  name,
  ready: true,
  schedulable: true,
  allocatable: { memoryBytes: 0, cpuMillis: 0, pods: 110 },
  requested: { memoryBytes: 0, cpuMillis: 0, pods: 0 },
  daemonSetRequested: { memoryBytes: 0, cpuMillis: 0, pods: 0 },
  placeholders: 0,
  userServers: 0,
  poolLabel,
});

describe('readiness: the cluster autoscaler’s status', () => {
  const groups = [
    {
      name: 'https://www.googleapis.com/compute/v1/projects/p/zones/z/instanceGroups/gke-c-user-pool-1a2b-grp',
      ready: 4,
      registered: 5,
      target: 6,
      min: 1,
      max: 20,
      scaleUp: 'InProgress' as const,
    },
    { name: 'eks-core-4c1a9f3e-2b7d', ready: 2, min: 2, max: 2 },
  ];

  for (const format of ['yaml', 'text'] as const) {
    it(`reads node groups from the ${format} format`, () => {
      const status = parseAutoscalerStatus(
        autoscalerStatusConfigMap({ time: '2026-05-14T18:00:00Z', groups, format }).data!.status!,
      )!;
      assert.equal(status.format, format);
      assert.equal(status.scaleUp, 'InProgress');
      assert.deepEqual(
        status.groups.map((g) => [g.ready, g.registered, g.target, g.minSize, g.maxSize, g.scaleUp]),
        [
          [4, 5, 6, 1, 20, 'InProgress'],
          [2, 2, 2, 2, 2, 'NoActivity'],
        ],
      );
    });
  }

  it('anything else is not a status', () => {
    assert.equal(parseAutoscalerStatus(''), null);
    assert.equal(parseAutoscalerStatus('just: a mapping'), null);
    assert.equal(parseAutoscalerStatus('{{{'), null);
  });

  it('matches groups to the pool by the clouds’ naming: GKE instance groups, AKS scale sets, pool labels', () => {
    assert.ok(nodeInGroup(poolNode('gke-c-user-pool-1a2b-x7k2'), groups[0]!.name));
    assert.ok(!nodeInGroup(poolNode('gke-c-core-pool-9f9f-x7k2'), groups[0]!.name));
    assert.ok(nodeInGroup(poolNode('aks-userpool-12345678-vmss000003'), 'aks-userpool-12345678-vmss'));
    assert.ok(nodeInGroup(poolNode('ip-10-0-1-23.ec2.internal', 'users'), 'eks-users-4c1a9f3e-2b7d'));
    assert.ok(!nodeInGroup(poolNode('ip-10-0-1-23.ec2.internal', 'users'), 'eks-core-4c1a9f3e-2b7d'));
    const status = parseAutoscalerStatus(
      autoscalerStatusConfigMap({ time: '2026-05-14T18:00:00Z', groups }).data!.status!,
    )!;
    assert.equal(groupsOfPool(status, [poolNode('gke-c-user-pool-1a2b-x7k2')])!.groups.length, 1);
    assert.equal(groupsOfPool(status, [poolNode('somewhere-else')]), null);
  });
});
