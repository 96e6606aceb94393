import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { replay } from '../../src/core/incident/journalReplay';
import type { ClusterNode } from '../../src/cluster';
import { activateExtension, runDir, waitFor, type ExtensionApi } from '../harness/inHost';
import { startTestServer, type TestServer } from '../k8s-server';
import { installPrometheus } from '../k8s-server/prometheusObjects';
import { usePrometheusHistories } from '../prometheus/usePrometheusHistories';

const hour = 3600_000;
/** The OOM night (test/prometheus/histories.ts) starts at 01:00 UTC; the incident is noticed 4 h in. */
const noticedAt = '2026-11-23T05:00:00.000Z';

describe('Prometheus history in incidents and reports (in the real host)', function () {
  this.timeout(180_000);
  const histories = usePrometheusHistories();
  let withPrometheus: TestServer;
  let bare: TestServer;
  let api: ExtensionApi;
  let bareKubeconfig: string;
  const config = () => vscode.workspace.getConfiguration('jupyterhubOps');

  before(async () => {
    withPrometheus = await startTestServer({
      tokens: [
        { token: 'admin', user: 'ops-admin' },
        { token: 'no-proxy', user: 'viewer', proxy: false },
      ],
    });
    installPrometheus(withPrometheus.cluster, 'support-chart', histories().prometheus.url);
    bare = await startTestServer();
    const dir = join(runDir(), 'kube');
    mkdirSync(dir, { recursive: true });
    const kubeconfig = withPrometheus.writeKubeconfig(join(dir, 'prometheus.yaml'), [
      { context: 'prom', token: 'admin' },
      { context: 'no-proxy', token: 'no-proxy' },
    ]);
    bareKubeconfig = bare.writeKubeconfig(join(dir, 'bare.yaml'), [{ context: 'bare' }]);
    api = await activateExtension();
    await config().update('reportTimezone', 'UTC', vscode.ConfigurationTarget.Global);
    await config().update('kubeconfig', kubeconfig, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('reportTimezone', undefined, vscode.ConfigurationTarget.Global);
    await config().update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
    await withPrometheus?.close();
    await bare?.close();
  });

  const start = async (title: string, context: string) => {
    const file = await vscode.commands.executeCommand<string>('jupyterhubOps.startIncident', {
      title,
      hubs: [{ context, namespace: 'hub-physics' }],
      startedAt: noticedAt,
    });
    assert.ok(file, 'the incident started');
    const backfilled = await api.prometheus.lastStartBackfill();
    return { file, backfilled };
  };

  it('an incident started 4 h into the OOM loop gets the hours before it: the timeline begins at the first OOM kill', async () => {
    const { file, backfilled } = await start('hub-physics OOMKilled at start-up', 'prom');
    assert.ok(backfilled, 'the start backfilled');
    // The only thing the night lacks: the OOM-looping hub never stayed up long enough to be scraped.
    assert.deepEqual(backfilled.problems, [
      'hub-physics: no JupyterHub metrics in the window (jupyterhub_server_spawn_duration_seconds_count): the hub is not scraped, or never stayed up long enough to be (a hub OOMKilled during start-up never is).',
    ]);
    assert.equal(backfilled.window.fromMs, Date.parse(noticedAt) - 6 * hour);
    assert.match(
      backfilled.sources[0]!,
      /^Prometheus 2\.42\.0.*service support\/support-prometheus-server:http .* at 1m resolution$/,
    );
    assert.ok(backfilled.written > 10, `wrote ${backfilled.written}`);

    const incident = replay(file);
    assert.ok(incident.ok);
    const first = incident.value.entries[0]!;
    assert.equal(first.kind, 'pod-oomkilled');
    assert.equal(first.source, 'prometheus');
    assert.equal(first.resolution, '1m');
    assert.equal(first.hub, 'hub-physics');
    // The first kill of the night is at 01:01:20 (test/prometheus/histories.ts), to the minute.
    assert.equal(first.time.slice(0, 16), '2026-11-23T01:01');
    for (const e of incident.value.entries) assert.equal(e.source, 'prometheus');

    // Nothing is journaled twice: the same window again adds nothing.
    const again = await vscode.commands.executeCommand<{ written: number; skipped: number }>(
      'jupyterhubOps.backfillFromPrometheus',
      { file, window: 'incident' },
    );
    assert.equal(again?.written, 0);
    assert.ok((again?.skipped ?? 0) > 0);
    const after = replay(file);
    assert.ok(after.ok);
    assert.equal(after.value.entries.length, incident.value.entries.length);

    // The report: its timeline starts with that kill; the memory chart; the replay beside the noticed time.
    const editor = await api.incident.reports.headless(file);
    assert.ok(editor.ok);
    const view = editor.value.view();
    assert.ok(view.ok);
    const timeline = view.value.sections.find((s) => s.id === 'timeline')!.drafted;
    const firstRow = timeline.split('\n').find((line) => /\b\d\d:\d\d\b/.test(line) && /OOM/i.test(line));
    assert.ok(firstRow, timeline.slice(0, 500));
    assert.match(firstRow, /01:01/);
    const history = await editor.value.loadHistory();
    assert.ok(history);
    const shown = editor.value.historyView(history);
    assert.equal(shown.state, 'ready');
    const memory = shown.charts.find((c) => c.hub === 'hub-physics' && c.chart === 'memory');
    assert.ok(memory, `charts: ${shown.charts.map((c) => c.chart).join(', ')}`);
    assert.match(memory.svg, /^<svg [^>]*role="img"/);
    assert.match(memory.title, /Hub memory vs limit/);
    assert.deepEqual(
      shown.charts.map((c) => c.chart),
      ['memory', 'spawns', 'pending', 'nodes'],
    );
    assert.match(
      shown.summary,
      /^The hub-restart rule would have fired at 01:0\d UTC; the incident was noticed at 05:00 UTC\.$/,
    );
    const restart = shown.replay.find((r) => r.alert === 'JupyterHubHubRestarted');
    assert.match(restart?.lead ?? '', /before the incident was noticed$/);
  });

  it('exports the report with its charts as SVG files beside the Markdown, linked from it', async () => {
    const file = api.incident.store.current!.file;
    const target = join(runDir(), 'exported', 'oom-night.md');
    const written = await vscode.commands.executeCommand<string>('jupyterhubOps.exportIncidentReport', {
      file,
      target,
      overwrite: true,
      open: false,
    });
    assert.equal(written, target);
    const { readFileSync, existsSync } = await import('node:fs');
    const markdown = readFileSync(target, 'utf8');
    assert.match(markdown, /!\[Hub memory vs limit: hub-physics\]\(oom-night-hub-physics-memory\.svg\)/);
    assert.match(markdown, /\| JupyterHubHubRestarted \| 01:0\d UTC/);
    const svg = join(runDir(), 'exported', 'oom-night-hub-physics-memory.svg');
    assert.ok(existsSync(svg));
    assert.match(readFileSync(svg, 'utf8'), /^<svg /);
  });

  it('the Clusters view says where history comes from, per context', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.jupyterhubOps');
    const contexts = await api.clusters.getChildren();
    const prom = contexts.find((n) => n.kind === 'context' && n.context.name === 'prom')!;
    let last: string[] = [];
    const row = await waitFor('the history row', async () => {
      const rows = await api.clusters.getChildren(prom);
      last = rows.map((r) => (r.kind === 'message' ? `${r.label} | ${r.detail}` : r.kind));
      const history = rows.find(
        (r): r is Extract<ClusterNode, { kind: 'message' }> => r.kind === 'message' && r.label === 'History',
      );
      return history && !history.detail.includes('looking') ? history : undefined;
    }).catch((error: Error) => {
      throw new Error(`${error.message}; last rows: ${JSON.stringify(last)}`);
    });
    assert.equal(row.detail, 'Prometheus support/support-prometheus-server via service proxy (2.42.0+ds)');
  });

  it('Export Alert Rules writes the pack for the chosen hubs into the workspace, version-aware, as promtool accepts it', async () => {
    const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const hubs = [{ context: 'prom', namespace: 'hub-physics', jupyterhubVersion: '6.0.0' }];
    const rules = await vscode.commands.executeCommand<string>('jupyterhubOps.exportAlertRules', {
      hubs,
      format: 'rules',
      open: false,
    });
    assert.equal(rules, join(workspace, 'alert-rules/jupyterhub-ops-hub-physics.rules.yaml'));
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(rules, 'utf8');
    assert.match(text, /alert: JupyterHubHubRestarted/);
    assert.match(text, /namespace="hub-physics"/);
    // JupyterHub 6 labels throttled spawns status="failure", reason="throttled"; 5.x would not.
    assert.match(text, /reason="throttled"/);
    const { execFileSync } = await import('node:child_process');
    assert.match(
      execFileSync('/usr/bin/promtool', ['check', 'rules', rules], { encoding: 'utf8' }),
      /SUCCESS: 7 rules found/,
    );
    const operator = await vscode.commands.executeCommand<string>('jupyterhubOps.exportAlertRules', {
      hubs,
      format: 'prometheusrule',
      open: false,
    });
    assert.match(readFileSync(operator, 'utf8'), /kind: PrometheusRule/);
    // Arguments it does not understand write nothing.
    const bad = await vscode.commands.executeCommand('jupyterhubOps.exportAlertRules', {
      hubs: [{ context: 'prom', namespace: '../../etc' }],
      format: 'rules',
      open: false,
    });
    assert.equal(bad, undefined);
  });

  it('a URL per context, its bearer token kept in secret storage and out of every description', async () => {
    await config().update(
      'prometheus.urls',
      { 'no-proxy': histories().prometheus.url },
      vscode.ConfigurationTarget.Global,
    );
    try {
      // Prometheus itself asks for no token; the token is stored and sent, and the source is the URL.
      assert.equal(
        await vscode.commands.executeCommand('jupyterhubOps.setPrometheusToken', {
          context: 'no-proxy',
          token: 's3cret-token',
        }),
        true,
      );
      const row = await waitFor('the URL history row', () => {
        const r = api.prometheus.sources.row('no-proxy');
        return r.detail.includes('looking') ? undefined : r;
      });
      assert.match(row.detail, /^Prometheus at http:\/\/127\.0\.0\.1:\d+ \(2\.42\.0\+ds, URL from settings\)$/);
      const found = await api.prometheus.sources.open('no-proxy');
      assert.ok(found.ok);
      found.value.dispose();
      assert.ok(!found.value.description.includes('s3cret'));
    } finally {
      await vscode.commands.executeCommand('jupyterhubOps.setPrometheusToken', { context: 'no-proxy', token: '' });
      await config().update('prometheus.urls', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a 403 on services/proxy is one line; nothing is journaled; the report works', async () => {
    const { file, backfilled } = await start('no proxy for me', 'no-proxy');
    assert.ok(backfilled);
    assert.equal(backfilled.written, 0);
    assert.equal(backfilled.problems.length, 1);
    assert.match(
      backfilled.problems[0]!,
      /^Context "no-proxy": not allowed to reach Prometheus through the service proxy \(403: needs get on services\/proxy in namespace "support"\)\./,
    );
    assert.ok(!backfilled.problems[0]!.includes('\n'));
    const incident = replay(file);
    assert.ok(incident.ok);
    assert.deepEqual(incident.value.entries, []);
    const editor = await api.incident.reports.headless(file);
    assert.ok(editor.ok);
    assert.ok(editor.value.view().ok);
    const history = await editor.value.loadHistory();
    const shown = editor.value.historyView(history!);
    assert.equal(shown.state, 'unavailable');
    assert.deepEqual(shown.charts, []);
    assert.equal(shown.problems.length, 1);
    assert.match(shown.problems[0]!, /403: needs get on services\/proxy/);
    const markdown = editor.value.markdown(history);
    assert.ok(markdown.ok);
    assert.match(markdown.value, /## History from Prometheus[\s\S]*403: needs get on services\/proxy/);
    const row = await waitFor('the no-proxy history row', () => {
      const r = api.prometheus.sources.row('no-proxy');
      return r.detail.includes('looking') ? undefined : r;
    });
    assert.equal(
      row.detail,
      'not allowed to reach Prometheus through the service proxy (403: needs get on services/proxy in namespace "support")',
    );
  });

  it('no Prometheus in the cluster: one line, nothing journaled', async () => {
    await config().update('kubeconfig', bareKubeconfig, vscode.ConfigurationTarget.Global);
    const { file, backfilled } = await start('no prometheus here', 'bare');
    assert.ok(backfilled);
    assert.equal(backfilled.written, 0);
    assert.equal(backfilled.problems.length, 1);
    assert.match(backfilled.problems[0]!, /^Context "bare": no Prometheus server found/);
    const incident = replay(file);
    assert.ok(incident.ok);
    assert.deepEqual(incident.value.entries, []);
    const row = await waitFor('the bare history row', () => {
      const r = api.prometheus.sources.row('bare');
      return r.detail.includes('looking') ? undefined : r;
    });
    assert.match(row.detail, /^none found/);
  });
});
