import assert from 'node:assert/strict';
import type { EventsV1Event } from '@kubernetes/client-node';
import { buildHubsWithEvents, maxEventsPerHub } from '../../../src/core/cluster/buildModel';
import { classifyEvent, normalizeEvent } from '../../../src/core/cluster/clusterEvents';
import { T0, at, event, hubPod, node, proxyPod, userPod } from '../../k8s-server/objects';
import { hubsOf, onlyHub, snapshotOf, typedEvent } from './modelFixtures';

const a = { namespace: 'hub-a' };
const b = { namespace: 'hub-b' };

describe('cluster model: events', () => {
  const hubA = hubPod({ ...a, node: 'core-1' });
  const userA = userPod({ ...a, username: 'ana', node: 'user-1' });
  const hubB = hubPod({ ...b, node: 'core-2' });
  const core1 = node({ name: 'core-1', pool: 'core' });
  /** The scheduler's FailedScheduling for ana's pod: no node has the memory. */
  const userAUnschedulable = (first: string, more: Partial<Parameters<typeof event>[0]> = {}) =>
    event({
      involved: userA,
      reason: 'FailedScheduling',
      type: 'Warning',
      source: 'default-scheduler',
      message: '0/5 nodes are available: 5 Insufficient memory.',
      first,
      ...more,
    });

  const cases: [ReturnType<typeof event>, string | null][] = [
    [
      event({
        involved: core1,
        reason: 'OOMKilling',
        type: 'Warning',
        source: 'kernel-monitor',
        host: 'core-1',
        message: 'Killed process 4242 (jupyterhub) total-vm:6291456kB, anon-rss:5242880kB',
        first: at(10),
      }),
      'oom-killing',
    ],
    [
      event({
        involved: core1,
        reason: 'SystemOOM',
        type: 'Warning',
        host: 'core-1',
        message: 'System OOM encountered, victim process: jupyterhub, pid: 4242',
        first: at(11),
      }),
      'system-oom',
    ],
    [userAUnschedulable(at(12)), 'failed-scheduling'],
    [
      event({
        involved: userA,
        reason: 'TriggeredScaleUp',
        source: 'cluster-autoscaler',
        message: 'pod triggered scale-up: [{user-pool 2->3 (max: 10)}]',
        first: at(13),
      }),
      'triggered-scale-up',
    ],
    [
      event({
        involved: userA,
        reason: 'NotTriggerScaleUp',
        source: 'cluster-autoscaler',
        message: "pod didn't trigger scale-up: 1 max node group size reached",
        first: at(14),
      }),
      'not-triggered-scale-up',
    ],
    [
      event({
        involved: hubA,
        reason: 'BackOff',
        type: 'Warning',
        container: 'hub',
        message: `Back-off restarting failed container hub in pod ${hubA.metadata.name}`,
        first: at(15),
      }),
      'back-off',
    ],
    [
      event({
        involved: userA,
        reason: 'Evicted',
        type: 'Warning',
        message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 91Mi.',
        first: at(16),
      }),
      'evicted',
    ],
    [
      event({
        involved: hubA,
        reason: 'Unhealthy',
        type: 'Warning',
        message: 'Readiness probe failed: Get "http://10.4.1.2:8081/hub/health": connection refused',
        first: at(17),
      }),
      'unhealthy',
    ],
    [
      event({
        involved: userA,
        reason: 'Preempted',
        source: 'default-scheduler',
        message: 'Preempted by pod 5c2a on node user-1',
        first: at(18),
      }),
      'preempted',
    ],
    [
      event({
        involved: core1,
        reason: 'ScaleDown',
        source: 'cluster-autoscaler',
        message: 'node removed by cluster autoscaler',
        first: at(19),
      }),
      'scale-down',
    ],
    [
      event({
        involved: hubA,
        reason: 'FailedMount',
        type: 'Warning',
        message: 'MountVolume.SetUp failed for volume "pvc"',
        first: at(20),
      }),
      'warning',
    ],
    [
      event({
        involved: userA,
        reason: 'Scheduled',
        source: 'default-scheduler',
        message: 'Successfully assigned hub-a/jupyter-ana to user-1',
        first: at(21),
      }),
      null,
    ],
    [
      event({
        involved: userA,
        reason: 'Pulled',
        message: 'Container image already present on machine',
        first: at(22),
      }),
      null,
    ],
  ];

  it('classifies the events operators act on, and drops routine ones', () => {
    for (const [e, kind] of cases) assert.equal(classifyEvent(normalizeEvent(typedEvent(e))), kind, e.reason);
  });

  it('reads events.k8s.io/v1 events the same way as core/v1 ones', () => {
    const core = cases[2]![0];
    const v1: EventsV1Event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: core.metadata.name, namespace: 'hub-a', uid: core.metadata.uid },
      eventTime: new Date(at(12)),
      reason: 'FailedScheduling',
      note: core.message,
      type: 'Warning',
      regarding: { kind: 'Pod', name: 'jupyter-ana', namespace: 'hub-a' },
      deprecatedCount: 4,
      deprecatedFirstTimestamp: new Date(at(12)),
      deprecatedLastTimestamp: new Date(at(40)),
      reportingController: 'default-scheduler',
      reportingInstance: 'default-scheduler-1',
    };
    const fromV1 = normalizeEvent(v1);
    const fromCore = normalizeEvent(typedEvent(core));
    assert.deepEqual(
      [fromV1.reason, fromV1.message, fromV1.object.name, fromV1.count, fromV1.lastTime],
      [fromCore.reason, fromCore.message, fromCore.object.name, 4, Date.parse(at(40))],
    );
    assert.equal(classifyEvent(fromV1), 'failed-scheduling');
  });

  it('gives each hub its events newest first, and node OOM events only to hubs with pods on that node', () => {
    const hubs = hubsOf({
      pods: [hubA, userA, proxyPod({ ...a, node: 'core-1' }), hubB],
      events: cases.map(([e]) => e),
      nodes: [core1],
      now: at(60),
    });
    const [modelA, modelB] = hubs;
    assert.equal(modelA!.namespace, 'hub-a');
    const times = modelA!.events.map((e) => e.time!);
    assert.deepEqual(times, [...times].sort().reverse());
    assert.deepEqual(
      new Set(modelA!.events.map((e) => e.kind)),
      new Set(cases.map(([, k]) => k).filter((k) => k !== null)),
    );
    const oom = modelA!.events.find((e) => e.kind === 'oom-killing')!;
    assert.equal(oom.node, 'core-1');
    assert.deepEqual(oom.object, { kind: 'Node', name: 'core-1', namespace: '' });
    // hub-b runs on core-2: none of hub-a's events, and not core-1's OOM.
    assert.deepEqual(modelB!.events, []);
  });

  it('keeps a pod’s events with its hub after the pod is gone (one hub in the namespace)', () => {
    const gone = userPod({ ...a, username: 'zed', node: 'user-1' });
    const hub = onlyHub({
      pods: [hubA],
      events: [
        event({
          involved: gone,
          reason: 'Evicted',
          type: 'Warning',
          message: 'The node was low on resource: memory.',
          first: at(5),
        }),
      ],
      now: at(60),
    });
    assert.deepEqual(
      hub.events.map((e) => [e.kind, e.pod]),
      [['evicted', 'jupyter-zed']],
    );
  });

  it('caps a hub’s events and says how many it left out, keeping all of them for observers', () => {
    const many = Array.from({ length: maxEventsPerHub + 25 }, (_, i) => userAUnschedulable(at(i), { seq: i }));
    const { hubs, allEvents } = buildHubsWithEvents(snapshotOf({ pods: [hubA, userA], events: many, now: at(600) }));
    assert.equal(hubs[0]!.events.length, maxEventsPerHub);
    assert.equal(hubs[0]!.eventsOmitted, 25);
    assert.equal(hubs[0]!.events[0]!.time, new Date(at(maxEventsPerHub + 24)).toISOString());
    assert.equal(allEvents.get('hub-a/hub-a')!.length, maxEventsPerHub + 25);
    assert.equal(T0, at(0));
  });
});
