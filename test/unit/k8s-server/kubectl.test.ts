import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as k8s from '../../k8s-server/objects';
import { kubectl } from '../../k8s-server/kubectl';
import { testTokens } from '../../k8s-server/auth';
import { useTestServer } from '../../k8s-server/useTestServer';

describe('k8s test server: the real kubectl', () => {
  const server = useTestServer({ tokens: testTokens('admin', 'hubAOnly', 'noSecrets', 'readOnly') });
  const hub = () =>
    k8s.hubPod({
      namespace: 'hub-a',
      node: 'gke-core-1',
      restartCount: 3,
      lastTerminated: k8s.oomKilled(k8s.at(0), k8s.at(95)),
    });
  const hubName = () => hub().metadata.name;

  beforeEach(() => {
    const s = server();
    s.cluster.applyAll([
      k8s.namespace('hub-a'),
      k8s.namespace('hub-b'),
      k8s.node({ name: 'gke-core-1', pool: 'core' }),
      hub(),
      k8s.hubPod({ namespace: 'hub-b', node: 'gke-core-1' }),
      k8s.kubeRootCaConfigMap('hub-a', k8s.at(-3600)),
      k8s.hubConfigMap({ namespace: 'hub-a' }, { created: k8s.at(-3600) }),
      k8s.hubSecret({ namespace: 'hub-a' }, { concurrentSpawnLimit: 100, created: k8s.at(-3600) }),
      k8s.event({
        involved: hub(),
        reason: 'BackOff',
        type: 'Warning',
        container: 'hub',
        host: 'gke-core-1',
        count: 7,
        message: `Back-off restarting failed container hub in pod ${hubName()}_hub-a(${hub().metadata.uid})`,
      }),
    ]);
  });

  it('get pods -A -o json', async () => {
    const r = await kubectl(server(), ['get', 'pods', '-A', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout.toString()) as { items: { metadata: { namespace: string } }[] };
    assert.deepEqual(list.items.map((p) => p.metadata.namespace).sort(), ['hub-a', 'hub-b']);
  });

  it('get events -n hub-a', async () => {
    const r = await kubectl(server(), ['get', 'events', '-n', 'hub-a']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.toString(), /Back-off restarting failed container hub/);
  });

  it('logs --previous', async () => {
    const s = server();
    s.cluster.logs.set('hub-a', hubName(), 'hub', { previous: 'Loading state from database\n', current: 'again\n' });
    const r = await kubectl(s, ['logs', '-n', 'hub-a', hubName(), '-c', 'hub', '--previous']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), 'Loading state from database\n');
  });

  it('exec -- cat returns the file byte for byte', async () => {
    const s = server();
    const file = s.cluster.containers.get('hub-a', hubName(), 'hub').hostPath('/srv/jupyterhub/jupyterhub.sqlite');
    execFileSync('sqlite3', [file, 'CREATE TABLE t(x); INSERT INTO t VALUES (randomblob(300000));']);
    const r = await kubectl(s, [
      'exec',
      '-n',
      'hub-a',
      hubName(),
      '-c',
      'hub',
      '--',
      'cat',
      '/srv/jupyterhub/jupyterhub.sqlite',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    assert.equal(sha(r.stdout), sha(readFileSync(file)));
  });

  it('exec reports a non-zero exit code', async () => {
    const r = await kubectl(server(), ['exec', '-n', 'hub-a', hubName(), '-c', 'hub', '--', 'sh', '-c', 'exit 7']);
    assert.equal(r.code, 7, r.stderr);
  });

  it('top pod', async () => {
    const s = server();
    s.cluster.setPodMetrics(k8s.podMetrics(hub(), { hub: { cpu: '250m', memory: '1800Mi' } }));
    const r = await kubectl(s, ['top', 'pod', '-n', 'hub-a']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.toString(), new RegExp(`${hubName()}\\s+250m\\s+1800Mi`));
  });

  it('get secrets and configmaps -n hub-a: the printer columns of the real server', async () => {
    const secrets = await kubectl(server(), ['get', 'secrets', '-n', 'hub-a']);
    assert.equal(secrets.code, 0, secrets.stderr);
    const lines = secrets.stdout.toString().trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME\s+TYPE\s+DATA\s+AGE$/);
    assert.match(lines[1]!, /^hub\s+Opaque\s+4\s+\S+$/);
    assert.equal(lines.length, 2);
    const cms = await kubectl(server(), ['get', 'cm', '-n', 'hub-a']);
    assert.equal(cms.code, 0, cms.stderr);
    assert.match(cms.stdout.toString(), /^NAME\s+DATA\s+AGE\nhub\s+3\s+\S+\nkube-root-ca\.crt\s+1\s+\S+\n$/);
  });

  it('get secret hub -o jsonpath: values.yaml decodes to the chart values', async () => {
    const r = await kubectl(server(), ['get', 'secret', 'hub', '-n', 'hub-a', '-o', 'jsonpath={.data.values\\.yaml}']);
    assert.equal(r.code, 0, r.stderr);
    const values = Buffer.from(r.stdout.toString(), 'base64').toString('utf8');
    assert.match(values, /^hub:\n(?: {2}.*\n)*? {2}concurrentSpawnLimit: 100\n/m);
  });

  it('says Forbidden for secrets to a token that may read everything else', async () => {
    const pods = await kubectl(server(), ['get', 'pods', '-n', 'hub-a'], { token: 'no-secrets' });
    assert.equal(pods.code, 0, pods.stderr);
    const r = await kubectl(server(), ['get', 'secrets', '-n', 'hub-a'], { token: 'no-secrets' });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /Error from server \(Forbidden\): secrets is forbidden: User "system:serviceaccount:hubops:viewer" cannot list resource "secrets" in API group "" in the namespace "hub-a"/,
    );
  });

  it('says Forbidden for a namespace the token may not read', async () => {
    const r = await kubectl(server(), ['get', 'pods', '-n', 'hub-b'], { token: 'hub-a-only' });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /Error from server \(Forbidden\): pods is forbidden: User "system:serviceaccount:hub-a:ops" cannot list resource "pods"/,
    );
  });

  it('create -f, wait for Running, exec, delete pod; auth can-i answers by the same RBAC', async () => {
    const s = server();
    const { planHelperPod } = await import('../../../src/core/snapshot/helperPod');
    const plan = planHelperPod(hub() as never, { suffix: 'k1' });
    assert.ok(plan.ok);
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const manifest = `${mkdtempSync('/tmp/hubops-manifest-')}/helper.json`;
    writeFileSync(manifest, JSON.stringify(plan.value.pod));
    const created = await kubectl(s, ['create', '--validate=false', '-f', manifest], { token: 'admin' });
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout.toString().trim(), 'pod/hubops-db-copy-k1 created');
    const waited = await kubectl(
      s,
      ['-n', 'hub-a', 'wait', '--for=condition=Ready', 'pod/hubops-db-copy-k1', '--timeout=20s'],
      {
        token: 'admin',
      },
    );
    assert.equal(waited.code, 0, waited.stderr);
    // The helper sees the hub's claim: the same file at the same path.
    const hubFs = s.cluster.containers.get('hub-a', hubName(), 'hub');
    hubFs.writeFile('/srv/jupyterhub/marker.txt', 'from the hub');
    const read = await kubectl(
      s,
      ['-n', 'hub-a', 'exec', 'hubops-db-copy-k1', '-c', 'copy', '--', 'cat', '/srv/jupyterhub/marker.txt'],
      {
        token: 'admin',
      },
    );
    assert.equal(read.code, 0, read.stderr);
    assert.equal(read.stdout.toString(), 'from the hub');
    const canI = await kubectl(s, ['-n', 'hub-a', 'auth', 'can-i', 'delete', 'pods'], { token: 'read-only' });
    assert.equal(canI.stdout.toString().trim(), 'no');
    const denied = await kubectl(s, ['-n', 'hub-a', 'delete', 'pod', 'hubops-db-copy-k1'], { token: 'read-only' });
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /pods "hubops-db-copy-k1" is forbidden: .* cannot delete resource "pods"/);
    assert.equal(
      (await kubectl(s, ['-n', 'hub-a', 'auth', 'can-i', 'delete', 'pods'], { token: 'admin' })).stdout
        .toString()
        .trim(),
      'yes',
    );
    const deleted = await kubectl(s, ['-n', 'hub-a', 'delete', 'pod', 'hubops-db-copy-k1'], { token: 'admin' });
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout.toString().trim(), 'pod "hubops-db-copy-k1" deleted');
    assert.equal(s.cluster.get('Pod', 'hub-a', 'hubops-db-copy-k1'), undefined);
  });
});
