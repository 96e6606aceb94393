import assert from 'node:assert/strict';
import { CoreV1Api, makeInformer, Watch, type V1Pod } from '@kubernetes/client-node';
import { hubPod, namespace, node, userPod } from '../../k8s-server/objects';
import { useTestServer } from '../../k8s-server/useTestServer';
import { waitFor } from '../../k8s-server/waitFor';

interface Seen {
  type: string;
  name?: string;
  rv?: string;
  code?: number;
}

describe('k8s test server: watch, informers, restarts', () => {
  const server = useTestServer({ bookmarkIntervalMs: 60_000 });

  const fill = () =>
    server().cluster.applyAll([
      namespace('hub-a'),
      node({ name: 'gke-core-1', pool: 'core' }),
      hubPod({ namespace: 'hub-a', node: 'gke-core-1' }),
      userPod({ namespace: 'hub-a', username: 'ada', node: 'gke-core-1' }),
    ]);

  function startWatch(path: string, query: Record<string, string | boolean | number>) {
    const seen: Seen[] = [];
    const state: { done: boolean; error: unknown } = { done: false, error: undefined };
    const controller = new Watch(server().kubeConfig()).watch(
      path,
      query,
      (type, object: { metadata?: { name?: string; resourceVersion?: string }; code?: number }) =>
        seen.push({ type, name: object.metadata?.name, rv: object.metadata?.resourceVersion, code: object.code }),
      (error) => {
        state.done = true;
        state.error = error;
      },
    );
    return { seen, state, controller };
  }

  it('streams changes after a resourceVersion, with selectors turning updates into ADDED/DELETED', async () => {
    fill();
    const s = server();
    const from = s.cluster.resourceVersion;
    const w = startWatch('/api/v1/namespaces/hub-a/pods', {
      resourceVersion: from,
      labelSelector: 'component=singleuser-server',
    });
    await waitFor(() => s.openWatches === 1);
    s.cluster.apply(userPod({ namespace: 'hub-a', username: 'grace' }));
    s.cluster.apply(userPod({ namespace: 'hub-a', username: 'grace', node: 'gke-core-1' }));
    s.cluster.apply(hubPod({ namespace: 'hub-a', node: 'gke-core-1', restartCount: 1 })); // not a user pod
    s.cluster.patch('Pod', 'hub-a', 'jupyter-ada', (p) => {
      p.metadata.labels!.component = 'something-else';
    });
    s.cluster.delete('Pod', 'hub-a', 'jupyter-grace');
    await waitFor(() => w.seen.length >= 4);
    assert.deepEqual(
      w.seen.map((e) => `${e.type} ${e.name}`),
      ['ADDED jupyter-grace', 'MODIFIED jupyter-grace', 'DELETED jupyter-ada', 'DELETED jupyter-grace'],
    );
    assert.ok(Number(w.seen[0]!.rv) > Number(from));
    (await w.controller).abort();
  });

  it('replays history from an old resourceVersion and sends 410 Gone once it is compacted', async () => {
    fill();
    const s = server();
    const replay = startWatch('/api/v1/pods', { resourceVersion: '1000' });
    await waitFor(() => replay.seen.length === 2);
    assert.deepEqual(
      replay.seen.map((e) => e.type),
      ['ADDED', 'ADDED'],
    );
    (await replay.controller).abort();

    s.cluster.compactHistory();
    const old = startWatch('/api/v1/pods', { resourceVersion: '1000' });
    await waitFor(() => old.state.done);
    assert.deepEqual(
      old.seen.map((e) => [e.type, e.code]),
      [['ERROR', 410]],
    );
  });

  it('sends BOOKMARK events when allowed, and ends a watch at timeoutSeconds', async () => {
    fill();
    const s = server();
    const w = startWatch('/api/v1/pods', {
      allowWatchBookmarks: true,
      resourceVersion: s.cluster.resourceVersion,
      timeoutSeconds: 1,
    });
    await waitFor(() => s.openWatches === 1);
    s.sendBookmarks();
    await waitFor(() => w.seen.length === 1);
    assert.equal(w.seen[0]!.type, 'BOOKMARK');
    assert.equal(w.seen[0]!.rv, s.cluster.resourceVersion);
    await waitFor(() => w.state.done);
    assert.equal(w.state.error, null);
  });

  it('keeps an informer in sync across a cut stream and relists after 410 Gone', async () => {
    fill();
    const s = server();
    const kc = s.kubeConfig();
    const api = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1Pod>(kc, '/api/v1/pods', () => api.listPodForAllNamespaces());
    const log: string[] = [];
    informer.on('add', (p) => log.push(`add ${p.metadata?.name}`));
    informer.on('delete', (p) => log.push(`delete ${p.metadata?.name}`));
    informer.on('error', (e) => log.push(`error ${String(e)}`));
    await informer.start();
    try {
      await waitFor(() => s.openWatches === 1);
      assert.equal(informer.list().length, 2);

      // A cut stream: the informer resumes from its resourceVersion and misses nothing.
      s.cutWatches();
      s.cluster.apply(userPod({ namespace: 'hub-a', username: 'grace' }));
      await waitFor(() => informer.list().length === 3);

      // Changes while no watch is open, then compaction: the resume gets 410, the informer relists.
      await waitFor(() => s.openWatches === 1);
      const listsBefore = s.requests.filter((r) => r.path === '/api/v1/pods').length;
      s.cutWatches();
      s.cluster.apply(userPod({ namespace: 'hub-a', username: 'alan' }));
      s.cluster.delete('Pod', 'hub-a', 'jupyter-ada');
      s.cluster.compactHistory();
      await waitFor(() => informer.list().length === 3 && informer.get('jupyter-alan', 'hub-a'));
      assert.equal(informer.get('jupyter-ada', 'hub-a'), undefined);
      assert.ok(log.includes('delete jupyter-ada'));
      assert.ok(s.requests.filter((r) => r.path === '/api/v1/pods').length > listsBefore, 'relisted');
      assert.ok(!log.some((l) => l.startsWith('error')), log.join('\n'));
    } finally {
      await informer.stop();
    }
  });

  it('restarts on the same port keeping the cluster, and is unreachable for a while on request', async () => {
    fill();
    const s = server();
    const api = s.kubeConfig().makeApiClient(CoreV1Api);
    const w = startWatch('/api/v1/pods', { resourceVersion: s.cluster.resourceVersion });
    await waitFor(() => s.openWatches === 1);
    const port = s.port;
    await s.restart();
    assert.equal(s.port, port);
    await waitFor(() => w.state.done); // an open watch breaks, as with a real API server restart
    assert.equal((await api.listPodForAllNamespaces()).items.length, 2);

    const back = s.setUnreachable(300);
    await assert.rejects(api.listNamespace());
    await back;
    assert.equal((await api.listNamespace()).items.length, 1);
  });
});
