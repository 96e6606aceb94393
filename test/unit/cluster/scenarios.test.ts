/**
 * The test server's scripted incidents, read the way the CLI reads a cluster (one list pass) and the way
 * the tree does (the watcher), with virtual time: the model's clock is the scenario's clock.
 */
import assert from 'node:assert/strict';
import { listContext } from '../../../src/core/cluster/listPass';
import type { ContextModel, HubModel } from '../../../src/core/cluster/model';
import { findScenario, Timeline } from '../../k8s-server/scenarios';
import { context, eventually, useWatchedServer } from './watcherHarness';

const minutes = (m: number) => m * 60_000;

describe('cluster model on the test server’s scenarios', function () {
  this.timeout(30_000);
  let timeline: Timeline;
  const { server, watch } = useWatchedServer();
  const clock = () => timeline.start.getTime() + timeline.elapsedMs;

  const play = (name: string, untilMs: number) => {
    timeline = new Timeline(server(), findScenario(name)!.steps());
    timeline.advanceTo(untilMs);
  };
  const list = (): Promise<ContextModel> => listContext(server().kubeConfig(), context, { now: clock });
  const hubIn = (model: ContextModel, namespace: string): HubModel => {
    const hub = model.hubs.find((h) => h.namespace === namespace);
    assert.ok(hub, `no hub in ${namespace}: ${model.hubs.map((h) => h.namespace).join(', ')}`);
    return hub;
  };

  it('versions: z2jh 3.3.8 (KubeSpawner 6) and 4.2.0 (KubeSpawner 7) side by side', async () => {
    play('versions', 0);
    const model = await list();
    const legacy = hubIn(model, 'hub-legacy');
    const modern = hubIn(model, 'hub-modern');
    assert.deepEqual([legacy.jupyterhubVersion, legacy.versionSource], ['4.1.6', 'chart-label']);
    assert.deepEqual([modern.jupyterhubVersion, modern.versionSource], ['5.3.0', 'user-pod-annotation']);
    const users = (hub: HubModel) =>
      hub.pods
        .filter((p) => p.role === 'user')
        .map((p) => `${p.name} → ${p.user!.name}/${p.user!.server}`)
        .sort();
    assert.ok(users(legacy).includes('jupyter-li-2ewei--gpu → li.wei/gpu'), users(legacy).join('\n'));
    assert.ok(users(modern).includes('jupyter-li-wei---0a5df1f7 → li.wei/'), users(modern).join('\n'));
    assert.ok(
      users(modern).some((u) => u.endsWith('→ bob/my.analysis')),
      users(modern).join('\n'),
    );
  });

  it('oom-loop: the hub is down, OOMKilled against its 2Gi limit, with the node’s OOM event', async () => {
    play('oom-loop', minutes(4));
    const hub = hubIn(await list(), 'hub-physics');
    assert.equal(hub.health, 'down');
    const pod = hub.pods.find((p) => p.role === 'hub')!;
    assert.equal(pod.lastTermination?.cause, 'oom');
    assert.equal(pod.lastTermination?.exitCode, 137);
    assert.ok(pod.restarts >= 1);
    assert.equal(pod.memory.limitBytes, 2 * 2 ** 30);
    assert.ok(pod.memory.usedBytes !== null && pod.memory.usedBytes < pod.memory.limitBytes!);
    assert.match(hub.healthReasons.join('\n'), /hub OOMKilled \(exit 137\)/);
    assert.ok(
      hub.events.some((e) => e.kind === 'oom-killing' && e.node === pod.node),
      'node OOM event on the hub’s node',
    );
  });

  it('consecutive-failures: exit 1 after 5 spawn failures, told apart from OOM by the previous log', async () => {
    play('consecutive-failures', minutes(1.8));
    const crashed = hubIn(await list(), 'hub-aborting');
    const hubPod = crashed.pods.find((p) => p.role === 'hub')!;
    assert.equal(hubPod.status, 'CrashLoopBackOff');
    assert.deepEqual(
      [hubPod.lastTermination?.cause, hubPod.lastTermination?.exitCode, hubPod.lastTermination?.consecutiveFailures],
      ['spawn-failures', 1, 5],
    );
    assert.equal(crashed.health, 'down');
    timeline.advanceTo(minutes(2.5));
    const back = hubIn(await list(), 'hub-aborting');
    assert.equal(back.health, 'degraded');
    assert.match(back.healthReasons.join('\n'), /hub restarted: after 5 consecutive spawn failures \(exit 1\)/);
  });

  it('consecutive-failures, watched: the restart is reported once, with its cause from the previous log', async () => {
    play('consecutive-failures', minutes(1));
    const watched = watch({ now: clock });
    await watched.until((c) => c.hubs.length === 1, 'the hub');
    timeline.advanceTo(minutes(1.8));
    const restart = await watched.observed((o) => o.kind === 'pod-restarted', 'the hub restart');
    assert.equal(restart.component, 'hub');
    assert.match(restart.text, /restarted: after 5 consecutive spawn failures, Error \(exit 1/);
    await watched.until((c) => c.hubs[0]!.health === 'down', 'hub down');
    timeline.advanceTo(minutes(2.5));
    await watched.until((c) => c.hubs[0]!.health === 'degraded', 'hub back, degraded');
    assert.equal(watched.observations.filter((o) => o.kind === 'pod-restarted').length, 1);
  });

  it('class-start: spawn pressure saturated at the limit, pods waiting for scale-up, placeholders preempted', async () => {
    play('class-start', minutes(4));
    const hub = hubIn(await list(), 'hub-classroom');
    const pressure = hub.spawnPressure;
    assert.equal(pressure.level, 'saturated');
    assert.equal(pressure.pendingSpawns, 64);
    assert.ok(pressure.hubMetrics && pressure.hubMetrics.throttled > 0, 'throttled spawns read from /hub/metrics');
    assert.ok(pressure.scaleUpsTriggered > 0);
    const pending = hub.pods.filter((p) => p.pending);
    assert.ok(pending.some((p) => p.role === 'user' && /^waiting for scale-up \d+m/.test(p.pending!.reason)));
    assert.ok(pending.some((p) => p.role === 'placeholder' && p.pending!.kind === 'preempted'));
    assert.equal(hub.health, 'degraded');
    // The limit is the one in the hub Secret's values.yaml, read, not assumed.
    assert.deepEqual(
      [pressure.concurrentSpawnLimit, pressure.limitSource, pressure.limitDetail],
      [64, 'hub-config', 'concurrent spawn limit 64 from Secret hub'],
    );
  });

  it('incident: each hub’s spawn limit as its values say — set to 64, raised to 100, removed (JupyterHub’s 100)', async () => {
    play('incident', minutes(1));
    const model = await list();
    const limits = ['hub-classroom', 'hub-staff', 'hub-physics'].map((ns) => {
      const p = hubIn(model, ns).spawnPressure;
      return [ns, p.concurrentSpawnLimit, p.limitSource, p.limitDetail];
    });
    assert.deepEqual(limits, [
      ['hub-classroom', 64, 'hub-config', 'concurrent spawn limit 64 from Secret hub'],
      ['hub-staff', 100, 'hub-config', 'concurrent spawn limit 100 from Secret hub'],
      [
        'hub-physics',
        100,
        'jupyterhub-default',
        'hub.concurrentSpawnLimit removed in Secret hub: JupyterHub default 100',
      ],
    ]);
  });

  it('class-start, watched: scale-up and throttling observations as the class arrives', async () => {
    play('class-start', minutes(0.5));
    const watched = watch({ now: clock, metricsIntervalMs: 50 });
    await watched.until((c) => c.hubs.length === 1, 'the classroom hub');
    timeline.advanceTo(minutes(2));
    await watched.observed((o) => o.kind === 'scale-up', 'a scale-up observation');
    const pressure = await watched.observed(
      (o) => o.kind === 'spawn-pressure' && o.status === 'saturated',
      'saturation',
    );
    assert.equal(pressure.hub, 'hub-classroom');
    assert.equal(pressure.limit, 64);
    const read = await watched.until((c) => c.hubs[0]!.spawnPressure.limitSource === 'hub-config', 'limit read');
    assert.equal(read.hubs[0]!.spawnPressure.limitDetail, 'concurrent spawn limit 64 from Secret hub');
    // Students retry every ~45 s: a later reading of /hub/metrics counts new 429s (two readings needed).
    await watched.until((c) => c.hubs[0]!.spawnPressure.hubMetrics !== null, 'a first hub metrics reading');
    timeline.advanceTo(minutes(3));
    const throttled = await watched.observed((o) => o.kind === 'spawn-throttled', 'throttled spawns');
    assert.ok((throttled.count ?? 0) > 0);
    await eventually(
      () => watched.observations.filter((o) => o.kind === 'pod-pending').length >= 64,
      '64 pending observations',
    );
  });
});
