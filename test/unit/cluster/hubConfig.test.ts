/**
 * The hub's concurrent spawn limit, read from the z2jh `hub` Secret's values.yaml on the test API server
 * through the real client-node, by the list pass and by the watcher: where it came from, and what the
 * model says when the Secret is forbidden, missing, broken or the server fails.
 */
import assert from 'node:assert/strict';
import { listContext } from '../../../src/core/cluster/listPass';
import type { ContextModel, HubModel } from '../../../src/core/cluster/model';
import { startTestServer, type TestServer } from '../../k8s-server';
import {
  at,
  hubConfigMap,
  hubPod,
  hubSecret,
  hubValuesYaml,
  namespace,
  node,
  proxyPod,
  type HubSecretOptions,
  type Release,
} from '../../k8s-server/objects';
import { context, eventually, watch, type Watched } from './watcherHarness';

const now = () => Date.parse(at(600));
const clientSecret = 'gh-oauth-client-secret-5f1e0c';

/** A hub in its own namespace: pods, ConfigMap, and the Secret unless `secret` is null. */
function deployHub(server: TestServer, r: Release, secret: HubSecretOptions | null, pod: { secretName?: string } = {}) {
  server.cluster.applyAll([
    namespace(r.namespace),
    hubPod({ ...r, node: 'core-1', ...pod }),
    proxyPod({ ...r, node: 'core-1' }),
    hubConfigMap(r),
    ...(secret ? [hubSecret(r, { clientSecret, ...secret })] : []),
  ]);
}

const hubIn = (model: ContextModel, ns: string): HubModel => {
  const hub = model.hubs.find((h) => h.namespace === ns);
  assert.ok(hub, `no hub in ${ns}: ${JSON.stringify(model).slice(0, 800)}`);
  return hub;
};
const limitOf = (model: ContextModel, ns: string) => {
  const p = hubIn(model, ns).spawnPressure;
  return { limit: p.concurrentSpawnLimit, source: p.limitSource, detail: p.limitDetail };
};

