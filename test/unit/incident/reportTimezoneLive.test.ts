/**
 * The report timezone setting applies at once (issue 14, item 3): an open report re-drafts in the new zone
 * when told, keeping the operator's edits; a report opened later follows the setting, not the zone it was
 * saved in; and an invalid setting is stated on the page.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ReportEditor } from '../../../src/incident/report/reportEditor';
import { PageConnection } from '../../../src/vscode/pageConnection';
import { parseToWebview, reportPage, type ToWebview } from '../../../src/protocol/reportProtocol';
import { hubOomAfterStressTest, writeJournal } from '../../builders/journal';
import { recordingLog } from '../../harness/recordingLog';
import { useTempDir } from '../../harness/tempDir';

describe('report timezone follows the setting while the report is open', () => {
  const dir = useTempDir('report-timezone-');
  let zone = 'America/New_York';
  let problem: string | undefined;
  const posted: ToWebview[] = [];
  const ui = {
    resolveConflict: async () => 'cancel' as const,
    copyText: async () => {},
    workspaceFolder: () => undefined,
    confirmReplace: async () => true,
    showFile: async () => {},
  };
  const deps = {
    timezone: () => zone,
    timezoneProblem: () => problem,
    now: () => new Date('2026-05-14T19:00:00Z'),
  };
  const editorOf = (journal: string) =>
    new ReportEditor(
      journal,
      new PageConnection(
        reportPage,
        (m) => {
          assert.ok(parseToWebview(m).ok);
          posted.push(m);
        },
        recordingLog(),
      ),
      ui,
      deps,
    );
  const lastReport = () => posted.filter((m) => m.type === 'report').at(-1)!.report;

  beforeEach(() => {
    zone = 'America/New_York';
    problem = undefined;
    posted.length = 0;
  });

  it('re-drafts an open report in the new zone, keeps the operator’s edit, and says so', async () => {
    const journal = writeJournal(join(dir(), 'incidents'), hubOomAfterStressTest());
    const editor = editorOf(journal);
    assert.ok(editor.open().ok);
    assert.ok(editor.edit('summary', 'Our words, at 13:55 EDT.').ok);
    await editor.page.receive({ type: 'ready' });
    assert.equal(lastReport().timezone, 'America/New_York');

    zone = 'Europe/Berlin';
    await editor.timezoneChanged();
    const report = lastReport();
    assert.equal(report.timezone, 'Europe/Berlin');
    assert.match(report.facts.find((f) => f.label === 'Started')!.value, /14 May 2026 19:55 CEST$/);
    assert.match(report.sections.find((s) => s.id === 'timeline')!.drafted, /^All times in CEST \(Europe\/Berlin\)\./);
    assert.equal(report.sections.find((s) => s.id === 'summary')!.edited, 'Our words, at 13:55 EDT.');
    assert.equal(report.stale, false);
    assert.ok(posted.some((m) => m.type === 'notice' && m.text === 'Times are now in Europe/Berlin.'));
    const markdown = editor.markdown();
    assert.ok(markdown.ok);
    assert.match(markdown.value, /^- \*\*Started:\*\* Thursday, 14 May 2026 19:55 CEST \(17:55 UTC\)$/m);
  });

  it('opens a saved report in the zone the setting names now', () => {
    const journal = writeJournal(join(dir(), 'incidents'), hubOomAfterStressTest());
    assert.ok(editorOf(journal).open().ok);
    zone = 'UTC';
    const reopened = editorOf(journal);
    assert.ok(reopened.open().ok);
    const view = reopened.view();
    assert.ok(view.ok);
    assert.equal(view.value.timezone, 'UTC');
    assert.match(view.value.sections.find((s) => s.id === 'timeline')!.drafted, /^All times in UTC/);
  });

  it('states on the page why the times are in this machine’s zone when the setting is no timezone', () => {
    const journal = writeJournal(join(dir(), 'incidents'), hubOomAfterStressTest());
    zone = 'UTC';
    problem =
      'the setting jupyterhubOps.reportTimezone "Mars/Olympus" is not an IANA timezone (such as America/New_York, Europe/Berlin or UTC): times are in UTC, this machine\'s zone';
    const editor = editorOf(journal);
    assert.ok(editor.open().ok);
    const view = editor.view();
    assert.ok(view.ok);
    assert.deepEqual(view.value.facts.at(-1), {
      label: 'Timezone',
      value: `The setting jupyterhubOps.reportTimezone "Mars/Olympus" is not an IANA timezone (such as America/New_York, Europe/Berlin or UTC): times are in UTC, this machine's zone.`,
    });
  });
});
