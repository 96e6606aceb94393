import assert from 'node:assert/strict';
import type { TestServer } from '../../k8s-server';
import * as k8s from '../../k8s-server/objects';
import { context, count, eventually, useWatchedServer } from './watcherHarness';

const a = { namespace: 'hub-a' };
const b = { namespace: 'hub-b' };
/** The watcher's clock: ten minutes after the builders' T0, so their times are recent. */
const now = () => Date.parse(k8s.at(600));

function seed(server: TestServer): { hubA: k8s.Pod } {
  const hubA = k8s.hubPod({ ...a, node: 'core-1', resources: { limits: { memory: '2Gi' } } });
  server.cluster.applyAll([
    k8s.namespace('hub-a'),
    k8s.namespace('hub-b'),
    k8s.node({ name: 'core-1', pool: 'core' }),
    k8s.node({ name: 'user-1' }),
    hubA,
    k8s.proxyPod({ ...a, node: 'core-1' }),
    k8s.userPod({ ...a, username: 'ana', node: 'user-1' }),
    k8s.hubService(a),
    k8s.hubPod({ ...b, node: 'core-1' }),
    k8s.proxyPod({ ...b, node: 'core-1' }),
  ]);
  return { hubA };
}

describe('cluster watcher against the test API server', function () {
  this.timeout(30_000);
  const { server, watch } = useWatchedServer();

  it('lists and watches: hubs appear, a new user pod goes Pending, then is scheduled', async () => {
    seed(server());
    const watched = watch({ now });
    const first = await watched.until((c) => c.hubs.length === 2, 'two hubs');
    assert.equal(first.status, 'ok');
    assert.deepEqual(
      first.hubs.map((h) => [h.namespace, h.health, h.pods.map((p) => p.role).join(',')]),
      [
        ['hub-a', 'ok', 'hub,proxy,user'],
        ['hub-b', 'ok', 'hub,proxy'],
      ],
    );

    const pending = k8s.userPod({ ...a, username: 'bo', created: k8s.at(500) });
    server().cluster.apply(pending);
    const seen = await watched.observed((o) => o.kind === 'pod-pending' && o.pod === 'jupyter-bo', 'bo pending');
    assert.equal(seen.hub, 'hub-a');
    assert.equal(seen.context, context);
    assert.match(seen.text, /jupyter-bo pending: Insufficient memory/);

    server().cluster.apply(k8s.userPod({ ...a, username: 'bo', created: k8s.at(500), node: 'user-1' }));
    const scheduled = await watched.observed((o) => o.kind === 'pod-scheduled', 'bo scheduled');
    assert.equal(scheduled.node, 'user-1');
    const model = await watched.until(
      (c) => c.hubs[0]!.pods.some((p) => p.name === 'jupyter-bo' && p.ready),
      'bo running',
    );
    assert.equal(model.hubs[0]!.spawnPressure.pendingSpawns, 0);
  });

  it('in summary scope, lists and watches the z2jh pods only: health and counts, no events, nodes or metrics', async () => {
    seed(server());
    server().cluster.apply(
      k8s.hubPod({
        ...a,
        node: 'core-1',
        resources: { limits: { memory: '2Gi' } },
        restartCount: 3,
        lastTerminated: k8s.oomKilled(k8s.at(400), k8s.at(590)),
      }),
    );
    const watched = watch({ now, scope: 'summary' });
    const model = await watched.until((c) => c.hubs.length === 2, 'two hubs');
    assert.deepEqual(
      model.hubs.map((h) => [h.namespace, h.health]),
      [
        ['hub-a', 'down'],
        ['hub-b', 'ok'],
      ],
    );
    server().cluster.apply(
      k8s.proxyPod({ ...b, node: 'core-1', container: { state: 'running', ready: false, startedAt: k8s.at(500) } }),
    );
    await watched.until((c) => c.hubs[1]!.health === 'degraded', 'hub-b degraded by watch');
    const paths = server().requests.map((r) => r.path.split('?')[0]!);
    assert.deepEqual([...new Set(paths)], ['/api/v1/pods'], 'one list and its watch, of pods only');
    assert.equal(server().requests.filter((r) => !r.path.includes('watch=')).length, 1, 'listed once');
    assert.deepEqual(watched.observations, [], 'a summary makes no observations');
  });

  it('reports an OOMKilled hub as down and emits the observation, with metrics against the limit', async () => {
    const { hubA } = seed(server());
    server().cluster.setPodMetrics(k8s.podMetrics(hubA, { hub: { cpu: '250m', memory: '1900Mi' } }));
    const watched = watch({ now });
    await watched.until((c) => c.hubs.length === 2, 'hubs');
    const memory = (await watched.until((c) => c.hubs[0]!.pods[0]!.memory.usedBytes !== null, 'metrics')).hubs[0]!
      .pods[0]!.memory;
    assert.deepEqual(memory, { usedBytes: 1900 * 2 ** 20, limitBytes: 2 * 2 ** 30, container: 'hub' });
    const high = await watched.observed((o) => o.kind === 'hub-memory', 'hub memory observation');
    assert.equal(high.bytes, 1900 * 2 ** 20);

    server().cluster.apply(
      k8s.hubPod({
        ...a,
        node: 'core-1',
        resources: { limits: { memory: '2Gi' } },
        restartCount: 1,
        lastTerminated: k8s.oomKilled(k8s.at(400), k8s.at(590)),
      }),
    );
    const oom = await watched.observed((o) => o.kind === 'pod-oomkilled', 'OOMKilled observation');
    assert.deepEqual(
      [oom.pod, oom.component, oom.exitCode, oom.restarts, oom.hub],
      [hubA.metadata.name, 'hub', 137, 1, 'hub-a'],
    );
    assert.equal(oom.time, new Date(k8s.at(590)).toISOString());
    const down = await watched.until((c) => c.hubs[0]!.health === 'down', 'hub down');
    assert.match(down.hubs[0]!.healthReasons.join('\n'), /OOMKilled \(exit 137\) 10s ago/);
    // The same termination seen again (a later update of the pod) is not a new observation.
    server().cluster.patch<k8s.Pod>('Pod', 'hub-a', hubA.metadata.name, (p) => {
      p.metadata.labels = { ...p.metadata.labels, touched: 'yes' };
    });
    server().cluster.apply(k8s.userPod({ ...a, username: 'zed', node: 'user-1' }));
    // Changes arrive in order on one watch: once zed is in, the touched hub pod was seen too.
    await watched.until((c) => c.hubs[0]!.pods.some((p) => p.name === 'jupyter-zed'), 'rebuilt');
    assert.equal(watched.observations.filter((o) => o.kind === 'pod-oomkilled').length, 1);
  });

  it('emits one observation per pod for a burst of Pending pods, and the scheduler’s events', async () => {
    seed(server());
    const watched = watch({ now });
    await watched.until((c) => c.hubs.length === 2, 'hubs');
    const burst = Array.from({ length: 20 }, (_, i) =>
      k8s.userPod({ ...a, username: `student${i}`, created: k8s.at(550) }),
    );
    server().cluster.applyAll(burst);
    server().cluster.applyAll(
      burst.map((p, i) =>
        k8s.event({
          involved: p,
          reason: 'FailedScheduling',
          type: 'Warning',
          source: 'default-scheduler',
          message:
            '0/2 nodes are available: 1 Insufficient memory, 1 k8s.node(s) had untolerated taint {hub.jupyter.org_dedicated: user}.',
          first: k8s.at(551 + i),
        }),
      ),
    );
    await eventually(
      () => watched.observations.filter((o) => o.kind === 'pod-pending').length === 20,
      '20 pending observations',
      10_000,
    );
    await eventually(
      () => watched.observations.filter((o) => o.kind === 'failed-scheduling').length === 20,
      '20 scheduling observations',
      10_000,
    );
    const pressured = await watched.until((c) => c.hubs[0]!.spawnPressure.pendingSpawns === 20, 'pressure');
    assert.equal(pressured.hubs[0]!.spawnPressure.level, 'rising');
    assert.equal(pressured.hubs[0]!.health, 'degraded');
    const pressure = await watched.observed((o) => o.kind === 'spawn-pressure', 'spawn pressure observation');
    assert.equal(pressure.limit, 64);
  });

  it('without configured namespaces, a namespace-limited token is a clear 403 error', async () => {
    seed(server());
    server().tokens.push({ token: 'limited', namespaces: ['hub-a'] });
    const watched = watch({ token: 'limited' });
    const failed = await watched.until((c) => c.status === 'error', 'error state');
    assert.equal(failed.error!.code, 'forbidden');
    assert.match(failed.error!.message, /not allowed to list pods across all namespaces \(403 Forbidden/);
    assert.match(failed.error!.message, /jupyterhubOps\.namespaces/);
  });

  it('with configured namespaces, a namespace-limited token works and says what it cannot see', async () => {
    seed(server());
    server().tokens.push({ token: 'limited', namespaces: ['hub-a'] });
    const watched = watch({ token: 'limited', namespaces: ['hub-a'], now });
    const model = await watched.until((c) => c.hubs.length === 1 && c.warnings.length >= 2, 'hub-a with warnings');
    assert.equal(model.status, 'ok');
    assert.equal(model.hubs[0]!.namespace, 'hub-a');
    assert.ok(
      model.warnings.some((w) => /list nodes at the cluster scope \(403/.test(w)),
      model.warnings.join('\n'),
    );
    assert.ok(
      model.warnings.some((w) => /list node events in namespace "default" \(403/.test(w)),
      model.warnings.join('\n'),
    );
    // A namespace the token cannot read, next to one it can: the context works, with a warning.
    watched.watcher.dispose();
    const both = watch({ token: 'limited', namespaces: ['hub-a', 'hub-b'], now });
    const partial = await both.until((c) => c.hubs.length === 1 && c.warnings.some((w) => /hub-b/.test(w)), 'partial');
    assert.equal(partial.status, 'ok');
    assert.ok(partial.warnings.some((w) => /not allowed to list pods in namespace "hub-b"/.test(w)));
  });

  it('shows 401 as an error and recovers by itself when the credentials work again', async () => {
    seed(server());
    server().tokens[0]!.expired = true;
    const watched = watch({ now });
    const failed = await watched.until((c) => c.status === 'error', '401');
    assert.equal(failed.error!.code, 'unauthorized');
    assert.match(failed.error!.message, /401 Unauthorized/);
    assert.doesNotMatch(JSON.stringify(failed), /hubops-test-token/);
    delete server().tokens[0]!.expired;
    const back = await watched.until((c) => c.status === 'ok' && c.hubs.length === 2, 'recovered');
    assert.equal(back.error, undefined);
  });

  it('relists after 410 Gone when its resourceVersion was compacted away', async () => {
    seed(server());
    const watched = watch({ now });
    await watched.until((c) => c.hubs.length === 2, 'hubs');
    const podLists = () =>
      server().requests.filter((r) => r.path.startsWith('/api/v1/pods?') && !r.path.includes('watch=')).length;
    const before = podLists();
    // While the server is away, the cluster moves on and etcd compacts: the watch cannot resume.
    const back = server().setUnreachable(300);
    server().cluster.apply(k8s.userPod({ ...b, username: 'cy', node: 'user-1' }));
    server().cluster.compactHistory();
    await back;
    const model = await watched.until((c) => c.hubs[1]!.pods.some((p) => p.name === 'jupyter-cy'), 'cy after relist');
    assert.equal(model.status, 'ok');
    // Resuming a watch needs no list; only a 410 (an ERROR event in the watch stream) makes it relist.
    assert.ok(podLists() > before, 'pods were listed again');
  });

  it('reconnects after watch streams are cut, gracefully or not', async () => {
    seed(server());
    const watched = watch({ now });
    await watched.until((c) => c.hubs.length === 2, 'hubs');
    await eventually(() => server().openWatches >= 3, 'watches open');
    server().cutWatches();
    server().cluster.apply(k8s.userPod({ ...a, username: 'dee', node: 'user-1' }));
    await watched.until((c) => c.hubs[0]!.pods.some((p) => p.name === 'jupyter-dee'), 'dee after a clean cut');
    await eventually(() => server().openWatches >= 3, 'watches open again');
    server().cutWatches({ abrupt: true });
    server().cluster.apply(k8s.userPod({ ...a, username: 'eve', node: 'user-1' }));
    const model = await watched.until(
      (c) => c.hubs[0]!.pods.some((p) => p.name === 'jupyter-eve'),
      'eve after an abrupt cut',
    );
    assert.equal(model.status, 'ok');
  });

  it('turns an unreachable server into an error state and recovers when it is back', async () => {
    seed(server());
    const watched = watch({ now });
    await watched.until((c) => c.hubs.length === 2, 'hubs');
    const back = server().setUnreachable(1500);
    // The cut watch says "connection closed" first; the retries then meet a closed port.
    const down = await watched.until((c) => c.status === 'error' && /refused/.test(c.error!.message), 'unreachable');
    assert.equal(down.error!.code, 'unreachable');
    assert.match(
      down.error!.message,
      /cannot reach the API server at https:\/\/127\.0\.0\.1:\d+ \(connection refused\)/,
    );
    // The last hubs seen stay visible while the context is down.
    assert.equal(down.hubs.length, 2);
    await back;
    server().cluster.apply(k8s.userPod({ ...a, username: 'fay', node: 'user-1' }));
    const up = await watched.until(
      (c) => c.status === 'ok' && c.hubs[0]!.pods.some((p) => p.name === 'jupyter-fay'),
      'back',
    );
    assert.equal(up.error, undefined);
  });

  it('survives 500s on the first lists', async () => {
    seed(server());
    server().faults.failNext('/api/v1/pods', { code: 500, times: 2, message: 'etcdserver: request timed out' });
    const watched = watch({ now });
    const failed = await watched.until((c) => c.status === 'error', '500');
    assert.equal(failed.error!.code, 'server-error');
    assert.match(failed.error!.message, /\(500: Internal error occurred: etcdserver: request timed out\)/);
    await watched.until((c) => c.status === 'ok' && c.hubs.length === 2, 'recovered');
  });

  it('builds the first model once everything is listed and a lone change at once; a burst waits out the quiet time', async () => {
    seed(server());
    const quietMs = 5000;
    const watched = watch({ now, debounceMs: quietMs });
    const has = (pod: string) => (c: { hubs: { pods: { name: string }[] }[] }) =>
      c.hubs.some((h) => h.pods.some((p) => p.name === pod));
    // These waits end well inside the quiet time: only a rebuild that does not wait for it meets them.
    await watched.until((c) => c.hubs.length === 2, 'the first model', quietMs - 1000);
    await new Promise((r) => setTimeout(r, quietMs + 1000)); // a quiet spell
    server().cluster.apply(k8s.userPod({ ...b, username: 'cy' }));
    await watched.until(has('jupyter-cy'), 'a lone change', quietMs - 1000);
    // A change just after that rebuild is part of a burst: it comes with the rebuild at the end of the quiet time.
    const burst = Date.now();
    server().cluster.apply(k8s.userPod({ ...b, username: 'dee' }));
    await watched.until(has('jupyter-dee'), 'the change in the burst', 2 * quietMs);
    assert.ok(Date.now() - burst >= quietMs / 2, `the burst was rebuilt after ${Date.now() - burst} ms`);
  });

  it('rebuilds only the hubs of the namespace that changed, as a full build would; a node’s event rebuilds every hub', async () => {
    seed(server());
    const watched = watch({ now });
    await watched.until((c) => c.hubs.length === 2, 'two hubs');
    await new Promise((r) => setTimeout(r, 500)); // the side reads (hub config) land and are rebuilt
    const before = await watched.until(() => true, 'the settled model');
    const [hubA, hubB] = before.hubs;

    server().cluster.apply(k8s.userPod({ ...a, username: 'cy', created: k8s.at(550) }));
    const after = await watched.until((c) => c.hubs[0]!.pods.some((p) => p.name === 'jupyter-cy'), 'cy in hub-a');
    assert.notEqual(after.hubs[0], hubA, 'hub-a is built again');
    assert.equal(after.hubs[1], hubB, 'hub-b keeps the model it had: nothing of it changed');
    // A watcher started now builds everything from scratch: hub-a must come out the same.
    const fresh = watch({ now });
    await fresh.until((c) => c.hubs.length === 2, 'the fresh watcher’s first model');
    await new Promise((r) => setTimeout(r, 500));
    const full = await fresh.until(() => true, 'the fresh watcher’s settled model');
    fresh.watcher.dispose();
    assert.deepEqual(after.hubs, full.hubs);

    server().cluster.apply(
      k8s.event({
        involved: k8s.node({ name: 'core-1', pool: 'core' }),
        reason: 'NodeNotReady',
        type: 'Warning',
        source: 'node-controller',
        message: 'Node core-1 status is now: NodeNotReady',
        first: k8s.at(590),
      }),
    );
    await watched.until((c) => c.hubs[1] !== hubB, 'hub-b built again after the node’s event');
  });

  it('pauses and resumes metrics polling', async () => {
    seed(server());
    const watched = watch({ now, metricsIntervalMs: 50 });
    const metricsCalls = () => server().requests.filter((r) => r.path.startsWith('/apis/metrics.k8s.io/')).length;
    await eventually(() => metricsCalls() >= 3, 'metrics polled');
    watched.watcher.pauseMetrics();
    await new Promise((r) => setTimeout(r, 100)); // a poll in flight may still land
    const paused = metricsCalls();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(metricsCalls(), paused, 'no polls while paused');
    watched.watcher.resumeMetrics();
    await eventually(() => metricsCalls() > paused, 'polling again');
  });

  it('leaves no sockets, watches or timers after dispose, even with retries and polls pending', async () => {
    seed(server());
    server().tokens.push({ token: 'limited', namespaces: ['hub-a'] });
    // Mocha arms its own test timer once this function returns its promise: count after that.
    await new Promise((r) => setImmediate(r));
    const sockets = count('TCPSocketWrap');
    const timers = count('Timeout');
    // Long delays, so a timer dispose forgot would still be there: nodes and node events are
    // forbidden for this token (retrying), and the next metrics poll is a minute away.
    const watched = watch({
      now,
      token: 'limited',
      namespaces: ['hub-a'],
      metricsIntervalMs: 60_000,
      backoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    await watched.until((c) => c.hubs.length === 1 && c.warnings.length >= 2, 'hub-a with forbidden nodes');
    await eventually(() => server().openWatches >= 2, 'watches open');
    assert.ok(count('Timeout') > timers, 'retry and poll timers are pending');
    watched.watcher.dispose();
    await eventually(() => server().openWatches === 0, 'watches closed on the server');
    await eventually(() => count('TCPSocketWrap') <= sockets, `sockets back to ${sockets}`);
    await eventually(() => count('Timeout') <= timers, `timers back to ${timers}`);
  });

  it('reads logs, YAML (env secrets masked) and hub metrics on demand', async () => {
    const { hubA } = seed(server());
    server().cluster.logs.set('hub-a', hubA.metadata.name, 'hub', {
      current: 'started\n',
      previous: 'line 1\nAborting due to 5 consecutive spawn failures\n',
    });
    server().cluster.setHubMetrics('hub-a', 'jupyterhub_server_spawn_duration_seconds_count{status="throttled"} 3\n');
    const user = k8s.userPod({ ...a, username: 'ana', node: 'user-1' });
    (user.spec.containers[0]!.env as { name: string; value: string }[]).push({
      name: 'JUPYTERHUB_API_TOKEN',
      value: 'secret-token-value',
    });
    server().cluster.apply(user);
    const watched = watch({ now });
    await watched.until((c) => c.hubs.length === 2, 'hubs');
    const logs = await watched.watcher.readPodLogs(context, 'hub-a', hubA.metadata.name, {
      previous: true,
      tailLines: 1,
    });
    assert.deepEqual(logs, { ok: true, value: 'Aborting due to 5 consecutive spawn failures\n' });
    const yaml = await watched.watcher.podYaml(context, 'hub-a', 'jupyter-ana');
    assert.ok(yaml.ok);
    assert.match(yaml.value, /name: JUPYTERHUB_API_TOKEN\n\s+value: '<hidden: reveal to show>'/);
    assert.doesNotMatch(yaml.value, /secret-token-value/);
    const revealed = await watched.watcher.podYaml(context, 'hub-a', 'jupyter-ana', { reveal: true });
    assert.ok(revealed.ok && revealed.value.includes('secret-token-value'));
    const metrics = await watched.watcher.readHubMetrics(context, 'hub-a');
    assert.ok(metrics.ok);
    assert.equal(metrics.value.throttled, 3);
    const missing = await watched.watcher.readPodLogs(context, 'hub-a', 'no-such-pod');
    assert.ok(!missing.ok);
    assert.equal(missing.error.code, 'not-found');
  });
});
