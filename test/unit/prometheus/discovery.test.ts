import assert from 'node:assert/strict';
import { findPrometheus, prometheusServices } from '../../../src/core/prometheus/discover';
import { freePort } from '../../harness/processes';
import { installPrometheus } from '../../k8s-server/prometheusObjects';
import { useTestServer } from '../../k8s-server/useTestServer';
import { incidentNight } from '../../prometheus/histories';
import { webPage } from '../../prometheus/otherServers';
import { usePrometheusHistories } from '../../prometheus/usePrometheusHistories';

describe('prometheus: finding it in a context', () => {
  const histories = usePrometheusHistories();
  const server = useTestServer({
    tokens: [
      { token: 'admin', user: 'ops-admin' },
      { token: 'no-proxy', user: 'viewer', proxy: false },
      { token: 'some-namespaces', user: 'hub-ops', namespaces: ['support', 'hub-physics'] },
    ],
  });

  /** Installs Prometheus as `chart` does, then looks for it as `token` (in `context`, else the kubeconfig's). */
  async function installAndFind(chart: Parameters<typeof installPrometheus>[1], token: string, context?: string) {
    const s = server();
    installPrometheus(s.cluster, chart, histories().prometheus.url);
    const found = await findPrometheus(
      s.kubeConfig(context ? { context, token } : { token }),
      context ?? 'hubops-test',
    );
    return { s, found };
  }

  it('finds 2i2c’s support Prometheus and queries it through the API server’s service proxy', async () => {
    const { s, found } = await installAndFind('support-chart', 'admin', 'prod');
    assert.ok(found.ok, found.ok ? '' : found.error.message);
    try {
      assert.equal(
        found.value.description,
        'Prometheus 2.42.0+ds, service support/support-prometheus-server:http (context prod, through the API server)',
      );
      const start = incidentNight.start.getTime();
      const answer = await found.value.client.queryRange(
        'max(kube_pod_container_status_restarts_total{namespace="hub-physics", container="hub"})',
        { startMs: start, endMs: start + 3600_000, stepSeconds: 300 },
      );
      assert.ok(answer.ok, answer.ok ? '' : answer.error.message);
      assert.ok(answer.value[0]!.points.at(-1)![1] > 5);
      const proxied = s.requests.filter((r) => r.path.includes('/services/support-prometheus-server:http/proxy/'));
      assert.ok(proxied.some((r) => r.path.includes('/api/v1/query_range?') && r.status === 200));
    } finally {
      found.value.dispose();
    }
  });

  it('finds kube-prometheus-stack’s prometheus-operated', async () => {
    const { found } = await installAndFind('kube-prometheus-stack', 'admin');
    assert.ok(found.ok, found.ok ? '' : found.error.message);
    found.value.dispose();
    assert.equal(found.value.service?.name, 'prometheus-operated');
    assert.equal(found.value.service?.port, 'web');
  });

  it('a token without services/proxy gets one clear line', async () => {
    const { s, found } = await installAndFind('support-chart', 'no-proxy', 'prod');
    assert.ok(!found.ok);
    assert.equal(found.error.code, 'forbidden');
    assert.equal(
      found.error.message,
      'Context "prod": not allowed to reach Prometheus through the service proxy (403: needs get on services/proxy in namespace "support"). Ask for that permission, or port-forward (kubectl --context prod port-forward -n support svc/support-prometheus-server 9090:http) and give the URL.',
    );
    assert.ok(s.requests.some((r) => r.path.includes('/proxy/api/v1/status/buildinfo') && r.status === 403));
  });

  it('looks where Prometheus usually lives when Services cannot be listed cluster-wide', async () => {
    const { s, found } = await installAndFind('support-chart', 'some-namespaces');
    assert.ok(found.ok, found.ok ? '' : found.error.message);
    found.value.dispose();
    assert.ok(s.requests.some((r) => r.path === '/api/v1/services' && r.status === 403));
    assert.ok(s.requests.some((r) => r.path === '/api/v1/namespaces/support/services' && r.status === 200));
  });

  it('no Prometheus in the cluster: says so and what to do instead', async () => {
    const found = await findPrometheus(server().kubeConfig({ context: 'prod', token: 'admin' }), 'prod');
    assert.ok(!found.ok);
    assert.equal(found.error.code, 'not-found');
    assert.match(found.error.message, /^Context "prod": no Prometheus server found .* Give a URL instead/);
  });

  it('a Prometheus Service that serves something else, or nothing, is named', async () => {
    const s = server();
    const grafana = await webPage();
    try {
      installPrometheus(s.cluster, 'support-chart', grafana.url);
      const other = await findPrometheus(s.kubeConfig({ token: 'admin' }), 'hubops-test');
      assert.ok(!other.ok);
      assert.equal(other.error.code, 'not-prometheus');
      assert.match(
        other.error.message,
        /^Prometheus service support\/support-prometheus-server:http .* answered, but not as Prometheus does/,
      );
    } finally {
      await grafana.close();
    }
    s.cluster.setServiceBackend('support', 'support-prometheus-server', `http://127.0.0.1:${await freePort()}`);
    const down = await findPrometheus(s.kubeConfig({ token: 'admin' }), 'hubops-test');
    assert.ok(!down.ok);
    assert.equal(down.error.code, 'unreachable');
    assert.match(
      down.error.message,
      /is not answering \(503: error trying to reach service: dial tcp 127\.0\.0\.1:\d+: ECONNREFUSED\)/,
    );
  });

  it('recognises the chart’s labels, old and new, and the operator’s Services', () => {
    const svc = (
      namespace: string,
      name: string,
      labels: Record<string, string>,
      ports: { name?: string; port: number }[],
    ) => ({
      metadata: { namespace, name, labels },
      spec: { ports },
    });
    const found = prometheusServices([
      svc('hub-a', 'hub', { component: 'hub' }, [{ port: 8081 }]),
      svc('monitoring', 'prometheus-operated', {}, [{ name: 'web', port: 9090 }]),
      svc('support', 'support-prometheus-server', { app: 'prometheus', component: 'server' }, [
        { name: 'http', port: 80 },
      ]),
      svc('grafana', 'grafana', { 'app.kubernetes.io/name': 'grafana' }, [{ port: 80 }]),
      svc('monitoring', 'kps-kube-prometheus-prometheus', {}, [
        { name: 'http-web', port: 9090 },
        { name: 'reloader-web', port: 8080 },
      ]),
    ]);
    assert.deepEqual(
      found.map((s) => `${s.namespace}/${s.name}:${s.port}`),
      [
        'support/support-prometheus-server:http',
        'monitoring/prometheus-operated:web',
        'monitoring/kps-kube-prometheus-prometheus:http-web',
      ],
    );
  });
});
