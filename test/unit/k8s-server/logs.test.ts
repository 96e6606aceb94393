import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { ApiException, Log } from '@kubernetes/client-node';
import { hubPod, namespace, node, userPod } from '../../k8s-server/objects';
import { useTestServer } from '../../k8s-server/useTestServer';
import { waitFor } from '../../k8s-server/waitFor';

describe('k8s test server: pod logs', () => {
  const server = useTestServer();
  const hub = () => hubPod({ namespace: 'hub-a', node: 'gke-core-1', restartCount: 1 });

  beforeEach(() => {
    const s = server();
    s.cluster.applyAll([namespace('hub-a'), node({ name: 'gke-core-1', pool: 'core' }), hub()]);
    s.cluster.logs.set('hub-a', hub().metadata.name, 'hub', {
      previous: '[I app] Running JupyterHub version 5.3.0\n[E app] Aborting due to 5 consecutive spawn failures\n',
      current: 'line 1\nline 2\nline 3\n',
    });
  });

  async function read(options: Record<string, unknown>, pod = hub().metadata.name): Promise<string> {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((resolve) => out.on('end', resolve));
    await new Log(server().kubeConfig()).log('hub-a', pod, 'hub', out, options);
    await ended;
    return Buffer.concat(chunks).toString('utf8');
  }

  it('returns the current or the previous run, and the last lines with tailLines', async () => {
    assert.equal(await read({}), 'line 1\nline 2\nline 3\n');
    assert.match(await read({ previous: true }), /Aborting due to 5 consecutive spawn failures\n$/);
    assert.equal(await read({ tailLines: 2 }), 'line 2\nline 3\n');
  });

  it('follows lines appended later until the container restarts', async () => {
    const s = server();
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const ended = new Promise((resolve) => out.on('end', resolve));
    await new Log(s.kubeConfig()).log('hub-a', hub().metadata.name, 'hub', out, { follow: true, tailLines: 1 });
    await waitFor(() => text === 'line 3\n');
    s.cluster.logs.append('hub-a', hub().metadata.name, 'hub', 'line 4');
    await waitFor(() => text.endsWith('line 4\n'));
    s.cluster.logs.restart('hub-a', hub().metadata.name, 'hub');
    await ended;
    assert.equal(text, 'line 3\nline 4\n');
    assert.match(await read({ previous: true }), /line 4\n$/);
  });

  it('says a never-started container is waiting, and has no previous run', async () => {
    const s = server();
    s.cluster.apply(
      userPod({
        namespace: 'hub-a',
        username: 'ada',
        node: 'gke-core-1',
        container: { state: 'waiting', reason: 'ContainerCreating' },
      }),
    );
    const out = new PassThrough();
    await assert.rejects(
      new Log(s.kubeConfig()).log('hub-a', 'jupyter-ada', 'notebook', out, { previous: true }),
      (e: unknown) => e instanceof ApiException && e.code === 400,
    );
    const res = s.requests.at(-1)!;
    assert.equal(res.status, 400);
  });
});
