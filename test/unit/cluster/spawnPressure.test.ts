import assert from 'node:assert/strict';
import { hubKey, type HubExtras } from '../../../src/core/cluster/buildModel';
import { parseHubValues, spawnLimitOf } from '../../../src/core/cluster/hubConfig';
import { summarizeHubMetrics } from '../../../src/core/cluster/hubMetrics';
import { at, event, hubPod, node, proxyPod, userPod, type Pod } from '../../k8s-server/objects';
import { onlyHub } from './modelFixtures';

const r = { namespace: 'hub-a', chart: '4.2.0' };
const base = () => [hubPod({ ...r, node: 'core-1' }), proxyPod({ ...r, node: 'core-1' })];
const pendingUsers = (n: number, from = 0): Pod[] =>
  Array.from({ length: n }, (_, i) => userPod({ ...r, username: `student${from + i}`, created: at(i) }));
const extras = (e: HubExtras) => new Map([[hubKey('hub-a', 'hub-a'), e]]);

/** What JupyterHub 5.x serves on /hub/metrics (abridged: the lines the model reads, plus noise). */
const metrics5 = (throttled: number, failures: number) =>
  [
    '# HELP jupyterhub_server_spawn_duration_seconds Time taken for server spawning operation',
    '# TYPE jupyterhub_server_spawn_duration_seconds histogram',
    'jupyterhub_server_spawn_duration_seconds_bucket{le="0.5",status="success"} 0.0',
    'jupyterhub_server_spawn_duration_seconds_count{status="success"} 120.0',
    'jupyterhub_server_spawn_duration_seconds_sum{status="success"} 900.25',
    `jupyterhub_server_spawn_duration_seconds_count{status="throttled"} ${throttled}.0`,
    `jupyterhub_server_spawn_duration_seconds_count{status="failure"} ${failures}.0`,
    'jupyterhub_server_spawn_duration_seconds_count{status="too-many-users"} 2.0',
    'jupyterhub_server_spawn_duration_seconds_count{status="already-pending"} 9.0',
    '# TYPE jupyterhub_running_servers gauge',
    'jupyterhub_running_servers 87.0',
    'jupyterhub_request_duration_seconds_count{code="429",handler="jupyterhub.handlers.pages.SpawnHandler",method="GET"} 14.0',
    'garbage line {{{',
  ].join('\n');

