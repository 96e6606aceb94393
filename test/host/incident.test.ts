import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { Observation } from '../../src/core/cluster/observations';
import { analyzeHubDb, openHubDb, type HubDbAnalysis } from '../../src/core/hubdb';
import type { IncidentNode } from '../../src/incident/incidentTree';
import { zoned } from '../../src/core/incident/zonedTime';
import { buildCalibrationDb, DEFAULT_NOW } from '../builders/hubDb';
import { startTestServer, type TestServer } from '../k8s-server';
import { Timeline } from '../k8s-server/scenarios';
import { oomLoopSteps } from '../k8s-server/scenarios/oomLoop';
import { activateExtension, runDir, waitFor, type ExtensionApi } from '../harness/inHost';
import { sectionIds, sectionTitles } from '../../src/core/incident/reportDraft';

const t0 = '2026-05-14T17:55:00.000Z'; // 13:55 EDT
const at = (minutes: number) => new Date(Date.parse(t0) + minutes * 60_000).toISOString();
const hubPod = 'hub-7c9d8f6b5d-x2kqp';

/** What the cluster watcher reports when the hub pod is OOMKilled (src/core/cluster/observations.ts). */
const hubOomKilled = (restarts: number, minute: number): Observation => ({
  kind: 'pod-oomkilled',
  time: at(minute),
  context: 'prod',
  hub: 'stress-hub',
  release: 'stress-hub',
  text: `${hubPod} OOMKilled (container hub, exit 137, ${restarts} restarts)`,
  key: `uid-hub/hub/${at(minute)}`,
  pod: hubPod,
  component: 'hub',
  container: 'hub',
  exitCode: 137,
  restarts,
});

const userPodPending = (user: string, minute: number): Observation => ({
  kind: 'pod-pending',
  time: at(minute),
  context: 'prod',
  hub: 'stress-hub',
  release: 'stress-hub',
  text: `jupyter-${user} pending: Unschedulable`,
  key: `uid-${user}/pending`,
  pod: `jupyter-${user}`,
  component: 'singleuser-server',
  reason: 'Unschedulable',
});

/** The analyzer's real result on an incident-shaped hub DB (1,000 named servers, 500 running). */
async function realAnalysis(): Promise<HubDbAnalysis> {
  // The test bundle's sql.js finds its wasm beside the bundle (scripts/build.mjs --tests puts it there).
  const opened = await openHubDb(await buildCalibrationDb({ stressServers: 1000, stressRunning: 500 }), {
    wasmPath: join(__dirname, 'sql-wasm.wasm'),
  });
  if (!opened.ok) throw opened.error;
  try {
    const analysed = analyzeHubDb(opened.value, {
      jupyterhubVersion: '5.3.0',
      memoryLimitBytes: 2 * 2 ** 30,
      now: DEFAULT_NOW,
    });
    if (!analysed.ok) throw analysed.error;
    return analysed.value;
  } finally {
    opened.value.db.close();
  }
}

/** The Incident view's rows as the real tree shows them: label | description, children of groups indented. */
async function viewRows(api: ExtensionApi): Promise<string[]> {
  const tree = api.incident.tree;
  const rows: string[] = [];
  const walk = (nodes: IncidentNode[], depth: number) => {
    for (const node of nodes) {
      const item = tree.getTreeItem(node);
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      rows.push(`${'  '.repeat(depth)}${label}${item.description ? ` | ${String(item.description)}` : ''}`);
      if (node.type === 'hidden') walk(tree.getChildren(node), depth + 1);
    }
  };
  walk(tree.getChildren(), 0);
  return rows;
}

function journalLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('Incident journal and report (in the real host)', () => {
  let api: ExtensionApi;
  let journalFile: string;
  const config = () => vscode.workspace.getConfiguration('jupyterhubOps');

  before(async () => {
    api = await activateExtension();
    await config().update('reportTimezone', 'America/New_York', vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('reportTimezone', undefined, vscode.ConfigurationTarget.Global);
  });

  it('refuses Start Incident with arguments it does not understand, and writes nothing', async () => {
    for (const bad of [{ title: 5 }, { title: 'x', hubs: [{ context: 'prod' }] }, { title: 'x', startedAt: 'soon' }]) {
      const result = await vscode.commands.executeCommand<string | undefined>('jupyterhubOps.startIncident', bad);
      assert.equal(result, undefined);
    }
    assert.equal(api.incident.store.current, undefined);
  });

  it('starts an incident through the command: a journal in global storage, recording in the status bar', async () => {
    const file = await vscode.commands.executeCommand<string>('jupyterhubOps.startIncident', {
      title: 'stress-hub OOMKilled at start-up',
      hubs: [{ context: 'prod', namespace: 'stress-hub' }],
      severity: 'SEV2',
      startedAt: t0,
    });
    assert.ok(file, 'the command returns the journal file');
    journalFile = file;
    assert.equal(dirname(file), join(api.incident.store.dir));
    assert.match(
      file,
      /\/globalStorage\/jupyterhub-ops\.jupyterhub-ops\/incidents\/2026-05-14-stress-hub-oomkilled-at-start-up-[0-9a-f]{8}\.jsonl$/,
    );
    const [header] = journalLines(file);
    assert.deepEqual(
      { ...header, id: undefined },
      {
        type: 'incident',
        id: undefined,
        title: 'stress-hub OOMKilled at start-up',
        startedAt: t0,
        hubs: [{ context: 'prod', namespace: 'stress-hub' }],
        severity: 'SEV2',
      },
    );
    assert.equal(api.incident.recorder.recording, true);
    assert.match(api.incident.status.text ?? '', /^\$\(record\) Incident · /);
    const rows = await viewRows(api);
    assert.match(rows[0]!, /^stress-hub OOMKilled at start-up \| recording · .* · times in E[SD]T$/);
  });

  it('journals observations, a snapshot and the analyzer’s result through the recorder, and notes through the command', async () => {
    const { recorder } = api.incident;
    for (const result of [
      recorder.recordObservation(hubOomKilled(1, 7)), // 14:02
      recorder.recordObservation(userPodPending('ada', 8)),
      recorder.recordObservation(userPodPending('grace', 8.5)),
      recorder.recordObservation(userPodPending('alan', 9)),
      recorder.recordObservation(hubOomKilled(2, 13)), // 14:08
      recorder.recordSnapshot({
        file: '/tmp/prod_stress-hub.sqlite',
        context: 'prod',
        namespace: 'stress-hub',
        pod: hubPod,
        takenAt: at(15),
        bytes: 1_134_592,
      }),
      recorder.recordAnalysis(await realAnalysis(), {
        namespace: 'stress-hub',
        context: 'prod',
        jupyterhubVersion: '5.3.0',
        time: at(17),
      }),
      recorder.recordObservation(hubOomKilled(3, 24)), // 14:19
    ])
      assert.ok(result.ok && result.value, result.ok ? 'written' : result.error.userMessage);
    // Another hub's trouble is not this incident's.
    const other = recorder.recordObservation({ ...hubOomKilled(1, 10), hub: 'other-hub', key: 'other' });
    assert.deepEqual(other, { ok: true, value: null });

    const note = await vscode.commands.executeCommand<{ id: string; time: string; tag?: string }>(
      'jupyterhubOps.addTimelineNote',
      {
        text: "Stopped 900 of stress-user's named servers; the hub started",
        time: '2026-05-14 14:40',
        tag: 'resolution',
      },
    );
    assert.equal(note.time, at(45), '14:40 in the report timezone (EDT)');
    assert.equal(note.tag, 'resolution');
    const early = await vscode.commands.executeCommand<{ time: string }>('jupyterhubOps.addTimelineNote', {
      text: 'Helm upgrade restarted the hub',
      time: '2026-05-14T17:58:00Z',
      tag: 'cause',
    });
    assert.equal(early.time, at(3));
    assert.equal(
      await vscode.commands.executeCommand('jupyterhubOps.addTimelineNote', { text: 'x', time: '25:99' }),
      undefined,
    );

    const kinds = journalLines(journalFile)
      .slice(1)
      .map((l) => `${String(l.kind)}${typeof l.count === 'number' ? `×${l.count}` : ''}`);
    assert.deepEqual(kinds, [
      'pod-oomkilled',
      'pod-pending',
      'pod-pending×2',
      'pod-pending×3',
      'pod-oomkilled',
      'db-snapshot',
      'db-analysis',
      'pod-oomkilled',
      'note',
      'note',
    ]);

    const rows = await waitFor('the Incident view to show the notes', async () => {
      const r = await viewRows(api);
      return r.some((row) => row.includes('Helm upgrade')) ? r : undefined;
    });
    assert.deepEqual(rows.slice(1), [
      "14:40  Stopped 900 of stress-user's named servers; the hub started",
      `14:19  ${hubPod} OOMKilled (container hub, exit 137, 3 restarts) | stress-hub`,
      `14:12  Hub DB analysis: OOM: JupyterHub 5.0.0-5.3.0 would need 2.7Gi peak, 25 s of start-up query, over the hub's 2Gi limit by 688Mi. A restart will be killed (OOMKilled, exit 137) before the hub serves anyone. | stress-hub`,
      `14:10  Hub DB snapshot taken from ${hubPod} (1.1Mi) | stress-hub`,
      `14:08  ${hubPod} OOMKilled (container hub, exit 137, 2 restarts) | stress-hub`,
      '14:03–14:04  3 pods Pending | stress-hub · ×3',
      `14:02  ${hubPod} OOMKilled (container hub, exit 137, 1 restarts) | stress-hub`,
      '13:58  Helm upgrade restarted the hub',
      'All incidents (1)',
    ]);
  });

  it('edits, hides and deletes entries through the commands; the view follows', async () => {
    const replayed = api.incident.store.replayCurrent();
    assert.ok(replayed?.ok);
    const pending = replayed.value.entries.find((e) => e.kind === 'pod-pending')!;
    const snapshot = replayed.value.entries.find((e) => e.kind === 'db-snapshot')!;
    const edited = await vscode.commands.executeCommand('jupyterhubOps.editIncidentEntry', {
      id: pending.id,
      text: '3 user servers Pending: no room on the user nodes',
    });
    assert.ok(edited);
    assert.ok(await vscode.commands.executeCommand('jupyterhubOps.hideIncidentEntry', { id: snapshot.id }));
    const scratch = await vscode.commands.executeCommand<{ id: string }>('jupyterhubOps.addTimelineNote', {
      text: 'typo note',
    });
    assert.ok(await vscode.commands.executeCommand('jupyterhubOps.deleteIncidentEntry', { id: scratch.id }));
    assert.equal(
      await vscode.commands.executeCommand('jupyterhubOps.deleteIncidentEntry', { id: 'no-such-entry' }),
      undefined,
    );

    const rows = await waitFor('the Incident view to show the edits', async () => {
      const r = await viewRows(api);
      return r.some((row) => row.startsWith('Hidden from the report')) && !r.some((row) => row.includes('typo'))
        ? r
        : undefined;
    });
    assert.ok(
      rows.includes('14:03–14:04  3 user servers Pending: no room on the user nodes | stress-hub · ×3 · edited'),
    );
    assert.ok(!rows.some((row) => row.startsWith('14:10 ')));
    assert.ok(rows.includes('Hidden from the report (1)'));
    assert.ok(rows.includes(`  14:10  Hub DB snapshot taken from ${hubPod} (1.1Mi) | stress-hub`));
    assert.ok(await vscode.commands.executeCommand('jupyterhubOps.showIncidentEntry', { id: snapshot.id }));
  });

  it('survives a window reload: the journal is reopened from storage and the recorder skips what it has', async () => {
    const { store, recorder } = api.incident;
    store.close();
    assert.equal(store.current, undefined);
    assert.equal(recorder.recording, false);
    const restored = store.restore();
    assert.ok(restored.ok && restored.value);
    assert.equal(restored.value.file, journalFile);
    assert.equal(recorder.recording, true);
    // The watcher's first look after a reload reports the last OOM kill again.
    assert.deepEqual(recorder.recordObservation(hubOomKilled(3, 24)), { ok: true, value: null });
    const fourth = recorder.recordObservation(hubOomKilled(4, 36));
    assert.ok(fourth.ok && fourth.value);
  });

  it('stops the incident: the status bar clears, cluster observations stop, notes still go in', async () => {
    assert.equal(await vscode.commands.executeCommand('jupyterhubOps.stopIncident', { time: 'noon' }), false);
    assert.equal(
      await vscode.commands.executeCommand('jupyterhubOps.stopIncident', { time: '2026-05-14 14:45' }),
      true,
    );
    const { recorder, status } = api.incident;
    assert.equal(recorder.recording, false);
    assert.equal(status.text, undefined);
    assert.deepEqual(recorder.recordObservation(hubOomKilled(5, 60)), { ok: true, value: null });
    assert.equal(await vscode.commands.executeCommand('jupyterhubOps.stopIncident', {}), false);
    const late = await vscode.commands.executeCommand<{ kind: string }>('jupyterhubOps.addTimelineNote', {
      text: 'Load tests must clean up their servers',
      time: '2026-05-14T18:50:00Z',
      tag: 'learned',
    });
    assert.equal(late.kind, 'note');
    const rows = await waitFor('the header to say stopped', async () => {
      const r = await viewRows(api);
      return r[0]?.includes('stopped') ? r : undefined;
    });
    assert.match(rows[0]!, /^stress-hub OOMKilled at start-up \| stopped · /);
  });

  it('drafts the report in a panel, keeps the operator’s edit, and exports Markdown into the workspace', async () => {
    const opened = await vscode.commands.executeCommand<{ journalFile: string }>('jupyterhubOps.draftIncidentReport');
    assert.equal(opened?.journalFile, journalFile);
    const tab = await waitFor('the report panel', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('Report: stress-hub')),
    );
    assert.equal(tab.label, 'Report: stress-hub OOMKilled at start-up');
    const editor = api.incident.reports.editorOf(journalFile);
    assert.ok(editor, 'the panel has an editor');
    assert.ok(
      editor.edit(
        'summary',
        'The hub ran out of memory at every start: the start-up query of JupyterHub 5.3.0 grew with the stress user’s servers.',
      ).ok,
    );

    const exported = await vscode.commands.executeCommand<string>('jupyterhubOps.exportIncidentReport');
    const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    assert.equal(exported, join(workspace, 'incident-reports/2026-05-14-stress-hub-oomkilled-at-start-up.md'));
    await waitFor('the export to open in an editor', () =>
      vscode.window.activeTextEditor?.document.uri.fsPath === exported ? true : undefined,
    );
    const markdown = readFileSync(exported, 'utf8');
    // Every section the report drafts, in order, then the evidence, then what Prometheus could add: here, one
    // line saying why there is no history (the test kubeconfig has no context "prod").
    assert.deepEqual(markdown.match(/^## .*/gm), [
      ...sectionIds.map((id) => `## ${sectionTitles[id]}`),
      '## Evidence',
      '## History from Prometheus',
    ]);
    assert.equal(markdown.slice(markdown.indexOf('## History from Prometheus')).match(/^- /gm)?.length, 1);
    assert.match(markdown, /^- \*\*Severity:\*\* SEV2$/m);
    assert.match(markdown, /^- \*\*Ended:\*\* Thursday, 14 May 2026 14:45 EDT \(18:45 UTC\) \(50 min\)$/m);
    assert.match(markdown, /## Summary\n\nThe hub ran out of memory at every start/);

    // The timeline: every visible entry, in time order, at its time in EDT.
    const timeline = markdown.slice(markdown.indexOf('## Timeline'), markdown.indexOf('## Resolution'));
    assert.match(timeline, /All times in EDT \(America\/New_York\)\./);
    const rows = timeline.match(/^\| \d\d:\d\d.*$/gm)!.map((r) => unescapeMarkdown(r.replace(/ \|$/, '')));
    assert.deepEqual(rows, [
      '| 13:55 | Incident recording started: stress-hub OOMKilled at start-up',
      '| 13:58 | **Note:** Helm upgrade restarted the hub',
      `| 14:02 | ${hubPod} OOMKilled (container hub, exit 137, 1 restarts)`,
      '| 14:03–14:04 | 3 user servers Pending: no room on the user nodes',
      `| 14:08 | ${hubPod} OOMKilled (container hub, exit 137, 2 restarts)`,
      `| 14:10 | Hub DB snapshot taken from ${hubPod} (1.1Mi)`,
      "| 14:12 | Hub DB analysis: OOM: JupyterHub 5.0.0-5.3.0 would need 2.7Gi peak, 25 s of start-up query, over the hub's 2Gi limit by 688Mi. A restart will be killed (OOMKilled, exit 137) before the hub serves anyone.",
      `| 14:19 | ${hubPod} OOMKilled (container hub, exit 137, 3 restarts)`,
      `| 14:31 | ${hubPod} OOMKilled (container hub, exit 137, 4 restarts)`,
      "| 14:40 | **Note:** Stopped 900 of stress-user's named servers; the hub started",
      '| 14:45 | **Incident stopped**',
      '| 14:50 | **Note:** Load tests must clean up their servers',
    ]);
    // The analyzer's finding: the verdict and cost table as evidence, the cause in the drafted sections.
    assert.match(
      markdown,
      /Verdict for JupyterHub 5\.3\.0: \*\*Will be OOMKilled\*\* against a 2Gi hub memory limit\./,
    );
    assert.match(markdown, /\| 5\.3\.0 \(running\) \| 500,\d{3} \|/);
    assert.match(markdown, /- stress-user: 1,000 named servers( and a default server)?, 500 running/);
    assert.match(markdown, /## Resolution\n\n- 14:40 EDT: Stopped 900 of stress-user's named servers; the hub started/);
    assert.match(markdown, /## What we learned\n\n[\s\S]*Load tests must clean up their servers/);
    assert.match(markdown, /- \[ \] Upgrade to JupyterHub 5\.4\.3\+/);

    const copied = await vscode.commands.executeCommand<string>('jupyterhubOps.copyIncidentReport', {});
    assert.equal(copied, markdown);
    assert.equal(await vscode.env.clipboard.readText(), markdown);
  });

  it('lists incidents and switches the current one', async () => {
    const second = await vscode.commands.executeCommand<string>('jupyterhubOps.startIncident', {
      title: 'DS100 class start',
      hubs: [{ context: 'prod', namespace: 'ds100' }],
    });
    assert.ok(second);
    assert.equal(api.incident.store.current?.file, second);
    const files = readdirSync(api.incident.store.dir).filter((f) => f.endsWith('.jsonl'));
    assert.equal(files.length, 2);
    assert.equal(
      await vscode.commands.executeCommand('jupyterhubOps.switchIncident', { file: journalFile }),
      journalFile,
    );
    assert.equal(api.incident.recorder.recording, false, 'the first incident was stopped');
    const rows = await waitFor('the view to show the first incident again', async () => {
      const r = await viewRows(api);
      return r[0]?.startsWith('stress-hub') ? r : undefined;
    });
    assert.equal(rows.at(-1), 'All incidents (2)');
  });
});

describe('Incident journal fed by the cluster watcher (Kubernetes API test server, OOM-looping hub)', function () {
  // The whole chain of the issue: the OOM scenario runs, an incident records, the hub is OOMKilled, a
  // snapshot and its analysis are taken through Analyze Hub DB, a note is added, the window "reloads"
  // (the journal is closed and restored, as activation does after a reload), and the report is exported.
  this.timeout(180_000);
  let server: TestServer;
  let timeline: Timeline;
  let api: ExtensionApi;
  const config = () => vscode.workspace.getConfiguration('jupyterhubOps');
  const namespace = 'hub-oom';
  /** The scenario's hub is OOMKilled 80 s into each run; kubelet backs off 10 s, 20 s, … between runs. */
  const killsAtMs = [80_000, 170_000, 270_000];

  const hubOomEntries = () => {
    const replayed = api.incident.store.replayCurrent();
    if (!replayed?.ok) return [];
    return replayed.value.entries.filter((e) => e.kind === 'pod-oomkilled' && e.hub === namespace);
  };

  before(async () => {
    server = await startTestServer({ tokens: [{ token: 'admin-token', user: 'hubops-admin' }] });
    // The hub's DB is shaped like the incident's: JupyterHub 5.3 would need ~2.7 GiB against its 2Gi limit.
    const hubDbFile = join(runDir(), 'hub-oom.sqlite');
    writeFileSync(hubDbFile, await buildCalibrationDb({ stressServers: 1000, stressRunning: 500 }));
    // Virtual time ends near the real clock, so the watcher reads the kills as news, not history.
    timeline = new Timeline(server, oomLoopSteps({ namespace, hubDbFile }), {
      start: new Date(Date.now() - 6 * 60_000),
    });
    timeline.advanceTo(0);
    const file = server.writeKubeconfig(join(runDir(), 'kube', 'incident-oom.yaml'), [
      { context: 'lab-oom', token: 'admin-token' },
    ]);
    api = await activateExtension();
    await config().update('reportTimezone', 'UTC', vscode.ConfigurationTarget.Global);
    await config().update('kubeconfig', file, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.view.extension.jupyterhubOps');
    const started = await vscode.commands.executeCommand<string>('jupyterhubOps.startIncident', {
      title: 'hub-oom crash loop',
      hubs: [{ context: 'lab-oom', namespace }],
      startedAt: timeline.start.toISOString(),
    });
    assert.ok(started);
    // The watch of a context starts when its row is expanded, as a person would.
    const context = await waitFor('the lab-oom context row', async () => {
      const roots = await api.clusters.getChildren();
      return roots.find((n) => String(api.clusters.getTreeItem(n).label) === 'lab-oom');
    });
    await waitFor('the hub to be discovered', async () => {
      const hubs = await api.clusters.getChildren(context);
      return hubs.some((n) => String(api.clusters.getTreeItem(n).label) === namespace) ? true : undefined;
    });
  });

  after(async () => {
    await config().update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
    await config().update('reportTimezone', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it('journals the OOM kills as the watcher sees them, a snapshot and its analysis, a note; after a reload exports them in order', async () => {
    const entriesOf = (kind: string) => {
      const replayed = api.incident.store.replayCurrent();
      return replayed?.ok ? replayed.value.entries.filter((e) => e.kind === kind && e.hub === namespace) : [];
    };
    for (const [i, killAt] of killsAtMs.entries()) {
      timeline.advanceTo(killAt);
      await waitFor(`OOM kill ${i + 1} in the journal`, () => (hubOomEntries().length === i + 1 ? true : undefined));
      if (i > 0) continue;
      // Between the kills the hub runs again: snapshot its DB and analyse it, as an operator would.
      timeline.advanceTo(killAt + 20_000);
      const analyzed = await vscode.commands.executeCommand<{ ok: boolean }>('jupyterhubOps.analyzeHubDb', {
        context: 'lab-oom',
        namespace,
      });
      assert.equal(analyzed?.ok, true);
      await waitFor('the analysis in the journal', () => (entriesOf('db-analysis').length === 1 ? true : undefined));
      await vscode.commands.executeCommand('jupyterhubOps.addTimelineNote', {
        text: 'Stopped 900 of stress-user’s named servers',
        tag: 'resolution',
        hub: namespace,
      });
    }
    // A window reload: the journal is dropped and restored from its file, losing nothing.
    api.incident.store.close();
    const restored = api.incident.store.restore();
    assert.ok(restored.ok && restored.value, 'the journal is restored after the reload');
    assert.equal(entriesOf('db-snapshot').length, 1);
    assert.equal(entriesOf('db-analysis')[0]?.verdict, 'oom');
    const kills = hubOomEntries();
    assert.deepEqual(
      kills.map((e) => [e.source, e.context, e.exitCode, e.component]),
      killsAtMs.map(() => ['cluster', 'lab-oom', 137, 'hub']),
    );
    // Each kill at the time the cluster says the container finished (Kubernetes times are whole seconds).
    const second = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();
    assert.deepEqual(
      kills.map((e) => e.time),
      killsAtMs.map((ms) => second(timeline.start.getTime() + ms)),
    );

    const end = new Date(timeline.start.getTime() + 290_000).toISOString();
    assert.equal(await vscode.commands.executeCommand('jupyterhubOps.stopIncident', { time: end }), true);
    const file = await vscode.commands.executeCommand<string>('jupyterhubOps.exportIncidentReport', {
      target: 'incident-reports/hub-oom-from-cluster.md',
      open: false,
    });
    const markdown = readFileSync(file, 'utf8');
    const hhmm = (ms: number) => zoned(timeline.start.getTime() + ms, 'UTC').time;
    const when =
      hhmm(killsAtMs[0]!) === hhmm(killsAtMs[2]!)
        ? `at ${hhmm(killsAtMs[0]!)} UTC`
        : `between ${hhmm(killsAtMs[0]!)} and ${hhmm(killsAtMs[2]!)} UTC`;
    assert.match(
      markdown,
      new RegExp(`on hub \\*\\*hub-oom\\*\\* \\(context lab-oom\\), the hub was OOMKilled 3 times ${when}`),
    );
    const oomRows = markdown.match(/^\| \d\d:\d\d \| hub-\S+ OOMKilled \(container hub, exit 137, \d restarts\) \|$/gm);
    assert.equal(oomRows?.length, 3, markdown);
    assert.match(markdown, /- \[ \] Add an alert on hub pod restarts/);
    // The analyzer's finding and the operator's note are in the report, and the timeline is in time order.
    assert.match(
      markdown,
      /JupyterHub 5\.3\.0's start-up query would fetch 500,\d{3} rows ≈ 2\.7Gi against a 2Gi limit, driven by user stress-user's/,
    );
    assert.match(markdown, /Stopped 900 of stress-user’s named servers/);
    const timelineRows = [...markdown.matchAll(/^\| (\d\d:\d\d) \| (.*) \|$/gm)].map((m) => [m[1]!, m[2]!]);
    const times = timelineRows.map(([t]) => t);
    assert.deepEqual(times, [...times].sort(), 'timeline rows in time order');
    const firstKill = timelineRows.findIndex(([, text]) => /OOMKilled/.test(text));
    const snapshotRow = timelineRows.findIndex(([, text]) => /Hub DB snapshot/.test(text));
    const noteRow = timelineRows.findIndex(([, text]) => /Stopped 900/.test(text));
    assert.ok(firstKill >= 0 && snapshotRow > firstKill && noteRow > firstKill, markdown);
  });
});

/** Journal text goes into the report escaped (src/shared/untrustedText.ts): read it back as text. */
function unescapeMarkdown(row: string): string {
  return row.replace(/\\([\\`*_[\]{}#|~!@$])/g, '$1');
}
