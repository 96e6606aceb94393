import assert from 'node:assert/strict';
import { PrometheusClient } from '../../../src/core/prometheus/client';
import { connectUrl } from '../../../src/core/prometheus/source';
import { chooseStep, maxPointsPerSeries, pointsFor, prometheusMaxPoints } from '../../../src/core/prometheus/step';
import { urlTransport } from '../../../src/core/prometheus/transport';
import { freePort } from '../../harness/processes';
import { incidentNight } from '../../prometheus/histories';
import { slowServer, startLocalServer, webPage } from '../../prometheus/otherServers';
import { usePrometheusHistories } from '../../prometheus/usePrometheusHistories';

const year = 365 * 86400_000;

describe('prometheus: the query client', () => {
  const histories = usePrometheusHistories();

  it('checks what answers is Prometheus, and says where it is', async () => {
    const found = await connectUrl(histories().prometheus.url);
    assert.ok(found.ok, found.ok ? '' : found.error.message);
    assert.equal(found.value.version, '2.42.0+ds');
    assert.equal(found.value.description, `Prometheus 2.42.0+ds at ${histories().prometheus.url}`);
  });

  it('answers query_range with typed series and instant queries with samples', async () => {
    const found = await connectUrl(histories().prometheus.url);
    assert.ok(found.ok);
    const start = incidentNight.start.getTime();
    const range = await found.value.client.queryRange(
      'max by (pod) (kube_pod_container_status_restarts_total{namespace="hub-physics", container="hub"})',
      { startMs: start, endMs: start + 3600_000, stepSeconds: 60 },
    );
    assert.ok(range.ok, range.ok ? '' : range.error.message);
    assert.equal(range.value.length, 1);
    assert.match(range.value[0]!.labels.pod!, /^hub-/);
    assert.equal(range.value[0]!.points[0]![0], start + 60_000, 'the first point after the first scrape');
    assert.ok(range.value[0]!.points.at(-1)![1] > 5, 'restarts grow over the hour');
    const instant = await found.value.client.query('count(kube_node_info)', start + 3600_000);
    assert.ok(instant.ok);
    assert.deepEqual(
      instant.value.map((s) => s.value),
      [5],
    );
  });

  it('keeps a huge window under Prometheus’s point limit by choosing the step', async () => {
    const start = incidentNight.start.getTime();
    const step = chooseStep(start - 2 * year, start + 3600_000);
    assert.ok(pointsFor(start - 2 * year, start + 3600_000, step) <= maxPointsPerSeries);
    assert.equal(chooseStep(start, start + 6 * 3600_000), 60, 'six hours at one minute');
    const found = await connectUrl(histories().prometheus.url);
    assert.ok(found.ok);
    const answer = await found.value.client.queryRange('count(kube_node_info)', {
      startMs: start - 2 * year,
      endMs: start + 3600_000,
      stepSeconds: step,
    });
    assert.ok(answer.ok, answer.ok ? '' : answer.error.message);
    // Prometheus itself refuses the same window at one minute:
    const refused = await found.value.client.queryRange('count(kube_node_info)', {
      startMs: start - 2 * year,
      endMs: start + 3600_000,
      stepSeconds: 60,
    });
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, 'bad-query');
    assert.match(refused.error.message, new RegExp(`${prometheusMaxPoints.toLocaleString('en-US')} points`));
  });

  it('returns a bad query as a value with Prometheus’s words', async () => {
    const client = new PrometheusClient(unwrap(histories().prometheus.url));
    const answer = await client.query('sum(rate(', Date.now());
    assert.ok(!answer.ok);
    assert.equal(answer.error.code, 'bad-query');
    assert.match(answer.error.message, /parse error/);
  });

  it('no Prometheus: connection refused is one line', async () => {
    const port = await freePort();
    const found = await connectUrl(`http://127.0.0.1:${port}`);
    assert.ok(!found.ok);
    assert.equal(found.error.code, 'unreachable');
    assert.equal(found.error.message, `Cannot reach Prometheus at http://127.0.0.1:${port}: connection refused.`);
  });

  it('something that answers but is not Prometheus is named as such', async () => {
    const grafana = await webPage();
    try {
      const found = await connectUrl(grafana.url);
      assert.ok(!found.ok);
      assert.equal(found.error.code, 'not-prometheus');
      assert.match(
        found.error.message,
        /^Prometheus at http:\/\/127\.0\.0\.1:\d+ answered, but not as Prometheus does \(\/api\/v1\/status\/buildinfo: HTTP 200, text\/html: “Grafana Loading…”\)\.$/,
      );
    } finally {
      await grafana.close();
    }
  });

  it('a slow Prometheus times out, and a cancelled request says so', async () => {
    const slow = await slowServer(5_000);
    try {
      const timedOut = await connectUrl(slow.url, { timeoutMs: 200 });
      assert.ok(!timedOut.ok);
      assert.equal(timedOut.error.code, 'timeout');
      assert.match(timedOut.error.message, /did not answer within 200 ms/);
      const controller = new AbortController();
      const pending = connectUrl(slow.url, { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      const cancelled = await pending;
      assert.ok(!cancelled.ok);
      assert.equal(cancelled.error.code, 'cancelled');
    } finally {
      await slow.close();
    }
  });

  it('sends the bearer token, keeps it out of every message, and names a 401', async () => {
    const guarded = await startLocalServer((_path, respond) => respond(401, 'text/plain', 'Unauthorized'));
    try {
      const found = await connectUrl(guarded.url, { bearerToken: 's3cr3t-token' });
      assert.ok(!found.ok);
      assert.equal(found.error.code, 'unauthorized');
      assert.equal(guarded.requests[0]!.headers.authorization, 'Bearer s3cr3t-token');
      assert.doesNotMatch(found.error.message, /s3cr3t/);
      const withUser = await connectUrl(guarded.url.replace('http://', 'http://ops:pa55word@'));
      assert.ok(!withUser.ok);
      assert.doesNotMatch(withUser.error.message, /pa55word|ops:/);
      assert.match(String(guarded.requests[1]!.headers.authorization), /^Basic /);
    } finally {
      await guarded.close();
    }
  });

  it('refuses what is not an http(s) URL', async () => {
    const bad = await connectUrl('file:///etc/passwd');
    assert.ok(!bad.ok);
    assert.match(bad.error.message, /file: URLs are not supported/);
    const notUrl = await connectUrl('prometheus:9090 please');
    assert.ok(!notUrl.ok);
    assert.match(notUrl.error.message, /is not a URL/);
  });
});

function unwrap(url: string) {
  const t = urlTransport(url);
  if (!t.ok) throw new Error(t.error.message);
  return t.value;
}
