import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cluster } from '../../../src/cli/cluster';
import type { ClusterModel } from '../../../src/core/cluster/model';
import { runSubcommand } from '../../harness/runCli';
import { useTempDir } from '../../harness/tempDir';
import { startTestServer, type TestServer } from '../../k8s-server';
import * as k8s from '../../k8s-server/objects';

const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const run = (args: string[]) => runSubcommand(cluster, args);

describe('hubops cluster', function () {
  this.timeout(30_000);
  const dir = useTempDir();
  let server: TestServer;
  let kubeconfig: string;

  beforeEach(async () => {
    server = await startTestServer();
    const a = { namespace: 'hub-a', chart: '4.3.2' };
    const hub = k8s.hubPod({
      ...a,
      node: 'core-1',
      resources: { limits: { memory: '2Gi' } },
      restartCount: 4,
      // The CLI reads the real clock: an OOM kill two minutes ago is recent.
      lastTerminated: k8s.oomKilled(ago(600), ago(120)),
    });
    const pending = k8s.userPod({ ...a, username: 'li.wei' });
    server.cluster.applyAll([
      k8s.namespace('hub-a'),
      k8s.node({ name: 'core-1', pool: 'core' }),
      hub,
      k8s.proxyPod({ ...a, node: 'core-1' }),
      k8s.userPod({ ...a, username: 'ana', node: 'core-1', memoryLimit: '1G' }),
      pending,
      k8s.hubService(a),
      k8s.hubSecret(a, { concurrentSpawnLimit: 48, clientSecret: 'cli-test-oauth-client-secret' }),
      k8s.event({
        involved: pending,
        reason: 'FailedScheduling',
        type: 'Warning',
        source: 'default-scheduler',
        message: '0/5 nodes are available: 5 Insufficient memory.\u001b[2J\u001b[31mgotcha\nhub-z/hub-z \u202eforged',
      }),
    ]);
    server.cluster.setPodMetrics(k8s.podMetrics(hub, { hub: { cpu: '1', memory: '1536Mi' } }));
    kubeconfig = server.writeKubeconfig(join(dir(), 'config'));
  });
  afterEach(() => server.close());

  it('prints a table per hub: roles, status, memory against the limit, restarts, terminations, pending reasons', async () => {
    const { code, out, err } = await run(['--kubeconfig', kubeconfig]);
    assert.equal(code, 0, err);
    assert.match(out, /^hub-a\/hub-a — JupyterHub 5\.4\.3 \(/m);
    assert.match(out, /health: down — hub OOMKilled \(exit 137\)/);
    assert.match(out, /spawn pressure: none, 1 pending of limit 48 \(concurrent spawn limit 48 from Secret hub\)/);
    assert.match(out, /hub-\S+\s+hub\s+Running\s+yes\s+1\.5Gi \/ 2Gi · 75%\s+4\s+OOMKilled \(137\)/);
    assert.match(
      out,
      /jupyter-li-wei---0a5df1f7 \[li\.wei\]\s+user\s+Pending\s+no\s+no metrics\s+0\s+Insufficient memory \(5\/5 nodes\)/,
    );
    // Terminal escapes in cluster text are shown, not obeyed.
    assert.ok(!out.includes('\u001b'), 'no raw escape character in the output');
    assert.ok(out.includes('\\x1b[2J\\x1b[31mgotcha\\nhub-z/hub-z \\u202eforged'), 'the escapes are shown as text');
    assert.doesNotMatch(out, /^hub-z/m, 'a newline in an event message adds no line');
    assert.doesNotMatch(out + err, /[^\n\P{Cc}]|[\p{Cf}\p{Zl}\p{Zp}]/u);
    assert.doesNotMatch(out + err, /hubops-test-token/);
    assert.doesNotMatch(out + err, /cli-test-oauth-client-secret/, 'values.yaml secrets stay out of the output');
  });

  it('prints the model as JSON with the contract’s field names', async () => {
    const { code, out } = await run(['--kubeconfig', kubeconfig, '--json']);
    assert.equal(code, 0);
    assert.doesNotMatch(out, /[^\n\P{Cc}]|[\p{Cf}\p{Zl}\p{Zp}]/u, 'bidi characters are \\u escapes in the JSON too');
    const model = JSON.parse(out) as ClusterModel;
    const hub = model.contexts[0]!.hubs[0]!;
    assert.deepEqual(
      [hub.namespace, hub.release, hub.jupyterhubVersion, hub.health, hub.spawnPressure.level],
      ['hub-a', 'hub-a', '5.4.3', 'down', 'none'],
    );
    const hubPodModel = hub.pods.find((p) => p.role === 'hub')!;
    assert.deepEqual(
      [
        hubPodModel.phase,
        hubPodModel.memory.usedBytes,
        hubPodModel.memory.limitBytes,
        hubPodModel.restarts,
        hubPodModel.lastTermination!.reason,
        hubPodModel.lastTermination!.exitCode,
      ],
      ['Running', 1536 * 2 ** 20, 2 * 2 ** 30, 4, 'OOMKilled', 137],
    );
    const pending = hub.pods.find((p) => p.phase === 'Pending')!;
    assert.equal(pending.pending!.reason, 'Insufficient memory (5/5 nodes)');
    assert.deepEqual(
      hub.events.map((e) => [e.kind, e.pod]),
      [['failed-scheduling', 'jupyter-li-wei---0a5df1f7']],
    );
  });

  it('says clearly when the context cannot be read, and exits non-zero', async () => {
    server.tokens.push({ token: 'limited', namespaces: ['hub-a'] });
    const limited = server.writeKubeconfig(join(dir(), 'limited'), { token: 'limited' });
    const forbidden = await run(['--kubeconfig', limited]);
    assert.equal(forbidden.code, 1);
    assert.match(forbidden.err, /not allowed to list pods across all namespaces \(403 Forbidden.*--namespace/s);
    const scoped = await run(['--kubeconfig', limited, '--namespace', 'hub-a', '--json']);
    assert.equal(scoped.code, 0, scoped.err);
    assert.equal((JSON.parse(scoped.out) as ClusterModel).contexts[0]!.hubs.length, 1);

    const unknown = await run(['--kubeconfig', kubeconfig, '--context', 'nope']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /no context "nope"/);

    await server.close();
    const down = await run(['--kubeconfig', kubeconfig]);
    assert.equal(down.code, 1);
    assert.match(down.err, /cannot reach the API server at https:\/\/127\.0\.0\.1:\d+ \(connection refused\)/);
    const downJson = await run(['--kubeconfig', kubeconfig, '--json']);
    assert.equal(downJson.code, 1);
    assert.equal((JSON.parse(downJson.out) as ClusterModel).contexts[0]!.status, 'error');
  });

  it('rejects unknown options', async () => {
    const { code, err } = await run(['--kubeconfig', kubeconfig, '--watch']);
    assert.equal(code, 2);
    assert.equal(err, 'hubops cluster: unknown option --watch\n');
  });
});
