import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { crashLoopBackOff, hubPod, namespace, node, oomKilled, at } from '../../k8s-server/objects';
import { execIn } from '../../k8s-server/execHelper';
import { useTestServer } from '../../k8s-server/useTestServer';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('k8s test server: exec over websocket', () => {
  const server = useTestServer({
    tokens: [
      { token: 'admin', user: 'admin' },
      { token: 'no-exec', user: 'viewer', exec: false },
    ],
  });
  const hub = () => hubPod({ namespace: 'hub-a', node: 'gke-core-1' });
  const target = () => ({ namespace: 'hub-a', pod: hub().metadata.name, container: 'hub' });

  beforeEach(() => {
    server().cluster.applyAll([namespace('hub-a'), node({ name: 'gke-core-1', pool: 'core' }), hub()]);
  });

  it('streams a real SQLite file byte for byte (cat of the container path)', async () => {
    const s = server();
    const fs = s.cluster.containers.get('hub-a', target().pod, 'hub');
    const dbFile = fs.hostPath('/srv/jupyterhub/jupyterhub.sqlite');
    execFileSync('sqlite3', [
      dbFile,
      "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<20000) INSERT INTO users(name) SELECT 'user-' || i FROM n;",
    ]);
    const result = await execIn(s.kubeConfig(), target(), ['cat', '/srv/jupyterhub/jupyterhub.sqlite']);
    assert.equal(result.exitCode, 0);
    assert.equal(result.protocol, 'v5.channel.k8s.io');
    assert.ok(result.stdout.length > 100_000);
    assert.equal(sha(result.stdout), sha(readFileSync(dbFile)));
    assert.equal(result.stdout.subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
  });

  it('passes stdin (with the v5 close signal), stderr and the exit code', async () => {
    const s = server();
    const result = await execIn(
      s.kubeConfig(),
      target(),
      ['sh', '-c', 'cat > /tmp/in.txt; wc -c < /tmp/in.txt; echo oops >&2; exit 3'],
      'x'.repeat(70_000),
    );
    assert.equal(result.stdout.toString().trim(), '70000');
    assert.equal(result.stderr, 'oops\n');
    assert.equal(result.exitCode, 3);
    assert.equal(result.status.reason, 'NonZeroExitCode');
    assert.deepEqual(s.cluster.containers.get('hub-a', target().pod, 'hub').listDir('/tmp'), ['in.txt']);
  });

  it('runs in the container root with TMPDIR on its /tmp, and hides commands the image lacks', async () => {
    const s = server();
    s.cluster.containers.create('hub-a', target().pod, 'hub', { hiddenCommands: ['python3'] });
    const probe = await execIn(s.kubeConfig(), target(), ['sh', '-c', 'command -v python3 || echo none; mktemp']);
    const [python, temp] = probe.stdout.toString().trim().split('\n');
    assert.equal(python, 'none');
    assert.equal(s.cluster.containers.get('hub-a', target().pod, 'hub').listDir('/tmp').length, 1);
    assert.ok(temp!.startsWith(s.cluster.containers.get('hub-a', target().pod, 'hub').hostPath('/tmp')));
    const missing = await execIn(s.kubeConfig(), target(), ['python3', '-V']);
    assert.equal(missing.exitCode, undefined);
    assert.match(missing.status.message ?? '', /executable file not found in \$PATH/);
  });

  it('refuses exec with the API server errors: no pod 404, no permission 403, container not running 400', async () => {
    const s = server();
    const kc = s.kubeConfig();
    await assert.rejects(execIn(kc, { ...target(), pod: 'hub-gone' }, ['true']), /404/);
    await assert.rejects(execIn(s.kubeConfig({ token: 'no-exec' }), target(), ['true']), /403/);
    await assert.rejects(execIn(kc, { ...target(), container: 'sidecar' }, ['true']), /400/);
    s.cluster.apply(
      hubPod({
        namespace: 'hub-a',
        node: 'gke-core-1',
        restartCount: 4,
        container: crashLoopBackOff({ namespace: 'hub-a', name: target().pod }, 'hub'),
        lastTerminated: oomKilled(at(0), at(90)),
      }),
    );
    await assert.rejects(execIn(kc, target(), ['true']), /400/);
    assert.equal(
      s.requests
        .filter((r) => r.path.includes('/exec'))
        .map((r) => r.status)
        .join(','),
      '404,403,400,400',
    );
  });

  it('kills running commands when the server closes', async () => {
    const s = server();
    const pending = execIn(s.kubeConfig(), target(), ['sleep', '30']).catch((e: Error) => e);
    const { waitFor } = await import('../../k8s-server/waitFor');
    await waitFor(() => s.requests.some((r) => r.path.includes('/exec')));
    await s.close();
    assert.ok((await pending) instanceof Error);
  });
});
