import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../../src/cli/main';
import { renderChartSvg } from '../../../src/core/chart/timeChart';
import {
  evaluateReadiness,
  readinessChart,
  readinessChartSvg,
  readinessMarkdown,
  readReadinessInputs,
  type ReadinessReport,
} from '../../../src/core/readiness';
import { buildHubDb } from '../../builders/hubDb';
import { useBuiltCli } from '../../harness/builtCli';
import { useTempDir } from '../../harness/tempDir';
import { useTestServer } from '../../k8s-server';
import { findScenario, Timeline } from '../../k8s-server/scenarios';
import { writeFileSync } from 'node:fs';
import { freePort } from '../../harness/processes';
import { usePrometheusHistories } from '../../prometheus/usePrometheusHistories';

const run = promisify(execFile);

describe('readiness: Markdown and SVG export, and hubops readiness', function () {
  this.timeout(60_000);
  const server = useTestServer();
  const dir = useTempDir('readiness-');
  const builtCli = useBuiltCli();
  const histories = usePrometheusHistories();

  const classStart = () => new Timeline(server(), findScenario('class-start')!.steps()).advanceTo(45_000);
  /** The built CLI's arguments for 150 attendees on the class-start hub (kubeconfig written into the temp dir). */
  const classStartCli = () => {
    classStart();
    const kubeconfig = server().writeKubeconfig(join(dir(), 'config'));
    return [builtCli(), 'readiness', '--kubeconfig', kubeconfig, '--namespace', 'hub-classroom', '--attendees', '150'];
  };

  async function report(snapshot?: Uint8Array): Promise<ReadinessReport> {
    classStart();
    const inputs = await readReadinessInputs(server().kubeConfig(), {
      context: 'hubops-test',
      namespace: 'hub-classroom',
      ...(snapshot ? { snapshot: { bytes: snapshot, source: 'snapshot hub.sqlite' } } : {}),
    });
    assert.ok(inputs.ok);
    return evaluateReadiness(inputs.value, { attendees: 150, arrivalMinutes: 0 });
  }

  it('Markdown: verdict, the chart beside it, checks, the values diff, the messages; hostile names stay text', async () => {
    const bytes = await buildHubDb({
      users: [{ name: '<img src=x onerror=alert(1)>', servers: [{ name: '**Bold**|pipe', running: false }] }],
    });
    const r = await report(bytes);
    const md = readinessMarkdown(r, { chartFile: 'readiness.svg' });
    assert.match(md, /^# Readiness of hub-classroom for 150 attendees\n/);
    assert.match(
      md,
      /\n\*\*FAIL:\*\* 150 attendees at once: 30 never get a server \(node capacity\); with the suggested changes, after 30 s\.\n/,
    );
    assert.match(md, /\n!\[Start-up curve: attendees with a running server by minute\]\(readiness\.svg\)\n/);
    assert.match(md, /\| last attendee has a server \| never \(some get none\) \| 30 s \|/);
    assert.match(
      md,
      /```diff\n hub:\n- {2}concurrentSpawnLimit: 64\n\+ {2}concurrentSpawnLimit: 150\n\+ {2}namedServerLimitPerUser: 5\n scheduling:\n {3}userPlaceholder:\n- {4}replicas: 6\n\+ {4}replicas: 150\n```/,
    );
    assert.match(md, /## Message for users/);
    // Names from the DB: no raw HTML, no table break, no emphasis.
    assert.ok(!md.includes('<img'), 'HTML escaped');
    assert.ok(md.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(md.includes('\\*\\*Bold\\*\\*\\|pipe'));
    for (const line of md.split('\n').filter((l) => l.startsWith('| Server names JupyterHub 6 rejects')))
      assert.equal(line.split(/(?<!\\)\|/).length, 6, 'four cells, no extra column');
  });

  it('the chart (the one renderer, minutes on x): now and with the changes, the last-server marks, escaped text', async () => {
    const r = await report();
    const now = readinessChart(r);
    assert.equal(now.axis, 'minutes');
    assert.deepEqual(
      now.series.map((s) => [s.label, s.role]),
      [
        ['running now', 'runningNow'],
        ['waiting now', 'waiting'],
        ['running with the changes', 'runningChanged'],
      ],
    );
    // 30 never get a server now: only the changed hub has a last-server minute.
    assert.deepEqual(now.marks, [{ ms: 30_000, kind: 'milestone', label: 'last server with the changes: 30 s' }]);
    const after = readinessChart(r, 'after');
    assert.deepEqual(
      after.series.map((s) => s.label),
      ['running with the changes', 'waiting with the changes', 'running now'],
    );
    // Each scenario keeps its colour whichever view is shown.
    assert.deepEqual(
      after.series.map((s) => s.role),
      ['runningChanged', 'waiting', 'runningNow'],
    );
    // Every line runs to the chart's end: the changed curve, done at 30 s, stays flat to the end of now's.
    const end = now.toMs;
    assert.equal(after.series[0]!.points.at(-1)![0], end);
    assert.equal(after.series[0]!.points.at(-1)![1], 150);

    const svg = readinessChartSvg(r);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
    assert.equal((svg.match(/<path d="M/g) ?? []).length, 3, 'three step lines');
    assert.match(svg, />minutes from the start</);
    // A simulated curve is one line each: no run of it is broken off as a lone dot.
    assert.ok(!svg.includes('<circle'), 'no lone points');
    // A title that leaves no room for the legend on its line puts the legend on a line of its own.
    assert.match(svg, /<rect x="[\d.]+" y="6" width="10"/);
    assert.match(readinessChartSvg(r, 'after'), /<rect x="[\d.]+" y="22" width="10"/);
    assert.match(svg, />last server with the changes: 30 s</);
    assert.ok(!/style=|<script|on[a-z]+=/i.test(svg), 'presentation attributes only');
    const hostile = renderChartSvg(
      {
        id: 'x',
        title: '<script>alert(1)</script> & "q"',
        unit: 'count',
        axis: 'minutes',
        fromMs: 0,
        toMs: 60_000,
        series: [
          {
            label: '</text><script>',
            role: 'runningNow',
            kind: 'step',
            points: [
              [0, 0],
              [60_000, 2],
            ],
          },
        ],
        marks: [{ ms: 30_000, kind: 'milestone', label: '<img src=x onerror=alert(1)>' }],
      },
      { timezone: 'UTC' },
    );
    assert.ok(!hostile.includes('<script>'));
    assert.ok(!hostile.includes('<img'));
    assert.ok(hostile.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;'));
  });

  it('hubops readiness --json on the class-start hub (the built CLI): the figures, checks, curve and values diff', async () => {
    const { stdout } = await run(process.execPath, [...classStartCli(), '--json']);
    const json = JSON.parse(stdout);
    assert.deepEqual([json.lastServerMinutes, json.usersSeeing429, json.peakWaitingForNode], [null, 86, 64]);
    for (const check of json.checks)
      assert.deepEqual(Object.keys(check), ['id', 'name', 'verdict', 'detail', 'source']);
    assert.ok(json.checks.every((c: { verdict: string }) => ['ok', 'warn', 'fail'].includes(c.verdict)));
    assert.deepEqual(Object.keys(json.curve[0]), ['minute', 'running', 'waiting', 'waitingForNode']);
    assert.deepEqual(json.curve[0], { minute: 0, running: 0, waiting: 150, waitingForNode: 42 });
    assert.equal(json.valuesDiff.predicted.lastServerMinutes, 0.5);
    assert.match(
      json.valuesDiff.yaml,
      /^hub:\n {2}concurrentSpawnLimit: 150\nscheduling:\n {2}userPlaceholder:\n {4}replicas: 150 {2}# at least 10 min before the event; set it back afterwards\n$/,
    );
  });

  it('hubops readiness --prometheus URL: spawn and scale-up times from the last 7 days, with their source', async () => {
    const args = classStartCli();
    const figure = (json: { inputs: { name: string; source: string }[] }, name: string) =>
      json.inputs.find((f) => f.name === name)!;
    const url = histories().prometheus.url;
    const read = JSON.parse((await run(process.execPath, [...args, '--prometheus', url, '--json'])).stdout);
    // The class three days ago (test/prometheus/histories.ts): successes in the 15–30 s bucket, nodes after 10 min.
    assert.deepEqual(figure(read, 'spawn time'), {
      name: 'spawn time',
      value: '22.5 s',
      source: 'Prometheus: median of 121 successful spawns in the last 7 days',
      assumed: false,
    });
    assert.deepEqual(figure(read, 'scale-up time'), {
      name: 'scale-up time',
      value: '10 min',
      source:
        'Prometheus: median of 1 scale-up in the last 7 days, from the first waiting user pod to a new node (±2 min)',
      assumed: false,
    });
    // No Prometheus at the URL: the defaults, and why, in the figures; the check still runs (exit 0).
    const down = JSON.parse(
      (await run(process.execPath, [...args, '--prometheus', `http://127.0.0.1:${await freePort()}`, '--json'])).stdout,
    );
    assert.match(
      figure(down, 'spawn time').source,
      /^assumed 30 s per spawn \(no Prometheus: Cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+: connection refused\)$/,
    );
    // Without --prometheus, the one in the context: the test cluster has none, and the figure says so.
    const none = JSON.parse((await run(process.execPath, [...args, '--json'])).stdout);
    assert.equal(
      figure(none, 'scale-up time').source,
      'assumed 10 min per scale-up (no Prometheus found in the context)',
    );
  });

  it('hubops readiness --markdown writes the report and its chart beside it; a snapshot feeds the DB checks', async () => {
    classStart();
    const kubeconfig = server().writeKubeconfig(join(dir(), 'config'));
    const snapshot = join(dir(), 'jupyterhub.sqlite');
    writeFileSync(snapshot, await buildHubDb({ users: [{ name: 'ana', servers: [{ name: '', running: true }] }] }));
    const out = join(dir(), 'classroom-readiness.md');
    const { stdout } = await run(process.execPath, [
      builtCli(),
      'readiness',
      `--kubeconfig=${kubeconfig}`,
      '--namespace=hub-classroom',
      '--attendees=100',
      '--arrival-minutes=10',
      `--snapshot=${snapshot}`,
      `--markdown=${out}`,
    ]);
    assert.match(
      stdout,
      /^FAIL: 100 attendees over 10 min: the last server starts after 22\.6(5)? min; with the suggested changes, after /,
    );
    assert.match(stdout, /OK {4}Hub memory during a restart: Fits: JupyterHub 5\.0\.0-5\.3\.0 would need/);
    assert.ok(existsSync(join(dir(), 'classroom-readiness.svg')));
    assert.match(readFileSync(out, 'utf8'), /!\[Start-up curve[^\]]*\]\(classroom-readiness\.svg\)/);
  });

  it('bad arguments: exit 2 with the usage; an unknown namespace: exit 1 with a sentence', async () => {
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
    assert.equal(await main(['readiness', '--namespace', 'x'], io), 2);
    assert.match(lines.join(''), /give --namespace and --attendees/);
    lines.length = 0;
    assert.equal(await main(['readiness', '--namespace', 'x', '--attendees', 'many'], io), 2);
    assert.equal(
      lines.join(''),
      'hubops readiness: --attendees must be a whole number of attendees from 1 to 100,000, not "many"\n',
    );
    lines.length = 0;
    assert.equal(
      await main(['readiness', '--namespace', 'x', '--attendees', '5', '--snapshot', '/nonexistent/hub.sqlite'], io),
      2,
    );
    assert.match(lines.join(''), /^hubops readiness: cannot read --snapshot "\/nonexistent\/hub\.sqlite": ENOENT/);
    classStart();
    const kubeconfig = server().writeKubeconfig(join(dir(), 'config'));
    lines.length = 0;
    assert.equal(
      await main(['readiness', '--kubeconfig', kubeconfig, '--namespace', 'hub-nowhere', '--attendees', '5'], io),
      1,
    );
    assert.equal(
      lines.join(''),
      'hubops readiness: No JupyterHub in namespace "hub-nowhere" of context "hubops-test".\n',
    );
  });

  it('on Node 20 it says in one line that it needs a newer Node', async () => {
    let err = '';
    const code = await main(['readiness', '--namespace', 'x', '--attendees', '5'], {
      out: () => undefined,
      err: (t) => (err += t),
      nodeVersion: '20.20.2',
    });
    assert.equal(code, 2);
    assert.match(err, /^hubops readiness needs Node\.js 22\.19 or newer \(this is v20\.20\.2\)/);
  });
});