describe('cluster model: the hub’s spawn limit from its Secret, on the test API server', function () {
  this.timeout(30_000);
  let server: TestServer;
  let watched: Watched | undefined;
  const list = (token?: string) =>
    listContext(server.kubeConfig({ context, ...(token ? { token } : {}) }), context, { now });

  beforeEach(async () => {
    server = await startTestServer({
      tokens: [
        { token: 'admin', user: 'admin' },
        { token: 'no-secrets', user: 'system:serviceaccount:hubops:viewer', secrets: false },
      ],
    });
    server.cluster.apply(node({ name: 'core-1', pool: 'core' }));
  });
  afterEach(async () => {
    watched?.watcher.dispose();
    watched = undefined;
    await server.close();
  });

  it('list pass: reads hub.concurrentSpawnLimit, hub.config winning, from the Secret the hub pod mounts', async () => {
    deployHub(server, { namespace: 'hub-a' }, { concurrentSpawnLimit: 40 });
    deployHub(
      server,
      { namespace: 'hub-b' },
      { concurrentSpawnLimit: 40, hubConfig: { JupyterHub: { concurrent_spawn_limit: 12 } } },
    );
    // fullnameOverride-style names: the pod mounts `jhub-hub`; a stray `hub` Secret must not be read.
    deployHub(
      server,
      { namespace: 'hub-c' },
      { name: 'jhub-hub', concurrentSpawnLimit: 25 },
      { secretName: 'jhub-hub' },
    );
    server.cluster.apply(hubSecret({ namespace: 'hub-c' }, { concurrentSpawnLimit: 999 }));
    // The chart's values with the key removed (`concurrentSpawnLimit: null`): JupyterHub's own default.
    deployHub(server, { namespace: 'hub-d' }, { concurrentSpawnLimit: null });
    const model = await list();
    assert.equal(model.status, 'ok');
    assert.deepEqual(limitOf(model, 'hub-a'), {
      limit: 40,
      source: 'hub-config',
      detail: 'concurrent spawn limit 40 from Secret hub',
    });
    assert.deepEqual(limitOf(model, 'hub-b').limit, 12);
    assert.deepEqual(limitOf(model, 'hub-c'), {
      limit: 25,
      source: 'hub-config',
      detail: 'concurrent spawn limit 25 from Secret jhub-hub',
    });
    assert.deepEqual(limitOf(model, 'hub-d'), {
      limit: 100,
      source: 'jupyterhub-default',
      detail: 'hub.concurrentSpawnLimit removed in Secret hub: JupyterHub default 100',
    });
    // values.yaml carries the hub's secrets: none of them reaches the model.
    const text = JSON.stringify(model);
    assert.ok(!text.includes(clientSecret), 'the OAuth client secret stays out of the model');
    assert.ok(!/cookie_secret|auth_token|CryptKeeper/.test(text));
  });

  it('list pass: 403 on secrets falls back to 64 and says not permitted; the rest of the hub is read', async () => {
    deployHub(server, { namespace: 'hub-a' }, { concurrentSpawnLimit: 40 });
    const model = await list('no-secrets');
    assert.equal(model.status, 'ok');
    assert.deepEqual(limitOf(model, 'hub-a'), {
      limit: 64,
      source: 'assumed-default',
      detail: 'not permitted to read Secret hub (403 Forbidden): z2jh default 64 assumed',
    });
    assert.deepEqual(
      hubIn(model, 'hub-a')
        .pods.map((p) => p.role)
        .sort(),
      ['hub', 'proxy'],
    );
    // It looked for the values in the ConfigMap too (z2jh 1.0+ keeps none there).
    const asked = server.requests.filter((r) => /\/namespaces\/hub-a\/(secrets|configmaps)\/hub$/.test(r.path));
    assert.deepEqual(
      asked.map((r) => `${r.path.split('/').at(-2)} ${r.status}`),
      ['secrets 403', 'configmaps 200'],
    );
  });

  it('list pass: with secrets forbidden, values.yaml in the hub ConfigMap (older setups) is used', async () => {
    const r = { namespace: 'hub-a' };
    deployHub(server, r, { concurrentSpawnLimit: 40 });
    server.cluster.apply(hubConfigMap(r, { valuesYaml: hubValuesYaml(r, { concurrentSpawnLimit: 30 }) }));
    assert.deepEqual(limitOf(await list('no-secrets'), 'hub-a'), {
      limit: 30,
      source: 'hub-config',
      detail: 'concurrent spawn limit 30 from ConfigMap hub',
    });
  });

  it('list pass: broken, missing or unreadable values fall back to 64 with a clear reason each', async () => {
    const hostile = `hub:\n  config:\n    GitHubOAuthenticator:\n      client_secret: ${clientSecret}\n  concurrentSpawnLimit: [64\n`;
    const cases: [string, HubSecretOptions | null, RegExp][] = [
      ['hub-yaml', { valuesYaml: hostile }, /^values\.yaml in Secret hub is not valid YAML \(.+\(\d+:\d+\)\)$/],
      ['hub-list', { valuesYaml: '- hub\n- proxy\n' }, /^values\.yaml in Secret hub is not a YAML mapping/],
      [
        'hub-word',
        { valuesYaml: 'hub:\n  concurrentSpawnLimit: sixty-four\n' },
        /^hub\.concurrentSpawnLimit in Secret hub is not a whole number of 0 or more$/,
      ],
      [
        'hub-minus',
        { hubConfig: { JupyterHub: { concurrent_spawn_limit: -1 } } },
        /^hub\.config\.JupyterHub\.concurrent_spawn_limit in Secret hub is not a whole number/,
      ],
      ['hub-empty', { valuesYaml: '  \n' }, /^values\.yaml in Secret hub is empty$/],
      ['hub-nokey', { valuesYaml: null }, /^Secret hub has no values\.yaml$/],
      ['hub-none', null, /^Secret hub not found \(404\)$/],
      ['hub-500', { concurrentSpawnLimit: 40 }, /^hub config not readable: Secret hub \(500\)$/],
    ];
    for (const [ns, secret] of cases) deployHub(server, { namespace: ns }, secret);
    server.faults.failNext('/api/v1/namespaces/hub-500/secrets/hub', { code: 500 });
    const model = await list();
    assert.equal(model.status, 'ok');
    for (const [ns, , reason] of cases) {
      const { limit, source, detail } = limitOf(model, ns);
      assert.deepEqual([limit, source], [64, 'assumed-default'], ns);
      const [why, tail] = detail.split(/: (?=z2jh default 64 assumed$)/);
      assert.equal(tail, 'z2jh default 64 assumed', `${ns}: ${detail}`);
      assert.match(why!, reason, ns);
    }
    assert.ok(!JSON.stringify(model).includes(clientSecret), 'no part of a broken values.yaml is echoed');
  });

  it('watcher: reads the limit from the Secret, and again when a helm upgrade rolls the hub pod', async () => {
    const r = { namespace: 'hub-a' };
    deployHub(server, r, { concurrentSpawnLimit: 40 });
    watched = watch(server, { now });
    const first = await watched.until((c) => c.hubs[0]?.spawnPressure.limitSource === 'hub-config', 'limit read');
    assert.deepEqual(limitOf(first, 'hub-a'), {
      limit: 40,
      source: 'hub-config',
      detail: 'concurrent spawn limit 40 from Secret hub',
    });
    // helm upgrade: the Secret changes, its checksum annotation rolls the hub Deployment's pod.
    server.cluster.apply(hubSecret(r, { concurrentSpawnLimit: 80 }));
    const old = hubPod({ ...r, node: 'core-1' });
    server.cluster.apply(hubPod({ ...r, node: 'core-1', revision: '2', created: at(300) }));
    server.cluster.delete('Pod', 'hub-a', old.metadata.name);
    const upgraded = await watched.until(
      (c) => c.hubs[0]?.spawnPressure.concurrentSpawnLimit === 80,
      'the new limit after the roll',
    );
    assert.equal(limitOf(upgraded, 'hub-a').detail, 'concurrent spawn limit 80 from Secret hub');
  });

  it('watcher: a 500 on the Secret shows the reason, and the next metrics tick reads it again', async () => {
    deployHub(server, { namespace: 'hub-a' }, { concurrentSpawnLimit: 40 });
    server.faults.failNext('/api/v1/namespaces/hub-a/secrets/hub', { code: 500 });
    watched = watch(server, { now, metricsIntervalMs: 50 });
    const failed = await watched.until((c) => /\(500\)/.test(c.hubs[0]?.spawnPressure.limitDetail ?? ''), '500');
    assert.deepEqual(limitOf(failed, 'hub-a'), {
      limit: 64,
      source: 'assumed-default',
      detail: 'hub config not readable: Secret hub (500): z2jh default 64 assumed',
    });
    const read = await watched.until((c) => c.hubs[0]!.spawnPressure.limitSource === 'hub-config', 'read again');
    assert.equal(limitOf(read, 'hub-a').limit, 40);
    const reads = server.requests.filter((r) => r.path === '/api/v1/namespaces/hub-a/secrets/hub');
    assert.deepEqual(
      reads.map((r) => r.status),
      [500, 200],
    );
  });

  it('watcher: a 403 is not retried on metrics ticks (RBAC and the Secret change with a new hub pod)', async () => {
    deployHub(server, { namespace: 'hub-a' }, { concurrentSpawnLimit: 40 });
    watched = watch(server, { now, token: 'no-secrets', metricsIntervalMs: 20 });
    await watched.until((c) => /not permitted/.test(c.hubs[0]?.spawnPressure.limitDetail ?? ''), 'the 403 reason');
    const metricsReads = () => server.requests.filter((r) => r.path.startsWith('/apis/metrics.k8s.io/')).length;
    const before = metricsReads();
    await eventually(() => metricsReads() >= before + 3, 'three more metrics ticks');
    const reads = server.requests.filter((r) => r.path === '/api/v1/namespaces/hub-a/secrets/hub');
    assert.equal(reads.length, 1);
  });

  it('watcher: a token without secrets shows 64 and not permitted, and watches everything else', async () => {
    deployHub(server, { namespace: 'hub-a' }, { concurrentSpawnLimit: 40 });
    watched = watch(server, { now, token: 'no-secrets' });
    const model = await watched.until(
      (c) => c.hubs.length === 1 && /not permitted/.test(c.hubs[0]!.spawnPressure.limitDetail),
      'the 403 reason',
    );
    assert.equal(model.status, 'ok');
    assert.deepEqual(limitOf(model, 'hub-a'), {
      limit: 64,
      source: 'assumed-default',
      detail: 'not permitted to read Secret hub (403 Forbidden): z2jh default 64 assumed',
    });
  });
});
