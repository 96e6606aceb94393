import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ReadinessOutcome } from '../../src/readiness';
import { startTestServer, testTokens, type TestServer } from '../k8s-server';
import { findScenario, Timeline } from '../k8s-server/scenarios';
import { installPrometheus } from '../k8s-server/prometheusObjects';
import { usePrometheusHistories } from '../prometheus/usePrometheusHistories';
import { activateExtension, leaveHost, runDir, type ExtensionApi } from '../harness/inHost';

type Done = Extract<NonNullable<ReadinessOutcome>, { ok: true }>['value'];

/** Runs the command with a full event plan (nothing is asked) and returns what it did. */
async function check(context: string, attendees: number, arrivalMinutes = 0): Promise<Done> {
  const outcome = await vscode.commands.executeCommand<ReadinessOutcome>('jupyterhubOps.checkReadiness', {
    context,
    namespace: 'hub-classroom',
    attendees,
    arrivalMinutes,
  });
  assert.ok(outcome, 'the command ran to the end');
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.userMessage);
  return outcome.value;
}

describe('Check Readiness for an Event (in the real host, against the class-start scenario)', () => {
  let server: TestServer;
  let api: ExtensionApi;
  let journal = '';
  const histories = usePrometheusHistories();

  before(async () => {
    server = await startTestServer({
      tokens: testTokens('operator', 'noSecrets'),
    });
    new Timeline(server, findScenario('class-start')!.steps()).advanceTo(45_000); // before the class starts
    const kubeconfig = server.writeKubeconfig(join(runDir(), 'kube', 'readiness.yaml'), [
      { context: 'sim', token: 'admin-token' },
      { context: 'no-secrets', token: 'no-secrets' },
    ]);
    await vscode.workspace.getConfiguration('jupyterhubOps').update('kubeconfig', kubeconfig, true);
    api = await activateExtension();
  });

  // Leave no incident behind: other suites in this host start from none.
  after(() => leaveHost(api, journal, server));

  it('150 attendees at once: the verdict, figures, checks and changes on the page, and one journal entry', async () => {
    journal = await vscode.commands.executeCommand<string>('jupyterhubOps.startIncident', {
      title: 'Class start',
      hubs: [{ context: 'sim', namespace: 'hub-classroom' }],
    });
    const { report, view, journalEntry } = await check('sim', 150);

    // The same prediction as hubops readiness on this hub: 30 of 150 never get a server.
    assert.deepEqual([report.lastServerMinutes, report.usersSeeing429, report.peakWaitingForNode], [null, 86, 64]);
    assert.equal(report.verdict, 'fail');
    assert.equal(view.verdict, 'fail');
    assert.equal(view.now.summary, '30 of 150 never get a server; 86 see a 429; at most 64 wait for a node at once');
    assert.ok(view.after);
    assert.equal(
      view.after.summary,
      `the last attendee gets a server at minute 0.5; ${report.valuesDiff.predicted.usersSeeing429} see a 429; at most ${report.valuesDiff.predicted.peakWaitingForNode} wait for a node at once`,
    );
    assert.deepEqual(
      view.checks.map((c) => [c.id, c.verdict]),
      report.checks.map((c) => [c.id, c.verdict]),
    );
    assert.ok(view.checks.some((c) => c.id === 'spawn-limit' && c.verdict === 'fail'));
    assert.match(view.diff, /^- {2}concurrentSpawnLimit: 64\n\+ {2}concurrentSpawnLimit: 150$/m);
    assert.ok(view.changes.length > 0 && view.changes.every((c) => c.chartSvg.startsWith('<svg ')));
    assert.match(view.now.chartSvg, />running now<[\s\S]*>running with the changes</);
    assert.match(view.after.chartSvg, />running with the changes<[\s\S]*>running now</);

    // Journaled: one entry with the verdict and the figures, now and with the changes.
    assert.ok(journalEntry);
    assert.equal(journalEntry.kind, 'readiness-check');
    assert.equal(journalEntry.hub, 'hub-classroom');
    assert.equal(journalEntry.source, 'tool');
    assert.deepEqual(
      [
        journalEntry.verdict,
        journalEntry.attendees,
        journalEntry.lastServerMinutes,
        journalEntry.usersSeeing429,
        journalEntry.peakWaitingForNode,
      ],
      ['fail', 150, null, 86, 64],
    );
    assert.match(
      journalEntry.text,
      /^Readiness check for 150 attendees: FAIL: 30 of 150 never get a server; 86 see a 429; at most 64 wait for a node at once; with the suggested changes, after 30 s\.$/,
    );
    const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
    assert.equal(lines.filter((l) => l.includes('"kind":"readiness-check"')).length, 1);

    // The panel shows it; Export writes the Markdown and the chart beside it.
    const session = api.readiness.sessionOf('sim', 'hub-classroom');
    assert.ok(session);
    assert.equal(session.view, view);
    const target = join(runDir(), 'exports', 'classroom.md');
    const exported = await session.exportMarkdown({ target, open: false });
    assert.ok(exported.ok && exported.value);
    assert.equal(exported.value.chart, join(runDir(), 'exports', 'classroom.svg'));
    const md = readFileSync(target, 'utf8');
    assert.match(md, /^# Readiness of hub-classroom for 150 attendees\n/);
    assert.match(md, /!\[Start-up curve[^\]]*\]\(classroom\.svg\)/);
    assert.match(readFileSync(exported.value.chart, 'utf8'), /^<svg [^>]*>[\s\S]*minutes from the start/);
  });

  it('a 403 on the values Secret is not fatal: the page says what was assumed; no incident, no journal entry', async () => {
    await vscode.commands.executeCommand('jupyterhubOps.stopIncident');
    const { report, view, journalEntry } = await check('no-secrets', 100, 10);
    assert.equal(journalEntry, null);
    assert.equal(report.plan.arrivalMinutes, 10);
    assert.match(view.plan, /^100 attendees, arriving evenly over 10 min · read /);
    assert.ok(
      view.assumptions.some((a) =>
        a.startsWith('concurrent spawn limit: not permitted to read Secret hub (403 Forbidden)'),
      ),
      view.assumptions.join('\n'),
    );
    assert.equal(api.readiness.sessionOf('no-secrets', 'hub-classroom')?.view, view);
  });

  it('with Prometheus in the cluster: spawn and scale-up times from the last 7 days, each with its source', async () => {
    // Before: no Prometheus, the figures are assumed and the page says why.
    const before = (await check('sim', 150)).view;
    assert.ok(
      before.assumptions.some((a) => a === 'spawn time: assumed 30 s per spawn (no Prometheus found in the context)'),
      before.assumptions.join('\n'),
    );
    // The class three days ago (test/prometheus/histories.ts), found through the service proxy.
    installPrometheus(server.cluster, 'support-chart', histories().prometheus.url);
    const { report, view } = await check('sim', 150);
    const figure = (name: string) => report.inputs.find((i) => i.name === name);
    assert.deepEqual(figure('spawn time'), {
      name: 'spawn time',
      value: '22.5 s',
      source: 'Prometheus: median of 121 successful spawns in the last 7 days',
      assumed: false,
    });
    assert.equal(figure('scale-up time')?.value, '10 min');
    assert.equal(figure('scale-up time')?.assumed, false);
    assert.ok(!view.assumptions.some((a) => a.startsWith('spawn time') || a.startsWith('scale-up time')));
    const spawnCheck = view.checks.find((c) => c.id === 'spawn-limit');
    assert.match(spawnCheck?.source ?? '', /Prometheus: median of 121 successful spawns in the last 7 days/);
  });

  it('an event plan out of bounds fails in one line, before reading the cluster', async () => {
    const outcome = await vscode.commands.executeCommand<ReadinessOutcome>('jupyterhubOps.checkReadiness', {
      context: 'sim',
      namespace: 'hub-classroom',
      attendees: 0,
      arrivalMinutes: 0,
    });
    assert.ok(outcome && !outcome.ok);
    assert.equal(outcome.error.userMessage, 'A whole number of attendees from 1 to 100,000.');
  });
});
