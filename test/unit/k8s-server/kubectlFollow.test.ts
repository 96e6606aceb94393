import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubPod, namespace, node } from '../../k8s-server/objects';
import { useTestServer } from '../../k8s-server/useTestServer';
import { waitFor } from '../../k8s-server/waitFor';

/** `kubectl logs -f` against the test server: the follow stream as kubectl sees it on the wire. */
describe('k8s test server: kubectl logs -f (chunked streaming)', () => {
  const server = useTestServer();
  const hub = () => hubPod({ namespace: 'hub-a', node: 'gke-core-1', restartCount: 1 });
  let home = '';

  beforeEach(() => {
    const s = server();
    s.cluster.applyAll([namespace('hub-a'), node({ name: 'gke-core-1', pool: 'core' }), hub()]);
    s.cluster.logs.set('hub-a', hub().metadata.name, 'hub', { current: 'line 1\nline 2\nline 3\n' });
    home = mkdtempSync(join(tmpdir(), 'hubops-kubectl-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('streams lines appended after it connected, and exits 0 when the container restarts', async () => {
    const s = server();
    const kubeconfig = s.writeKubeconfig(join(home, 'kubeconfig'));
    const child = spawn('kubectl', ['logs', '-f', '--tail=1', '-n', 'hub-a', hub().metadata.name, '-c', 'hub'], {
      env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await waitFor(() => out === 'line 3\n');
      s.cluster.logs.append('hub-a', hub().metadata.name, 'hub', 'line 4 (written after kubectl connected)');
      await waitFor(() => out.endsWith('line 4 (written after kubectl connected)\n'));
      assert.equal(s.openLogFollows, 1);
      s.cluster.logs.append('hub-a', hub().metadata.name, 'hub', 'line 5');
      s.cluster.logs.restart('hub-a', hub().metadata.name, 'hub');
      assert.equal(await exited, 0, err);
      assert.equal(out, 'line 3\nline 4 (written after kubectl connected)\nline 5\n');
      assert.equal(s.openLogFollows, 0);
    } finally {
      child.kill();
    }
  });

  it('answers follow=true with a chunked body that stays open', async () => {
    const s = server();
    const path = `/api/v1/namespaces/hub-a/pods/${hub().metadata.name}/log?container=hub&follow=true&tailLines=1`;
    const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) =>
      get(
        new URL(path, s.url),
        { ca: Buffer.from(s.caData, 'base64'), headers: { Authorization: `Bearer ${s.tokens[0]!.token}` } },
        resolve,
      ).on('error', reject),
    );
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['transfer-encoding'], 'chunked');
    assert.equal(response.headers['content-length'], undefined);
    let body = '';
    response.on('data', (c: Buffer) => (body += c.toString()));
    const ended = new Promise((resolve) => response.on('end', resolve));
    await waitFor(() => body === 'line 3\n');
    s.cluster.logs.append('hub-a', hub().metadata.name, 'hub', 'line 4');
    await waitFor(() => body === 'line 3\nline 4\n');
    s.cluster.logs.restart('hub-a', hub().metadata.name, 'hub');
    await ended;
  });
});
