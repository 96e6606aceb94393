import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { replay } from '../../../src/core/incident/journalReplay';
import { freePort } from '../../harness/processes';
import { installPrometheus } from '../../k8s-server/prometheusObjects';
import { startTestServer, type TestServer } from '../../k8s-server/server';
import { oomNightStartedAt, writeOomNightJournal } from '../../prometheus/incidentJournals';
import { promtoolBinary } from '../../prometheus/testPrometheus';
import { usePrometheusHistories } from '../../prometheus/usePrometheusHistories';
import { useBuiltCli } from '../../harness/builtCli';
import { runNode } from '../../harness/runCli';
import { useTempDir } from '../../harness/tempDir';

const run = promisify(execFile);

/** Node 20, as users have it: the system's (the test run itself is on Node 24). */
const usersNode = '/usr/bin/node';

const hubops = (node: string, cli: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  runNode(node, [cli, ...args], { ...process.env, ...env });

describe('hubops history, alerts and report with Prometheus (built, run as a process)', function () {
  this.timeout(60_000);
  const histories = usePrometheusHistories();
  const cli = useBuiltCli();
  const dir = useTempDir('hubops-prom-cli-');
  /** `hubops report JOURNAL ARGS… --prometheus URL --timezone UTC` on Node 20. */
  const report = (journal: string, ...args: string[]) =>
    hubops(usersNode, cli(), [
      'report',
      journal,
      ...args,
      '--prometheus',
      histories().prometheus.url,
      '--timezone',
      'UTC',
    ]);
  /** `hubops history --namespace hub-physics --prometheus URL ARGS…` on `node`. */
  const physicsHistory = (node: string, ...args: string[]) =>
    hubops(node, cli(), ['history', '--namespace', 'hub-physics', '--prometheus', histories().prometheus.url, ...args]);
  const night = ['--from', '2026-11-22T23:00:00Z', '--to', '2026-11-23T05:00:00Z'];

  it('history --prometheus on Node 20: JSON Lines in the journal’s entry format, from the first OOM kill', async () => {
    const r = await physicsHistory(usersNode, ...night, '--json');
    assert.equal(r.code, 0, r.err);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(lines.length > 40);
    for (const e of lines) {
      assert.equal(e.source, 'prometheus');
      assert.equal(e.resolution, '1m');
      assert.equal(e.hub, 'hub-physics');
      assert.equal(typeof e.id, 'string');
      assert.ok(!Number.isNaN(Date.parse(e.time as string)));
    }
    assert.deepEqual(
      [lines[0]!.kind, lines[0]!.time, lines[0]!.restarts],
      ['pod-oomkilled', '2026-11-23T01:01:00.000Z', 1],
    );
    assert.match(
      r.err,
      /^History of hub-physics from Prometheus 2\.42\.0\+ds at http:\/\/127\.0\.0\.1:\d+, 2026-11-22 23:00 \w+ to 2026-11-23 05:00 \w+, at 1m resolution\.\n/,
    );
    assert.match(r.err, /hub-physics: no JupyterHub metrics in the window/);
  });

  it('history prints one line per entry, in the chosen timezone', async () => {
    const r = await physicsHistory(process.execPath, ...night, '--timezone', 'America/New_York');
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.equal(lines[0], '2026-11-22 20:01 EST  hub-736544445-fr5mw OOMKilled (container hub, exit 137, 1 restarts)');
    assert.match(lines[1]!, /^2026-11-22 20:02 EST–23:54 {2}hub memory above 90% of its 2Gi limit \d+ times/);
  });

  it('history --journal adds only what the journal lacks, once', async () => {
    const file = writeOomNightJournal(dir());
    const args = ['history', '--journal', file, '--prometheus', histories().prometheus.url];
    const first = await hubops(usersNode, cli(), args);
    assert.equal(first.code, 0, first.err);
    const [, written, skipped] = /Added (\d+) entries to .* \((\d+) it already had\)/.exec(first.err) ?? [];
    assert.ok(Number(written) > 40 && Number(skipped) >= 7, first.err);
    const replayed = replay(file);
    assert.ok(replayed.ok);
    const kills = replayed.value.entries.filter((e) => e.kind === 'pod-oomkilled');
    assert.equal(kills[0]!.time, '2026-11-23T01:01:00.000Z');
    assert.equal(new Set(kills.map((e) => e.restarts)).size, kills.length, 'each kill once');
    assert.ok(
      kills.filter((e) => Date.parse(e.time) >= Date.parse(oomNightStartedAt)).every((e) => e.source === 'cluster'),
    );
    const again = await hubops(usersNode, cli(), args);
    assert.match(again.err, /Added 0 entries/);
  });

  describe('--context: the Prometheus Service through the test server’s service proxy', () => {
    let server: TestServer;
    beforeEach(async () => {
      server = await startTestServer({ tokens: [{ token: 'admin' }, { token: 'viewer', proxy: false }] });
      installPrometheus(server.cluster, 'support-chart', histories().prometheus.url);
    });
    afterEach(() => server.close());
    /** `hubops history` of hub-physics over the night (Node 24), with a kubeconfig whose context prod has `token`. */
    const historyThrough = (token: string, ...args: string[]) => {
      const kubeconfig = server.writeKubeconfig(join(dir(), 'kubeconfig'), { context: 'prod', token });
      return hubops(process.execPath, cli(), [
        'history',
        '--kubeconfig',
        kubeconfig,
        '--namespace',
        'hub-physics',
        ...night,
        ...args,
      ]);
    };

    it('finds it and rebuilds the same history', async () => {
      const r = await historyThrough('admin', '--context', 'prod', '--json');
      assert.equal(r.code, 0, r.err);
      assert.match(
        r.err,
        /from Prometheus 2\.42\.0\+ds, service support\/support-prometheus-server:http \(context prod, through the API server\)/,
      );
      const direct = await physicsHistory(process.execPath, ...night, '--json');
      assert.equal(r.out, direct.out);
    });

    it('403 on services/proxy is one line, exit 1', async () => {
      const r = await historyThrough('viewer');
      assert.equal(r.code, 1);
      assert.equal(r.out, '');
      assert.match(
        r.err,
        /^hubops history: Context "prod": not allowed to reach Prometheus through the service proxy \(403: needs get on services\/proxy in namespace "support"\)\. .*\n$/,
      );
    });

    it('on Node 20 --context says it needs a newer Node, before loading client-node', async () => {
      const r = await hubops(usersNode, cli(), ['history', '--context', 'prod', '--namespace', 'hub-physics']);
      assert.equal(r.code, 2);
      assert.match(
        r.err,
        /^hubops history needs Node\.js 22\.19 or newer \(this is v20\.[\d.]+\); analyze, report, history --prometheus and alerts work on Node 20\n$/,
      );
    });
  });

  it('bad input: no Prometheus, a bad window, no hub named', async () => {
    const port = await freePort();
    const down = await hubops(usersNode, cli(), [
      'history',
      '--namespace',
      'hub-physics',
      '--prometheus',
      `http://127.0.0.1:${port}`,
    ]);
    assert.deepEqual(
      [down.code, down.out, down.err],
      [1, '', `hubops history: Cannot reach Prometheus at http://127.0.0.1:${port}: connection refused.\n`],
    );
    const window = await physicsHistory(usersNode, '--since', 'yesterday');
    assert.deepEqual(
      [window.code, window.err],
      [2, 'hubops history: --since "yesterday" is not a duration (e.g. 6h, 90m, 2d).\n'],
    );
    const none = await hubops(usersNode, cli(), ['history', '--prometheus', histories().prometheus.url]);
    assert.equal(none.code, 2);
    assert.match(none.err, /^hubops history: name the hubs with --namespace/);
  });

  it('alerts: a rules file and a PrometheusRule that promtool accepts, on Node 20', async () => {
    const rules = await hubops(usersNode, cli(), [
      'alerts',
      '--namespace',
      'hub-physics,hub-classroom',
      '--jupyterhub-version',
      '5.3.0',
    ]);
    assert.equal(rules.code, 0, rules.err);
    const file = join(dir(), 'rules.yml');
    writeFileSync(file, rules.out);
    const checked = await run(promtoolBinary, ['check', 'rules', file]);
    assert.match(checked.stdout, /SUCCESS: 7 rules found/);
    assert.match(rules.out, /status="throttled"/);
    assert.doesNotMatch(rules.out, /reason="throttled"/);
    const object = await hubops(usersNode, cli(), [
      'alerts',
      '--namespace',
      'hub-physics',
      '--jupyterhub-version',
      '6.0.0',
      '--format',
      'prometheusrule',
      '--rule-label',
      'release=kube-prometheus-stack',
    ]);
    assert.equal(object.code, 0, object.err);
    assert.match(object.out, /^kind: PrometheusRule$/m);
    assert.match(object.out, /^ {4}release: kube-prometheus-stack$/m);
    assert.match(object.out, /status="failure", reason="throttled"/);
    const bad = await hubops(usersNode, cli(), ['alerts', '--namespace', 'hub-physics', '--format', 'grafana']);
    assert.deepEqual(
      [bad.code, bad.err],
      [2, 'hubops alerts: --format must be rules or prometheusrule, not "grafana"\n'],
    );
  });

  it('report --prometheus: the timeline from the first OOM kill, SVG charts beside the Markdown, the replay', async () => {
    const journal = writeOomNightJournal(dir());
    const out = join(dir(), 'reports', 'oom-night.md');
    const r = await report(journal, '--out', out);
    assert.equal(r.code, 0, r.err);
    const md = readFileSync(out, 'utf8');
    const svgs = readdirSync(join(dir(), 'reports'))
      .filter((f) => f.endsWith('.svg'))
      .sort();
    assert.deepEqual(svgs, [
      'oom-night-hub-physics-memory.svg',
      'oom-night-hub-physics-nodes.svg',
      'oom-night-hub-physics-pending.svg',
      'oom-night-hub-physics-spawns.svg',
    ]);
    for (const svg of svgs) assert.ok(md.includes(`](${svg})`), `${svg} is linked`);
    const memory = readFileSync(join(dir(), 'reports', svgs[0]!), 'utf8');
    assert.match(memory, /<title id="[^"]+">Hub memory vs limit: hub-physics<\/title>/);
    assert.match(memory, />incident start</);
    const rows = md.split('\n').filter((l) => /^\| \d\d:\d\d/.test(l));
    assert.match(rows[0]!, /^\| 01:01 \| hub-736544445-fr5mw OOMKilled \(container hub, exit 137, 1 restarts\) \|$/);
    assert.match(md, /\| JupyterHubHubRestarted \| 01:02 UTC \(hub-736544445-fr5mw\) \| 3 h 58 min earlier \|/);
    // The watcher's kills are not repeated from Prometheus.
    assert.equal(rows.filter((l) => /OOMKilled \(container hub, exit 137, 42 restarts\)/.test(l)).length, 1);
  });

  it('report --template postmortem: 2i2c’s sections, and the action items as an issue body', async () => {
    const journal = writeOomNightJournal(dir());
    const out = join(dir(), 'postmortem.md');
    const r = await report(journal, '--template', 'postmortem', '--owner', 'Ana', '--out', out);
    assert.equal(r.code, 0, r.err);
    const md = readFileSync(out, 'utf8');
    assert.deepEqual(
      md.split('\n').filter((l) => l.startsWith('## ')),
      [
        '## Overview',
        '## What Happened',
        '## Resolution',
        '## Where we got lucky',
        '## What Went Well?',
        "## What Didn't Go So Well?",
        '## Action Items',
        '## Timeline',
        '## Evidence',
      ],
    );
    assert.match(md, /^- \*\*Owner:\*\* Ana$/m);
    assert.match(md, /^- \*\*Impact time:\*\* from 01:01 to 05:55 UTC$/m);
    assert.match(md, /^- \*\*Duration:\*\* 4 h 54 min$/m);
    assert.match(
      md,
      /JupyterHubHubOOMKilled would have fired at 01:02 UTC, 3 h 58 min before the incident was started\./,
    );
    assert.match(md, /## Where we got lucky\n\n_Where did we get lucky\?/);
    const issue = await report(journal, '--action-items');
    assert.equal(issue.code, 0, issue.err);
    assert.match(issue.out, /^Follow-up from the incident \*\*hub-physics OOMKilled at start-up\*\*/);
    assert.match(issue.out, /^- \[ \] Deploy the JupyterHub Ops alert rules/m);
    assert.doesNotMatch(issue.out, /^## /m);
  });

  it('report --prometheus without --out says why it needs one', async () => {
    const journal = writeOomNightJournal(dir());
    const r = await hubops(usersNode, cli(), ['report', journal, '--prometheus', histories().prometheus.url]);
    assert.deepEqual(
      [r.code, r.err],
      [2, 'hubops report: --prometheus needs --out FILE: the charts are SVG files written beside the report.\n'],
    );
  });
});
