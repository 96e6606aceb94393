import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { at, event, hubPod, namespace, node, oomKilled, podMetrics } from '../../k8s-server/objects';
import { kubectl } from '../../k8s-server/kubectl';
import { useTestServer } from '../../k8s-server/useTestServer';

describe('k8s test server: the real kubectl', () => {
  const server = useTestServer({
    tokens: [
      { token: 'admin', user: 'admin' },
      { token: 'hub-a-only', user: 'system:serviceaccount:hub-a:ops', namespaces: ['hub-a'] },
    ],
  });
  const hub = () =>
    hubPod({ namespace: 'hub-a', node: 'gke-core-1', restartCount: 3, lastTerminated: oomKilled(at(0), at(95)) });
  const hubName = () => hub().metadata.name;

  beforeEach(() => {
    const s = server();
    s.cluster.applyAll([
      namespace('hub-a'),
      namespace('hub-b'),
      node({ name: 'gke-core-1', pool: 'core' }),
      hub(),
      hubPod({ namespace: 'hub-b', node: 'gke-core-1' }),
      event({
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
    s.cluster.setPodMetrics(podMetrics(hub(), { hub: { cpu: '250m', memory: '1800Mi' } }));
    const r = await kubectl(s, ['top', 'pod', '-n', 'hub-a']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.toString(), new RegExp(`${hubName()}\\s+250m\\s+1800Mi`));
  });

  it('says Forbidden for a namespace the token may not read', async () => {
    const r = await kubectl(server(), ['get', 'pods', '-n', 'hub-b'], { token: 'hub-a-only' });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /Error from server \(Forbidden\): pods is forbidden: User "system:serviceaccount:hub-a:ops" cannot list resource "pods"/,
    );
  });
});
