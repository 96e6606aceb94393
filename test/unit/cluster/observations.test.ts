import assert from 'node:assert/strict';
import { buildHubsWithEvents } from '../../../src/core/cluster/buildModel';
import { ObservationMemory } from '../../../src/core/cluster/observations';
import { at, event, hubPod, node, oomKilled, podMetrics, userPod, type Pod } from '../../k8s-server/objects';
import { snapshotOf, type Scene } from './modelFixtures';

const a = { namespace: 'hub-a' };
const b = { namespace: 'hub-b' };

function observer() {
  const memory = new ObservationMemory();
  return (scene: Scene) => {
    const { hubs, allEvents } = buildHubsWithEvents(snapshotOf(scene));
    return memory.observe('prod', hubs, allEvents, Date.parse(scene.now));
  };
}

describe('cluster observations', () => {
  const hub = (extra: Partial<Parameters<typeof hubPod>[0]> = {}): Pod => hubPod({ ...a, node: 'core-1', ...extra });

  it('on the first look, reports recent terminations and current Pending pods, not old history', () => {
    const look = observer();
    const first = look({
      pods: [
        hub({ restartCount: 2, lastTerminated: oomKilled(at(100), at(500)) }),
        hubPod({ ...b, node: 'core-1', restartCount: 1, lastTerminated: oomKilled(at(-90_000), at(-86_400)) }),
        userPod({ ...a, username: 'ana', created: at(550) }),
      ],
      now: at(600),
    });
    assert.deepEqual(
      first.map((o) => [o.kind, o.hub, o.pod]),
      [
        ['pod-oomkilled', 'hub-a', hub().metadata.name],
        ['pod-pending', 'hub-a', 'jupyter-ana'],
      ],
    );
    const oom = first[0]!;
    assert.deepEqual(
      [oom.component, oom.exitCode, oom.restarts, oom.time],
      ['hub', 137, 2, new Date(at(500)).toISOString()],
    );
    // The fact as Prometheus history names it too (by restart count), so a backfill skips it.
    assert.equal(oom.fact, `termination/hub-a/${hub().metadata.name}/hub/2`);
    assert.equal(first[1]!.fact, 'pending/hub-a/jupyter-ana');
  });

  it('reports each fact once: a new termination, a pod scheduled, an event whose count grew', () => {
    const look = observer();
    const pending = userPod({ ...a, username: 'bo', created: at(10) });
    const failed = (count: number) =>
      event({
        involved: pending,
        reason: 'FailedScheduling',
        type: 'Warning',
        source: 'default-scheduler',
        message: '0/3 nodes are available: 3 Insufficient memory.',
        first: at(11),
        last: at(11 + count),
        count,
      });
    look({ pods: [hub(), pending], events: [failed(1)], now: at(20) });
    assert.deepEqual(look({ pods: [hub(), pending], events: [failed(1)], now: at(25) }), []);
    const grown = look({ pods: [hub(), pending], events: [failed(3)], now: at(30) });
    assert.deepEqual(
      grown.map((o) => [o.kind, o.count]),
      [['failed-scheduling', 3]],
    );

    const scheduled = look({
      pods: [hub(), userPod({ ...a, username: 'bo', created: at(10), node: 'user-1' })],
      now: at(200),
    });
    assert.deepEqual(
      scheduled.map((o) => [o.kind, o.node]),
      [['pod-scheduled', 'user-1']],
    );
    assert.match(scheduled[0]!.text, /jupyter-bo scheduled on user-1 after 3m10s/);

    const restarted = look({
      pods: [hub({ restartCount: 1, lastTerminated: { exitCode: 1, reason: 'Error', finishedAt: at(250) } })],
      now: at(260),
    });
    assert.deepEqual(
      restarted.map((o) => [o.kind, o.reason, o.exitCode]),
      [['pod-restarted', 'Error', 1]],
    );
    assert.deepEqual(
      look({
        pods: [hub({ restartCount: 1, lastTerminated: { exitCode: 1, reason: 'Error', finishedAt: at(250) } })],
        now: at(270),
      }),
      [],
    );
  });

  it('reports a node OOM once, cluster-wide, though two hubs run on that node', () => {
    const look = observer();
    const core = node({ name: 'core-1', pool: 'core' });
    const oom = event({
      involved: core,
      reason: 'OOMKilling',
      type: 'Warning',
      source: 'kernel-monitor',
      host: 'core-1',
      message: 'Killed process 4242 (jupyterhub) total-vm:6291456kB',
      first: at(5),
    });
    const seen = look({ pods: [hub(), hubPod({ ...b, node: 'core-1' })], events: [oom], nodes: [core], now: at(10) });
    assert.deepEqual(
      seen.map((o) => [o.kind, o.hub, o.node, o.process]),
      [['node-oom', null, 'core-1', 'jupyterhub']],
    );
  });

  it('reports hub memory when it crosses 80% of the limit, and again only after it fell back', () => {
    const look = observer();
    const limited = hub({ resources: { limits: { memory: '1Gi' } } });
    const sample = (mi: number) => ({
      pods: [limited],
      metrics: [podMetrics(limited, { hub: { cpu: '1', memory: `${mi}Mi` } })],
    });
    assert.deepEqual(look({ ...sample(700), now: '2025-06-02T13:01:00Z' }), []);
    const high = look({ ...sample(900), now: '2025-06-02T13:02:00Z' });
    assert.deepEqual(
      high.map((o) => [o.kind, o.bytes, o.limitBytes]),
      [['hub-memory', 900 * 2 ** 20, 2 ** 30]],
    );
    assert.deepEqual(look({ ...sample(950), now: '2025-06-02T13:03:00Z' }), []);
    look({ ...sample(500), now: '2025-06-02T13:04:00Z' });
    assert.equal(look({ ...sample(1000), now: '2025-06-02T13:05:00Z' }).length, 1);
  });
});
