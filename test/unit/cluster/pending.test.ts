import assert from 'node:assert/strict';
import { summarizeScheduling } from '../../../src/core/cluster/podPending';
import { T0, at, event, hubPod, placeholderPod, userPod, type Pod } from '../../k8s-server/objects';
import { onlyHub, podNamed } from './modelFixtures';

const r = { namespace: 'hub-a', chart: '4.2.0' };
const hub = () => hubPod({ ...r, node: 'core-1' });
const taintAndMemory =
  '0/5 nodes are available: 1 node(s) had untolerated taint {hub.jupyter.org_dedicated: user}, 4 Insufficient memory. ' +
  'preemption: 0/5 nodes are available: 5 No preemption victims found for incoming pod.';

const pendingOf = (pods: Pod[], events: ReturnType<typeof event>[], now: string, name: string) =>
  podNamed(onlyHub({ pods: [hub(), ...pods], events, now }), name).pending;

describe('cluster model: pending reasons', () => {
  it('summarises the scheduler’s reasons, biggest obstacle first', () => {
    assert.equal(
      summarizeScheduling(taintAndMemory),
      'Insufficient memory (4/5 nodes), untolerated taint {hub.jupyter.org_dedicated: user} (1/5)',
    );
    assert.equal(
      summarizeScheduling("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector."),
      'node affinity/selector does not match (3/3 nodes)',
    );
    assert.equal(summarizeScheduling('something else entirely'), 'something else entirely');
  });

  it('explains an unschedulable user pod from its PodScheduled condition', () => {
    const pod = userPod({ ...r, username: 'ana', created: at(30), unschedulableMessage: taintAndMemory });
    const pending = pendingOf([pod], [], at(120), 'jupyter-ana')!;
    assert.equal(pending.kind, 'unschedulable');
    assert.match(pending.reason, /^Insufficient memory \(4\/5 nodes\)/);
    assert.equal(pending.since, new Date(at(30)).toISOString());
    assert.equal(pending.detail, taintAndMemory);
  });

  it('says "waiting for scale-up" with the time since the autoscaler’s event', () => {
    const pod = userPod({ ...r, username: 'ana', created: at(0) });
    const events = [
      event({
        involved: pod,
        reason: 'FailedScheduling',
        type: 'Warning',
        source: 'default-scheduler',
        message: taintAndMemory,
        first: at(1),
      }),
      event({
        involved: pod,
        reason: 'TriggeredScaleUp',
        source: 'cluster-autoscaler',
        message:
          'pod triggered scale-up: [{https://www.googleapis.com/compute/v1/projects/p/zones/z/instanceGroups/user-pool 2->3 (max: 10)}]',
        first: at(8),
      }),
    ];
    const pending = pendingOf([pod], events, at(8 + 192), 'jupyter-ana')!;
    assert.equal(pending.kind, 'scale-up');
    assert.equal(pending.reason, 'waiting for scale-up 3m12s');
    assert.equal(pending.since, new Date(at(8)).toISOString());
    assert.match(pending.detail!, /2->3 \(max: 10\)/);
  });

  it('says when the autoscaler will not scale up, after a scale-up it already did', () => {
    const pod = userPod({ ...r, username: 'bo', created: at(0) });
    const events = [
      event({
        involved: pod,
        reason: 'TriggeredScaleUp',
        source: 'cluster-autoscaler',
        message: 'pod triggered scale-up: [{user-pool 9->10 (max: 10)}]',
        first: at(5),
      }),
      event({
        involved: pod,
        reason: 'NotTriggerScaleUp',
        source: 'cluster-autoscaler',
        message: "pod didn't trigger scale-up: 1 max node group size reached",
        first: at(300),
      }),
    ];
    const pending = pendingOf([pod], events, at(400), 'jupyter-bo')!;
    assert.equal(pending.kind, 'no-scale-up');
    assert.match(pending.reason, /^no scale-up \(1 max node group size reached\); Insufficient memory/);
  });

  it('ignores scheduling events about an earlier pod of the same name', () => {
    const pod = userPod({ ...r, username: 'cy', created: at(1000) });
    const stale = event({
      involved: pod,
      reason: 'TriggeredScaleUp',
      source: 'cluster-autoscaler',
      message: 'pod triggered scale-up: [{user-pool 1->2 (max: 10)}]',
      first: at(10),
    });
    assert.equal(pendingOf([pod], [stale], at(1100), 'jupyter-cy')!.kind, 'unschedulable');
  });

  it('explains a re-created placeholder after a user pod preempted it', () => {
    const victim = placeholderPod({ ...r, index: 2, node: 'user-3', created: at(-600) });
    const recreated = placeholderPod({ ...r, index: 2, created: at(31), uid: 'new-placeholder-uid' });
    const events = [
      event({
        involved: victim,
        reason: 'Preempted',
        source: 'default-scheduler',
        message: 'Preempted by pod 5c2a1e0e-8d4b-4b9e-9b0c-3f1f0e7e2a11 on node user-3',
        first: at(30),
      }),
    ];
    const pending = pendingOf([recreated], events, at(60), 'user-placeholder-2')!;
    assert.equal(pending.kind, 'preempted');
    assert.match(pending.reason, /^preempted by a user pod, re-created and unschedulable: Insufficient memory/);
  });

  it('tells image pulls and container creation apart once the pod is scheduled', () => {
    const creating = userPod({
      ...r,
      username: 'dee',
      node: 'user-1',
      container: { state: 'waiting', reason: 'ContainerCreating' },
    });
    const pullFailed = userPod({
      ...r,
      username: 'eve',
      node: 'user-1',
      container: { state: 'waiting', reason: 'ImagePullBackOff', message: 'Back-off pulling image "quay.io/x/y:nope"' },
    });
    const pulling = userPod({
      ...r,
      username: 'fay',
      node: 'user-1',
      container: { state: 'waiting', reason: 'ContainerCreating' },
    });
    const events = [
      event({
        involved: pulling,
        reason: 'Pulling',
        message: 'Pulling image "quay.io/jupyter/datascience-notebook:2025-05-26"',
        first: at(3),
        host: 'user-1',
      }),
    ];
    const pods = [creating, pullFailed, pulling];
    assert.deepEqual(pendingOf(pods, events, at(60), 'jupyter-dee'), {
      kind: 'creating',
      reason: 'creating containers',
      since: new Date(T0).toISOString(),
    });
    assert.equal(
      pendingOf(pods, events, at(60), 'jupyter-eve')!.reason,
      'image pull failed: Back-off pulling image "quay.io/x/y:nope"',
    );
    assert.equal(
      pendingOf(pods, events, at(60), 'jupyter-fay')!.reason,
      'pulling image quay.io/jupyter/datascience-notebook:2025-05-26',
    );
  });

  it('says "waiting for the scheduler" before the scheduler has looked, and nothing for running pods', () => {
    const fresh = userPod({ ...r, username: 'gus' });
    fresh.status.conditions = [];
    assert.equal(pendingOf([fresh], [], at(2), 'jupyter-gus')!.reason, 'waiting for the scheduler');
    assert.equal(pendingOf([userPod({ ...r, username: 'hal', node: 'u' })], [], at(2), 'jupyter-hal'), null);
  });
});
