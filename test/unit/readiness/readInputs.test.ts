/**
 * What the readiness check reads from a cluster, through the real client-node against the test server:
 * every value with its source, and what it assumes when something is not readable (a 403 on the hub
 * Secret, no autoscaler status, no metrics API, a namespace-bound token). Nothing fails as a whole.
 */
import assert from 'node:assert/strict';
import { evaluateReadiness, readReadinessInputs, type ReadinessInputs } from '../../../src/core/readiness';
import type { ReadInputsOptions } from '../../../src/core/readiness/readInputs';
import { buildHubDb } from '../../builders/hubDb';
import { useTestServer, type TestServer } from '../../k8s-server';
import { autoscalerStatusConfigMap, hubSecret } from '../../k8s-server/objects';
import { findScenario, Timeline } from '../../k8s-server/scenarios';
import { hubValues } from '../../k8s-server/hubValues';
import { dumpYaml } from '@kubernetes/client-node';
import { userPoolGroup } from '../../k8s-server/scenarios/base';

const GiB = 2 ** 30;
const context = 'hubops-test';

describe('readiness: reading a hub from the cluster', function () {
  this.timeout(30_000);
  const server = useTestServer({
    tokens: [
      { token: 'admin' },
      { token: 'no-secrets', secrets: false },
      { token: 'no-metrics', metrics: false },
      { token: 'classroom-only', namespaces: ['hub-classroom'] },
    ],
  });

  const classStart = (s: TestServer, options = {}) => {
    const t = new Timeline(s, findScenario('class-start')!.steps(options));
    t.advanceTo(45_000);
    return t;
  };
  const read = async (
    s: TestServer,
    token = 'admin',
    options: Partial<ReadInputsOptions> = {},
  ): Promise<ReadinessInputs> => {
    const result = await readReadinessInputs(s.kubeConfig({ token }), {
      context,
      namespace: 'hub-classroom',
      ...options,
    });
    assert.ok(result.ok, result.ok ? '' : result.error.userMessage);
    return result.value;
  };

  it('the class-start hub: limits and guarantees from values.yaml, the user pool, the autoscaler’s node group', async () => {
    classStart(server());
    const inputs = await read(server());
    assert.deepEqual(
      [inputs.spawnLimit.value, inputs.spawnLimit.source, inputs.spawnLimit.assumed],
      [64, 'concurrent spawn limit 64 from Secret hub', false],
    );
    assert.deepEqual(
      [inputs.userMemoryGuarantee.value, inputs.userMemoryGuarantee.source],
      [GiB, 'Secret hub values.yaml: singleuser.memory.guarantee'],
    );
    assert.deepEqual(
      [inputs.placeholderReplicas.value, inputs.placeholderReplicas.source],
      [6, 'Secret hub values.yaml: scheduling.userPlaceholder.replicas'],
    );
    assert.equal(inputs.placeholdersRunning, 6);
    assert.equal(inputs.activeServerLimit.value, null);
    assert.match(inputs.activeServerLimit.source, /not set in Secret hub values\.yaml/);
    assert.deepEqual([inputs.allowNamedServers.value, inputs.namedServerLimitPerUser.value], [true, null]);
    assert.equal(inputs.startTimeoutSeconds.value, 300);
    assert.equal(inputs.hubMemoryLimit.value, 4 * GiB);
    assert.ok(inputs.hubMemoryUsed.value !== null && inputs.hubMemoryUsed.value > 300 * 2 ** 20);
    assert.equal(inputs.jupyterhubVersion.value, '5.3.0');
    assert.equal(inputs.activeServers, 20);

    const pool = inputs.pool.value!;
    assert.equal(pool.nodes.length, 3, 'the three user nodes, not the core ones');
    assert.match(pool.selection, /node selector and required affinity of pod user-placeholder-\d/);
    // 20 TAs and 6 placeholders spread over the three nodes.
    assert.deepEqual(pool.nodes.map((n) => [n.userServers, n.placeholders]).sort(), [
      [6, 2],
      [7, 2],
      [7, 2],
    ]);
    assert.equal(pool.newNode!.memoryBytes, 15399096 * 1024);

    const a = inputs.autoscaler.value!;
    assert.deepEqual([a.target, a.minSize, a.maxSize, a.headroom], [3, 3, 10, 7]);
    assert.equal(a.groups.length, 1, 'the user pool’s group only, not the core pool’s');
    assert.equal(a.groups[0]!.name, userPoolGroup);
    assert.match(
      inputs.autoscaler.source,
      /^ConfigMap kube-system\/cluster-autoscaler-status: node group gke-hub-cluster-user-pool-/,
    );
    assert.deepEqual(inputs.warnings, []);
  });

  it('the autoscaler’s status follows the scale-up as the class arrives', async () => {
    const t = classStart(server());
    t.advanceTo(3 * 60_000);
    const a = (await read(server())).autoscaler.value!;
    // 42 + 22 students waiting for a node: 3 → 6, then 6 → 8; none ready yet.
    assert.deepEqual([a.scaleUp, a.target, a.headroom, a.groups[0]!.ready], ['InProgress', 8, 2, 3]);
  });

  it('a 403 on the hub Secret: the limits are assumed, the rest is seen on the pods, and the report says so', async () => {
    classStart(server());
    const inputs = await read(server(), 'no-secrets');
    assert.deepEqual(
      [inputs.spawnLimit.value, inputs.spawnLimit.assumed, inputs.spawnLimit.source],
      [64, true, 'not permitted to read Secret hub (403 Forbidden): z2jh default 64 assumed'],
    );
    assert.equal(inputs.userMemoryGuarantee.value, GiB);
    assert.ok(inputs.userMemoryGuarantee.assumed);
    assert.match(
      inputs.userMemoryGuarantee.source,
      /^pod jupyter-\S+ requests\.memory \(values not readable: not permitted/,
    );
    assert.deepEqual([inputs.placeholderReplicas.value, inputs.placeholderReplicas.assumed], [6, true]);
    assert.match(
      inputs.startTimeoutSeconds.source,
      /^assumed start timeout 300 s \(z2jh default; not permitted to read Secret hub \(403 Forbidden\)\)$/,
    );

    const report = evaluateReadiness(inputs, { attendees: 150, arrivalMinutes: 0 });
    assert.ok(report.checks.find((c) => c.id === 'spawn-limit')!.source.startsWith(inputs.spawnLimit.source));
    assert.ok(report.assumptions.some((a) => a.startsWith('concurrent spawn limit: not permitted to read Secret hub')));
    assert.equal(report.served, 120, 'the pool and autoscaler are still read: the same prediction');
  });

  it('no autoscaler status: the pool is taken as fixed unless --pool-max says otherwise', async () => {
    classStart(server());
    server().cluster.delete('ConfigMap', 'kube-system', 'cluster-autoscaler-status');
    const inputs = await read(server());
    assert.equal(inputs.autoscaler.value, null);
    assert.match(
      inputs.autoscaler.source,
      /^no ConfigMap kube-system\/cluster-autoscaler-status .*: the pool is assumed not to grow \(pass --pool-max if it does\)$/,
    );
    const fixed = evaluateReadiness(inputs, { attendees: 100, arrivalMinutes: 0 });
    assert.equal(fixed.served, 22);
    assert.equal(fixed.checks.find((c) => c.id === 'node-capacity-now')!.verdict, 'fail');
    assert.deepEqual(
      fixed.valuesDiff.changes.map((c) => [c.id, c.to]),
      [
        ['add-nodes', 9],
        ['spawn-limit', 100],
      ],
    );

    const given = await read(server(), 'admin', { overrides: { poolMaxNodes: 10 } });
    assert.deepEqual(
      [given.autoscaler.value!.headroom, given.autoscaler.source],
      [7, 'given: --pool-max 10 (ConfigMap kube-system/cluster-autoscaler-status not readable)'],
    );
    assert.equal(evaluateReadiness(given, { attendees: 100, arrivalMinutes: 0 }).served, 100);
  });

  it('the autoscaler’s older text status is read the same', async () => {
    classStart(server());
    server().cluster.apply(
      autoscalerStatusConfigMap({
        time: '2026-05-14T18:00:00Z',
        format: 'text',
        groups: [{ name: userPoolGroup, ready: 3, min: 1, max: 12 }],
      }),
    );
    const a = (await read(server())).autoscaler.value!;
    assert.equal(a.status!.format, 'text');
    assert.deepEqual([a.target, a.minSize, a.maxSize, a.headroom, a.scaleUp], [3, 1, 12, 9, 'NoActivity']);
  });

  it('no metrics API: hub memory use unknown, said in the check', async () => {
    classStart(server());
    const inputs = await read(server(), 'no-metrics');
    assert.deepEqual([inputs.hubMemoryUsed.value, inputs.hubMemoryUsed.assumed], [null, true]);
    const check = evaluateReadiness(inputs, { attendees: 10, arrivalMinutes: 0 }).checks.find(
      (c) => c.id === 'hub-memory',
    )!;
    assert.equal(check.verdict, 'warn');
    assert.match(check.detail, /^Limit 4Gi; use unknown \(/);
    assert.ok(inputs.warnings.some((w) => /metrics/.test(w)));
  });

  it('a token bound to the hub’s namespace: no nodes, so capacity is not modelled; the rest still answers', async () => {
    classStart(server());
    const inputs = await read(server(), 'classroom-only');
    assert.equal(inputs.pool.value, null);
    assert.match(
      inputs.pool.source,
      /^user pool not read \(.*list nodes.*403 Forbidden.*\): node capacity not modelled, assumed enough room$/,
    );
    assert.equal(inputs.spawnLimit.value, 64);
    const report = evaluateReadiness(inputs, { attendees: 150, arrivalMinutes: 0 });
    assert.equal(report.served, 150);
    assert.equal(report.checks.find((c) => c.id === 'node-capacity-now')!.verdict, 'warn');
    assert.match(report.checks.find((c) => c.id === 'node-capacity-now')!.detail, /^Not checked: user pool not read/);
  });

  it('a profile’s guarantee and node selector decide the room; an unknown profile is an error naming the profiles', async () => {
    classStart(server());
    const values = hubValues({ namespace: 'hub-classroom', chart: '4.2.0' }, { concurrentSpawnLimit: 64 });
    (values.singleuser as Record<string, unknown>).profileList = [
      { display_name: 'Small', slug: 'small', default: true },
      {
        display_name: 'Large (4 GB)',
        slug: 'large',
        kubespawner_override: { mem_guarantee: '4G', mem_limit: '8G' },
        profile_options: {
          image: { choices: { a: { display_name: 'A', default: true, kubespawner_override: { cpu_guarantee: 0.5 } } } },
        },
      },
    ];
    server().cluster.apply(hubSecret({ namespace: 'hub-classroom', chart: '4.2.0' }, { valuesYaml: dumpYaml(values) }));

    const small = await read(server());
    assert.deepEqual([small.profile.value, small.profile.source], ['Small', 'profile "Small" (the default)']);
    assert.equal(small.userMemoryGuarantee.value, GiB);

    const large = await read(server(), 'admin', { profile: 'large' });
    assert.deepEqual([large.userMemoryGuarantee.value, large.userMemoryLimit.value], [4 * GiB, 8 * GiB]);
    assert.equal(large.userCpuGuarantee.value, 0.5);
    assert.match(large.userMemoryGuarantee.source, /^profile "Large \(4 GB\)" kubespawner_override$/);
    // 4 GiB servers: 5.7 GiB free on two nodes and 6.7 on one, plus 2 GiB of placeholders on each: 1 + 1 + 2.
    const report = evaluateReadiness(large, { attendees: 30, arrivalMinutes: 0 });
    assert.match(
      report.checks.find((c) => c.id === 'node-capacity-now')!.detail,
      /hold 4 more servers of 4Gi \+ 0\.5 CPU/,
    );

    const unknown = await readReadinessInputs(server().kubeConfig({ token: 'admin' }), {
      context,
      namespace: 'hub-classroom',
      profile: 'gpu',
    });
    assert.ok(!unknown.ok);
    assert.equal(unknown.error.userMessage, 'no profile "gpu": the profiles are "small", "large"');
  });

  it('a hub DB snapshot: start-up cost at the hub’s version, named servers, names JupyterHub 6 rejects', async () => {
    classStart(server());
    const bytes = await buildHubDb({
      users: [
        {
          name: 'ana',
          servers: [
            { name: '', running: true },
            { name: 'My.Analysis', running: false },
            { name: 'gpu--2', running: false },
            { name: 'thesis-2025', running: true },
          ],
        },
        { name: '<img src=x onerror=alert(1)>', servers: [{ name: '9lives', running: false }] },
        {
          name: 'bo',
          servers: [
            { name: 'x'.repeat(31), running: false },
            { name: 'ok', running: false },
          ],
        },
      ],
    });
    const inputs = await read(server(), 'admin', { snapshot: { bytes, source: 'snapshot jupyterhub.sqlite' } });
    assert.equal(inputs.hubDb.status, 'analysed');
    if (inputs.hubDb.status !== 'analysed') return;
    assert.deepEqual(
      [inputs.hubDb.named.namedServers, inputs.hubDb.named.usersWithNamed, inputs.hubDb.named.rejectedBy6],
      [6, 3, 4],
    );
    assert.deepEqual(inputs.hubDb.named.rejectedExamples.map((e) => `${e.server}: ${e.problem}`).sort(), [
      '9lives: does not start with a letter',
      'My.Analysis: characters other than a–z, 0–9 and -',
      'gpu--2: a double hyphen',
      `${'x'.repeat(31)}: longer than 30 characters`,
    ]);
    assert.equal(inputs.hubDb.analysis.verdict.status, 'fits');
    assert.equal(inputs.hubDb.analysis.verdict.jupyterhub, '5.0.0-5.3.0');
    const report = evaluateReadiness(inputs, { attendees: 10, arrivalMinutes: 0 });
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    assert.equal(byId['hub-memory-restart']!.verdict, 'ok');
    assert.equal(byId['jupyterhub-6-names']!.verdict, 'warn');
    assert.match(byId['jupyterhub-6-names']!.detail, /^4 named servers have names JupyterHub 6\.0 rejects/);
    assert.match(
      byId['named-servers']!.detail,
      /The snapshot holds 6 named servers of 3 users, at most 3 for one user\.$/,
    );
    assert.ok(
      report.valuesDiff.changes.some((c) => c.id === 'named-server-limit' && c.key === 'hub.namedServerLimitPerUser'),
    );
  });

  it('a file that is not a hub DB: the DB checks say so, the rest answers', async () => {
    classStart(server());
    const inputs = await read(server(), 'admin', {
      snapshot: { bytes: new TextEncoder().encode('not a database at all, just text'), source: 'snapshot notes.txt' },
    });
    assert.equal(inputs.hubDb.status, 'unreadable');
    const report = evaluateReadiness(inputs, { attendees: 10, arrivalMinutes: 0 });
    assert.match(
      report.checks.find((c) => c.id === 'hub-db-startup')!.detail,
      /^Not checked: the snapshot could not be read \(snapshot notes\.txt: This is not a SQLite database/,
    );
  });

  it('no hub in the namespace is an error, not an empty report', async () => {
    classStart(server());
    const result = await readReadinessInputs(server().kubeConfig({ token: 'admin' }), {
      context,
      namespace: 'kube-system',
    });
    assert.ok(!result.ok);
    assert.equal(result.error.userMessage, 'No JupyterHub in namespace "kube-system" of context "hubops-test".');
  });
});