describe('cluster model: spawn pressure', () => {
  it('reads the concurrent spawn limit from the hub’s values, hub.config winning, else a default that says which', () => {
    assert.deepEqual(spawnLimitOf(parseHubValues('hub:\n  concurrentSpawnLimit: 20\n', 'Secret hub')), {
      limit: 20,
      source: 'hub-config',
      detail: 'concurrent spawn limit 20 from Secret hub',
    });
    const both = 'hub:\n  concurrentSpawnLimit: 20\n  config:\n    JupyterHub:\n      concurrent_spawn_limit: 8\n';
    assert.equal(spawnLimitOf(parseHubValues(both, 'Secret hub')).limit, 8);
    const unset = spawnLimitOf(parseHubValues('hub:\n  db:\n    type: sqlite-pvc\n', 'Secret hub'));
    assert.deepEqual([unset.limit, unset.source], [64, 'z2jh-default']);
    const broken = parseHubValues('hub: [unclosed', 'Secret hub');
    assert.equal(broken.status, 'unreadable');
    // hub.config's key present but null: hub.concurrentSpawnLimit applies.
    const nulled = 'hub:\n  concurrentSpawnLimit: 20\n  config:\n    JupyterHub:\n      concurrent_spawn_limit: null\n';
    assert.equal(spawnLimitOf(parseHubValues(nulled, 'Secret hub')).limit, 20);
    // The chart's own rendering (its Chart block) without the key: nulled by the operator, JupyterHub's 100.
    const rendered = 'Chart:\n  Name: jupyterhub\n  Version: 4.2.0\nhub:\n  baseUrl: /\n';
    assert.deepEqual(spawnLimitOf(parseHubValues(rendered, 'Secret hub')), {
      limit: 100,
      source: 'jupyterhub-default',
      detail: 'hub.concurrentSpawnLimit removed in Secret hub: JupyterHub default 100',
    });
    for (const notValues of ['null', '~', '- a\n- b\n', 'just words'])
      assert.deepEqual(parseHubValues(notValues, 'Secret hub'), {
        status: 'unreadable',
        reason: 'values.yaml in Secret hub is not a YAML mapping of chart values',
      });
    const assumed = spawnLimitOf({ status: 'unreadable', reason: 'Secret hub not readable (403 Forbidden)' });
    assert.deepEqual(
      [assumed.limit, assumed.source, assumed.detail],
      [64, 'assumed-default', 'Secret hub not readable (403 Forbidden): z2jh default 64 assumed'],
    );
  });

  it('parses spawn counters from JupyterHub 5.x and 6.0 metrics, and refuses text that is not a hub’s', () => {
    const readAt = new Date(at(0));
    assert.deepEqual(summarizeHubMetrics(metrics5(14, 3), readAt), {
      readAt: readAt.toISOString(),
      throttled: 14,
      failures: 3,
      tooManyUsers: 2,
      runningServers: 87,
    });
    const six = [
      'jupyterhub_server_spawn_duration_seconds_count{reason="",status="success"} 50',
      'jupyterhub_server_spawn_duration_seconds_count{reason="throttled",status="error"} 7',
      'jupyterhub_server_spawn_duration_seconds_count{reason="exited",status="failure"} 4',
      'jupyterhub_server_spawn_duration_seconds_count{reason="too-many-users",status="error"} 1',
    ].join('\n');
    const parsed = summarizeHubMetrics(six, readAt)!;
    assert.deepEqual([parsed.throttled, parsed.failures, parsed.tooManyUsers], [7, 4, 1]);
    assert.equal(summarizeHubMetrics('<html>404 : Not Found</html>', readAt), null);
  });

  it('is saturated at the limit, counting Pending and not-yet-Ready user pods, not terminating ones', () => {
    const starting = userPod({ ...r, username: 'late', node: 'user-1', container: { state: 'running', ready: false } });
    const leaving = userPod({ ...r, username: 'gone', node: 'user-1' });
    leaving.metadata.deletionTimestamp = at(1);
    const hub = onlyHub({ pods: [...base(), ...pendingUsers(63), starting, leaving], now: at(120) });
    assert.equal(hub.spawnPressure.pendingSpawns, 64);
    assert.equal(hub.spawnPressure.concurrentSpawnLimit, 64);
    assert.equal(hub.spawnPressure.limitSource, 'assumed-default');
    assert.equal(hub.spawnPressure.level, 'saturated');
    assert.equal(hub.health, 'degraded');
    assert.match(
      hub.healthReasons[0]!,
      /spawn pressure saturated: 64 spawns pending, at the concurrent spawn limit of 64/,
    );
  });

  it('rises from a quarter of the configured limit, and is calm below it', () => {
    const config = parseHubValues('hub:\n  concurrentSpawnLimit: 20\n', 'Secret hub');
    const calm = onlyHub({ pods: [...base(), ...pendingUsers(4)], hubExtras: extras({ config }), now: at(60) });
    assert.equal(calm.spawnPressure.level, 'none');
    assert.equal(calm.health, 'ok');
    const rising = onlyHub({ pods: [...base(), ...pendingUsers(5)], hubExtras: extras({ config }), now: at(60) });
    assert.equal(rising.spawnPressure.level, 'rising');
    assert.deepEqual(rising.spawnPressure.reasons, ['5 spawns pending (limit 20)']);
  });

  it('is saturated when the hub throttled spawns since the previous metrics reading', () => {
    const previous = summarizeHubMetrics(metrics5(14, 3), new Date(at(0)))!;
    const current = summarizeHubMetrics(metrics5(20, 3), new Date(at(30)))!;
    const hub = onlyHub({
      pods: [...base(), ...pendingUsers(2)],
      hubExtras: extras({ metrics: current, previousMetrics: previous }),
      now: at(31),
    });
    assert.equal(hub.spawnPressure.level, 'saturated');
    assert.equal(hub.spawnPressure.hubMetrics!.throttledRecent, 6);
    assert.equal(hub.spawnPressure.hubMetrics!.failuresRecent, 0);
    // A single reading says what happened since the hub started, without calling it pressure.
    const once = onlyHub({ pods: [...base()], hubExtras: extras({ metrics: current }), now: at(31) });
    assert.equal(once.spawnPressure.level, 'none');
    assert.ok(once.spawnPressure.reasons.includes('20 spawns throttled since the hub started'));
    // The hub restarted (counters back near zero): the new value is the growth.
    const reset = summarizeHubMetrics(metrics5(2, 0), new Date(at(60)))!;
    const afterRestart = onlyHub({
      pods: base(),
      hubExtras: extras({ metrics: reset, previousMetrics: current }),
      now: at(61),
    });
    assert.equal(afterRestart.spawnPressure.hubMetrics!.throttledRecent, 2);
  });

  it('counts user pods waiting for a scale-up and new nodes that are not Ready yet', () => {
    const pods = pendingUsers(2);
    const events = pods.map((p, i) =>
      event({
        involved: p,
        reason: 'TriggeredScaleUp',
        source: 'cluster-autoscaler',
        message: 'pod triggered scale-up: [{user-pool 2->4 (max: 10)}]',
        first: at(10 + i),
      }),
    );
    const nodes = [
      node({ name: 'user-new-1', created: at(200), ready: false }),
      node({ name: 'user-old', created: at(-86400), ready: false }),
      node({ name: 'user-new-2', created: at(210), ready: true }),
    ];
    const hub = onlyHub({ pods: [...base(), ...pods], events, nodes, now: at(300) });
    assert.equal(hub.spawnPressure.scaleUpsTriggered, 2);
    assert.equal(hub.spawnPressure.nodesJoining, 1);
    assert.equal(hub.spawnPressure.level, 'rising');
    assert.deepEqual(hub.spawnPressure.reasons, [
      '2 user pods waiting for a scale-up',
      '1 new nodes joining (not Ready yet)',
    ]);
  });
});
