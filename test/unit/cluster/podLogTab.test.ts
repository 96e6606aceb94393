import assert from 'node:assert/strict';
import { ClusterWatcher } from '../../../src/core/cluster/clusterWatcher';
import { LogLines, PodLogTab } from '../../../src/core/cluster/podLogView';
import { hubPod, namespace, node } from '../../k8s-server/objects';
import { useTestServer } from '../../k8s-server/useTestServer';
import { waitFor } from '../../k8s-server/waitFor';

describe('PodLogTab against the test server', () => {
  const server = useTestServer();
  const pod = () => hubPod({ namespace: 'hub-a', node: 'gke-core-1', restartCount: 1 });
  let watcher: ClusterWatcher | undefined;
  afterEach(() => watcher?.dispose());

  function tab(): { tab: PodLogTab; text: () => string } {
    const s = server();
    s.cluster.applyAll([namespace('hub-a'), node({ name: 'gke-core-1', pool: 'core' }), pod()]);
    s.cluster.logs.set('hub-a', pod().metadata.name, 'hub', { previous: 'run 0\n', current: 'run 1\n' });
    watcher = new ClusterWatcher({ kubeConfig: s.kubeConfig(), contexts: [s.kubeConfig().currentContext] });
    const source = watcher.podLogSource(s.kubeConfig().currentContext, 'hub-a', pod().metadata.name, {
      container: 'hub',
      tailLines: 100,
    })!;
    let text = '';
    const t: PodLogTab = new PodLogTab({
      pod: pod().metadata.name,
      container: 'hub',
      previous: false,
      tailLines: 100,
      source,
      timezone: () => 'UTC',
      pollMs: 50,
      onChange: () => (text = t.render()),
    });
    return { tab: t, text: () => text };
  }

  it('says in one line that the pod is gone when it is deleted while following', async () => {
    const { tab: t, text } = tab();
    t.follow();
    await waitFor(() => /, following · /.test(text()) && /run 1\n$/.test(text()));
    server().cluster.delete('Pod', 'hub-a', pod().metadata.name);
    await waitFor(() => /── /.test(text()));
    assert.match(text(), /── pod hub-\S+ is gone \(\d\d:\d\d:\d\d \(UTC\)\): nothing more to follow ──\n$/);
    t.dispose();
  });
});

describe('LogLines: a log tab’s lines', () => {
  it('redacts each line as it arrives, a private key block whole, and keeps a partial line for its rest', () => {
    const lines = new LogLines(100);
    lines.append('[I] start\n[D] JUPYTERHUB_API_TOKEN=2f9c0c7e3a8b4d1e');
    assert.equal(lines.text(), '[I] start\n[D] JUPYTERHUB_API_TOKEN=‹redacted›');
    lines.append(
      '9f6a5b4c3d2e1f0a\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nabc\n-----END RSA PRIVATE KEY-----\n',
    );
    lines.append('[I] after the key\n');
    assert.equal(
      lines.text(),
      '[I] start\n[D] JUPYTERHUB_API_TOKEN=‹redacted›\n‹redacted›\n‹redacted›\n‹redacted›\n‹redacted›\n[I] after the key',
    );
    assert.doesNotMatch(lines.text(), /2f9c0c7e|9f6a5b4c|MIIEpAIB/);
  });

  it('keeps the last lines and counts the ones it dropped', () => {
    const lines = new LogLines(2);
    lines.append('a\nb\nc\n');
    lines.note('── restart 2 of container hub started 10:00:00 ──');
    assert.equal(lines.text(), 'c\n── restart 2 of container hub started 10:00:00 ──');
    assert.equal(lines.dropped, 2);
  });
});
