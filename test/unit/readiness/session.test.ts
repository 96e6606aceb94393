import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateReadiness, readReadinessInputs, type ReadinessReport } from '../../../src/core/readiness';
import { parseToHost, parseToWebview, type ToWebview } from '../../../src/protocol/readinessProtocol';
import { ReadinessSession, type ReadinessUi } from '../../../src/readiness/readinessSession';
import { PageConnection } from '../../../src/vscode/pageConnection';
import { readinessPage } from '../../../src/protocol/readinessProtocol';
import { recordingLog } from '../../harness/recordingLog';
import { useTempDir } from '../../harness/tempDir';
import { useTestServer } from '../../k8s-server';
import { findScenario, Timeline } from '../../k8s-server/scenarios';

/** VS Code around a session, as plain data; every message posted must pass the page's own validation. */
class RecordingUi implements ReadinessUi {
  posted: ToWebview[] = [];
  copied: string[] = [];
  shown: string[] = [];
  proposed: string[] = [];
  choose: string | undefined;
  constructor(private readonly folder: string | undefined) {}
  post(message: ToWebview) {
    const parsed = parseToWebview(message);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
    this.posted.push(message);
  }
  async copyText(text: string) {
    this.copied.push(text);
  }
  workspaceFolder() {
    return this.folder;
  }
  async chooseExportFile(proposed: string) {
    this.proposed.push(proposed);
    return this.choose;
  }
  async showFile(file: string) {
    this.shown.push(file);
  }
}

describe('readiness page: the session behind the panel (no VS Code)', function () {
  this.timeout(60_000);
  const server = useTestServer();
  const dir = useTempDir('readiness-session-');

  async function classStart(): Promise<ReadinessReport> {
    new Timeline(server(), findScenario('class-start')!.steps()).advanceTo(45_000);
    const inputs = await readReadinessInputs(server().kubeConfig(), {
      context: 'hubops-test',
      namespace: 'hub-classroom',
    });
    assert.ok(inputs.ok);
    return evaluateReadiness(inputs.value, { attendees: 150, arrivalMinutes: 0 });
  }

  function session(report: ReadinessReport, ui: RecordingUi) {
    const page = new PageConnection(readinessPage, (m) => ui.post(m), recordingLog());
    return { page, session: new ReadinessSession(report, null, page, ui) };
  }

  it('answers ready with a view the page accepts: verdict line, both predictions, checks, changes', async () => {
    const ui = new RecordingUi(dir());
    const { page } = session(await classStart(), ui);
    await page.receive({ type: 'ready' });
    const shown = ui.posted.at(-1);
    assert.ok(shown?.type === 'readiness');
    const v = shown.view;
    assert.equal(v.verdict, 'fail');
    assert.equal(v.now.summary, '30 of 150 never get a server; 86 see a 429; at most 64 wait for a node at once');
    assert.match(v.after!.summary, /^the last attendee gets a server at minute 0\.5; /);
    assert.deepEqual(
      v.now.figures.map((f) => f.value),
      ['never (some get none)', '86', '64', '120 of 150'],
    );
    assert.ok(v.checks.length >= 6);
    assert.ok(v.changes.every((c) => /^alone: /.test(c.predicted)));
    assert.match(v.exportName, /^readiness-hub-classroom-150-\d{4}-\d\d-\d\d\.md$/);
  });

  it('copies the message of either view and the values; refuses messages outside the protocol', async () => {
    const report = await classStart();
    const ui = new RecordingUi(dir());
    const { page } = session(report, ui);
    await page.receive({ type: 'ready' });
    await page.receive({ type: 'copy', what: 'message-now' });
    await page.receive({ type: 'copy', what: 'message-after' });
    await page.receive({ type: 'copy', what: 'values' });
    assert.deepEqual(ui.copied, [
      `${report.userMessage.before}\n\n${report.userMessage.during}\n`,
      `${report.userMessageAfterChanges!.before}\n\n${report.userMessageAfterChanges!.during}\n`,
      report.valuesDiff.yaml,
    ]);
    assert.notEqual(ui.copied[0], ui.copied[1]);
    assert.ok(!parseToHost({ type: 'copy', what: '../../etc/passwd' }).ok);
    assert.ok(!parseToHost({ type: 'export', file: '/tmp/x.md' }).ok, 'the page cannot name the file');
    await page.receive({ type: 'copy', what: 'secrets' });
    assert.equal(ui.copied.length, 3);
  });

  it('exports where the operator chose (the dialog opens in the workspace), the chart beside; cancel writes nothing', async () => {
    const report = await classStart();
    const ui = new RecordingUi(dir());
    const { page, session: s } = session(report, ui);
    await page.receive({ type: 'ready' });
    ui.choose = undefined;
    await page.receive({ type: 'export' });
    assert.deepEqual(ui.proposed, [join(dir(), s.exportName())]);
    assert.deepEqual(ui.shown, []);
    ui.choose = join(dir(), 'out', 'event'); // no extension: .md is added
    await page.receive({ type: 'export' });
    assert.deepEqual(ui.shown, [join(dir(), 'out', 'event.md')]);
    const md = readFileSync(join(dir(), 'out', 'event.md'), 'utf8');
    assert.match(md, /\n!\[Start-up curve: attendees with a running server by minute\]\(event\.svg\)\n/);
    assert.match(readFileSync(join(dir(), 'out', 'event.svg'), 'utf8'), /^<svg [\s\S]*>running now</);
    const notice = ui.posted.at(-1);
    assert.deepEqual(notice, { type: 'notice', level: 'info', text: 'Exported to event.md and event.svg' });
  });
});
