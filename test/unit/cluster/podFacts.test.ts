import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { buildHubs } from '../../../src/core/cluster/buildModel';
import { podFacts } from '../../../src/core/cluster/podFacts';
import * as k8s from '../../k8s-server/objects';

const now = Date.parse(k8s.at(600));
const build = (pods: V1Pod[]) => buildHubs({ pods, events: [], nodes: null, podMetrics: null, now });

describe('pod facts: computed once per pod object', () => {
  it('gives the same facts for the same object, and a changed pod (a new object) its new facts', () => {
    const hub = k8s.hubPod({ namespace: 'hub-a', node: 'core-1', resources: { limits: { memory: '2Gi' } } }) as V1Pod;
    assert.equal(podFacts(hub), podFacts(hub));
    assert.equal(build([hub])[0]!.pods[0]!.restarts, 0);

    const restarted = k8s.hubPod({
      namespace: 'hub-a',
      node: 'core-1',
      resources: { limits: { memory: '4Gi' } },
      restartCount: 3,
    }) as V1Pod;
    const [model] = build([restarted]);
    assert.equal(model!.pods[0]!.restarts, 3);
    assert.equal(model!.pods[0]!.memory.limitBytes, 4 * 2 ** 30);
    assert.equal(podFacts(hub).restarts, 0, 'the earlier object keeps its own facts');
  });

  it('builds the same model as the facts of a fresh copy of every pod', () => {
    const pods = [
      k8s.hubPod({ namespace: 'hub-a', resources: { limits: { memory: '2Gi' } } }),
      k8s.proxyPod({ namespace: 'hub-a' }),
      k8s.userPod({ namespace: 'hub-a', username: 'ana' }),
      k8s.userPod({ namespace: 'hub-b', username: 'bo' }),
    ] as V1Pod[];
    const first = build(pods);
    assert.deepEqual(build(pods), first, 'from the cached facts');
    assert.deepEqual(build(structuredClone(pods)), first, 'from new objects');
  });
});
