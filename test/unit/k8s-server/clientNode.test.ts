import assert from 'node:assert/strict';
import { CoreV1Api, EventsV1Api, Metrics } from '@kubernetes/client-node';
import * as k8s from '../../k8s-server/objects';
import { apiError } from '../../k8s-server/apiError';
import { testTokens } from '../../k8s-server/auth';
import { useTestServer } from '../../k8s-server/useTestServer';

describe('k8s test server: list, get, RBAC, metrics with client-node', () => {
  const server = useTestServer({ tokens: testTokens('admin', 'hubAOnly', 'expired', 'noMetrics') });

  function fill() {
    const users = ['ada', 'li.wei', 'grace', 'alan', 'katherine'];
    const core = k8s.node({ name: 'gke-core-1', pool: 'core' });
    server().cluster.applyAll([
      k8s.namespace('hub-a'),
      k8s.namespace('hub-b'),
      core,
      k8s.node({ name: 'gke-user-1' }),
      k8s.hubPod({ namespace: 'hub-a', node: 'gke-core-1' }),
      k8s.hubService({ namespace: 'hub-a' }),
      k8s.proxyPod({ namespace: 'hub-a', node: 'gke-core-1' }),
      k8s.hubPod({ namespace: 'hub-b', chart: '3.3.8', node: 'gke-core-1' }),
      ...users.map((username, i) =>
        k8s.userPod({ namespace: 'hub-a', username, ...(i < 3 ? { node: 'gke-user-1' } : {}) }),
      ),
    ]);
  }

  it('lists across and within namespaces with label and field selectors', async () => {
    fill();
    const api = server().kubeConfig().makeApiClient(CoreV1Api);
    const hubs = await api.listPodForAllNamespaces({ labelSelector: 'component=hub' });
    assert.deepEqual(hubs.items.map((p) => p.metadata?.namespace).sort(), ['hub-a', 'hub-b']);
    const users = await api.listNamespacedPod({
      namespace: 'hub-a',
      labelSelector: 'component=singleuser-server,hub.jupyter.org/username in (li-wei---0a5df1f7,ada)',
    });
    assert.deepEqual(users.items.map((p) => p.metadata?.name).sort(), ['jupyter-ada', 'jupyter-li-wei---0a5df1f7']);
    const pending = await api.listNamespacedPod({ namespace: 'hub-a', fieldSelector: 'status.phase=Pending' });
    assert.deepEqual(pending.items.map((p) => p.metadata?.name).sort(), ['jupyter-alan', 'jupyter-katherine']);
    const onNode = await api.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=gke-core-1' });
    assert.equal(onNode.items.length, 3);
    // the generated client turns RFC 3339 strings into Dates: the wire shape is right
    assert.ok(hubs.items[0]!.metadata!.creationTimestamp instanceof Date);
  });

  it('pages with limit and continue, keeping the first page resourceVersion', async () => {
    fill();
    const api = server().kubeConfig().makeApiClient(CoreV1Api);
    const seen: string[] = [];
    let token: string | undefined;
    const rvs = new Set<string>();
    let pages = 0;
    do {
      const page = await api.listPodForAllNamespaces({ limit: 3, ...(token ? { _continue: token } : {}) });
      seen.push(...page.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
      rvs.add(page.metadata!.resourceVersion!);
      token = page.metadata?._continue;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.equal(seen.length, 8);
    assert.equal(new Set(seen).size, 8);
    assert.equal(rvs.size, 1);
  });

  it('gets single objects and answers 404 with a NotFound Status', async () => {
    fill();
    const api = server().kubeConfig().makeApiClient(CoreV1Api);
    const n = await api.readNode({ name: 'gke-user-1' });
    assert.equal(n.metadata?.labels?.['hub.jupyter.org/node-purpose'], 'user');
    const e = await apiError(api.readNamespacedPod({ namespace: 'hub-a', name: 'nope' }));
    assert.equal(e.code, 404);
    assert.match(String(e.body), /pods \\?"nope\\?" not found/);
  });

  it('answers 401 to an expired or unknown token', async () => {
    fill();
    for (const token of ['expired', 'never-issued']) {
      const api = server().kubeConfig({ token }).makeApiClient(CoreV1Api);
      const e = await apiError(api.listNamespace());
      assert.equal(e.code, 401);
    }
  });

  it('answers 403 outside the namespaces a token may read, with the API server wording', async () => {
    fill();
    const api = server().kubeConfig({ token: 'hub-a-only' }).makeApiClient(CoreV1Api);
    const own = await api.listNamespacedPod({ namespace: 'hub-a' });
    assert.ok(own.items.length > 0);
    const other = await apiError(api.listNamespacedPod({ namespace: 'hub-b' }));
    assert.equal(other.code, 403);
    assert.match(
      String(other.body),
      /pods is forbidden: User \\?"system:serviceaccount:hub-a:ops\\?" cannot list resource \\?"pods\\?" in API group \\?"\\?" in the namespace \\?"hub-b\\?"/,
    );
    const all = await apiError(api.listPodForAllNamespaces());
    assert.equal(all.code, 403);
    assert.match(String(all.body), /at the cluster scope/);
    assert.equal((await apiError(api.listNode())).code, 403);
    assert.equal((await apiError(api.listNamespace())).code, 403);
  });

  it('serves events as core/v1 and events.k8s.io/v1, with field selectors on both', async () => {
    fill();
    const s = server();
    const hub = k8s.hubPod({ namespace: 'hub-a', node: 'gke-core-1' });
    s.cluster.applyAll([
      k8s.event({
        involved: hub,
        reason: 'BackOff',
        type: 'Warning',
        container: 'hub',
        host: 'gke-core-1',
        count: 3,
        message: 'Back-off restarting failed container hub',
      }),
      k8s.event({
        involved: k8s.node({ name: 'gke-core-1', pool: 'core' }),
        reason: 'OOMKilling',
        type: 'Warning',
        source: 'kernel-monitor',
        message: 'Killed process 1 (jupyterhub)',
      }),
    ]);
    const kc = s.kubeConfig();
    const core = await kc.makeApiClient(CoreV1Api).listNamespacedEvent({
      namespace: 'hub-a',
      fieldSelector: `involvedObject.name=${hub.metadata.name},type=Warning`,
    });
    assert.deepEqual(
      core.items.map((e) => [e.reason, e.count, e.involvedObject.fieldPath]),
      [['BackOff', 3, 'spec.containers{hub}']],
    );
    const v1 = await kc.makeApiClient(EventsV1Api).listEventForAllNamespaces({ fieldSelector: 'reason=OOMKilling' });
    assert.deepEqual(
      v1.items.map((e) => [e.metadata?.namespace, e.regarding?.kind, e.note, e.deprecatedSource?.component]),
      [['default', 'Node', 'Killed process 1 (jupyterhub)', 'kernel-monitor']],
    );
  });

  it('serves the metrics API, and 404 without metrics-server', async () => {
    fill();
    const s = server();
    const hub = s.cluster.list('pods', 'hub-a').find((p) => p.metadata.labels?.component === 'hub')!;
    s.cluster.setPodMetrics(
      k8s.podMetrics(k8s.hubPod({ namespace: 'hub-a', node: 'gke-core-1' }), {
        hub: { cpu: '429151n', memory: '1536Mi' },
      }),
    );
    s.cluster.setNodeMetrics(
      k8s.nodeMetrics(k8s.node({ name: 'gke-core-1', pool: 'core' }), { cpu: '812m', memory: '6Gi' }),
    );
    const metrics = new Metrics(s.kubeConfig());
    const pods = await metrics.getPodMetrics('hub-a');
    assert.deepEqual(
      pods.items.map((m) => [m.metadata.name, m.containers[0]!.usage.memory]),
      [[hub.metadata.name, '1536Mi']],
    );
    const nodes = await metrics.getNodeMetrics();
    assert.equal(nodes.items[0]!.usage.cpu, '812m');

    const denied = await apiError(new Metrics(s.kubeConfig({ token: 'no-metrics' })).getPodMetrics('hub-a'));
    assert.equal(denied.code, 403);

    s.cluster.metricsEnabled = false;
    const gone = await apiError(metrics.getPodMetrics('hub-a'));
    assert.equal(gone.code, 404);
    const groups = await (await fetchWithToken(s.url + '/apis', s)).json();
    assert.ok(!JSON.stringify(groups).includes('metrics.k8s.io'));
  });

  it("proxies the hub's /hub/metrics through the service, or the configured error", async () => {
    fill();
    const s = server();
    const api = s.kubeConfig().makeApiClient(CoreV1Api);
    s.cluster.setHubMetrics('hub-a', 'jupyterhub_server_spawn_duration_seconds_count{status="throttled"} 86.0\n');
    const text = await api.connectGetNamespacedServiceProxyWithPath({
      namespace: 'hub-a',
      name: 'hub:8081',
      path: 'hub/metrics',
    });
    assert.match(text, /status="throttled"\} 86\.0/);
    const byName = await fetchWithToken(`${s.url}/api/v1/namespaces/hub-a/services/hub:hub/proxy/hub/metrics`, s);
    assert.equal(byName.status, 200);
    s.cluster.setHubMetrics('hub-a', { status: 403 });
    const forbidden = await fetchWithToken(`${s.url}/api/v1/namespaces/hub-a/services/hub:8081/proxy/hub/metrics`, s);
    assert.equal(forbidden.status, 403);
    const noService = await fetchWithToken(`${s.url}/api/v1/namespaces/hub-b/services/hub:8081/proxy/hub/metrics`, s);
    assert.equal(noService.status, 404);
  });

  it('fails a path with 500 the configured number of times, then serves it again', async () => {
    fill();
    const s = server();
    const api = s.kubeConfig().makeApiClient(CoreV1Api);
    s.faults.failNext('/api/v1/namespaces/hub-a/pods', { times: 2 });
    assert.equal((await apiError(api.listNamespacedPod({ namespace: 'hub-a' }))).code, 500);
    assert.equal((await apiError(api.listNamespacedPod({ namespace: 'hub-a' }))).code, 500);
    assert.ok((await api.listNamespacedPod({ namespace: 'hub-a' })).items.length > 0);
  });
});

/** A plain HTTPS request with the server's CA and admin token (undici's fetch cannot take a CA). */
async function fetchWithToken(url: string, s: { caData: string; tokens: { token: string }[] }) {
  const { request } = await import('node:https');
  return new Promise<{ status: number; json: () => Promise<unknown>; text: string }>((resolve, reject) => {
    const req = request(
      url,
      { ca: Buffer.from(s.caData, 'base64'), headers: { Authorization: `Bearer ${s.tokens[0]!.token}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, text, json: async () => JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
