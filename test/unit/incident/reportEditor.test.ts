import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../../../src/core/incident/journal';
import { sectionIds, type SectionId } from '../../../src/core/incident/reportDraft';
import { savedReportFile } from '../../../src/incident/report/savedReport';
import { ReportEditor, type ConflictAnswer, type ReportUi } from '../../../src/incident/report/reportEditor';
import { PageConnection } from '../../../src/vscode/pageConnection';
import {
  parsePageState,
  parseToHost,
  parseToWebview,
  reportPage,
  type ToWebview,
} from '../../../src/protocol/reportProtocol';
import { hubOomAfterStressTest, writeJournal } from '../../builders/journal';
import { recordingLog } from '../../harness/recordingLog';
import { useTempDir } from '../../harness/tempDir';

/** VS Code around an editor, as plain data: what was posted to the page, asked, copied and opened. */
class RecordingUi implements ReportUi {
  posted: ToWebview[] = [];
  asked: SectionId[] = [];
  answers: ConflictAnswer[] = [];
  copied: string[] = [];
  shown: string[] = [];
  replace = true;
  constructor(private readonly folder: string | undefined) {}
  post(message: ToWebview) {
    // Whatever the host posts must pass the page's own validation.
    const parsed = parseToWebview(message);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
    this.posted.push(message);
  }
  async resolveConflict(section: { id: SectionId }) {
    this.asked.push(section.id);
    return this.answers.shift() ?? 'keep';
  }
  async copyText(text: string) {
    this.copied.push(text);
  }
  workspaceFolder() {
    return this.folder;
  }
  async confirmReplace() {
    return this.replace;
  }
  async showFile(file: string) {
    this.shown.push(file);
  }
  last<K extends ToWebview['type']>(type: K): Extract<ToWebview, { type: K }> | undefined {
    return this.posted.filter((m): m is Extract<ToWebview, { type: K }> => m.type === type).at(-1);
  }
}

const tz = 'America/New_York';
const deps = { timezone: () => tz, now: () => new Date('2026-05-14T19:00:00Z') };

/** An editor of `journal` whose page posts land in `ui`, as the panel would have it. */
function reportEditor(
  journal: string,
  ui: RecordingUi,
  options: typeof deps | { timezone(): string } = deps,
  log = recordingLog(),
) {
  return new ReportEditor(journal, new PageConnection(reportPage, (m) => ui.post(m), log), ui, options);
}

describe('incident report editor (what the panel does, without the panel)', () => {
  const dir = useTempDir('incident-report-');

  function seedJournal(): string {
    return writeJournal(join(dir(), 'incidents'), hubOomAfterStressTest());
  }

  /** The editor of a freshly seeded journal, opened, with VS Code around it recorded in `ui`. */
  function openedEditor() {
    const journal = seedJournal();
    const ui = new RecordingUi(dir());
    const editor = reportEditor(journal, ui, deps);
    assert.ok(editor.open().ok);
    return { journal, ui, editor };
  }

  it('drafts on first open, saves it next to the journal, and answers ready with the whole report', async () => {
    const { journal, ui, editor } = openedEditor();
    assert.ok(existsSync(savedReportFile(journal)));
    await editor.page.receive({ type: 'ready' });
    const report = ui.last('report')?.report;
    assert.ok(report);
    assert.equal(report.journalFile, journal);
    assert.deepEqual(
      report.sections.map((s) => s.id),
      [...sectionIds],
    );
    assert.deepEqual(
      report.facts.map((f) => f.label),
      ['Hubs', 'Severity', 'Started', 'Ended', 'Drafted'],
    );
    assert.match(report.facts[2]!.value, /14 May 2026 13:55 EDT$/);
    assert.match(
      report.sections.find((s) => s.id === 'timeline')!.drafted,
      /^All times in EDT \(America\/New_York\)\./,
    );
    assert.match(report.evidence, /```mermaid/);
    assert.equal(report.stale, false);
    assert.match(report.exportPath, /^incident-reports\/2026-05-14-/);
  });

  it('saves each edit at once, and a new editor (a reload) finds it', async () => {
    const { journal, ui, editor } = openedEditor();
    await editor.page.receive({ type: 'edit', section: 'summary', text: 'The hub ran out of memory at every start.' });
    assert.deepEqual(ui.last('saved'), {
      type: 'saved',
      section: 'summary',
      edited: 'The hub ran out of memory at every start.',
    });
    const again = reportEditor(journal, new RecordingUi(dir()));
    assert.ok(again.open().ok);
    assert.equal(again.document.sections.summary.edited, 'The hub ran out of memory at every start.');
    // Text equal to the draft is no edit.
    await again.page.receive({ type: 'revert', section: 'summary' });
    assert.equal(again.document.sections.summary.edited, null);
  });

  it('drops a message that does not fit the protocol, and says why in the log', async () => {
    const journal = seedJournal();
    const log = recordingLog();
    const ui = new RecordingUi(dir());
    const editor = reportEditor(journal, ui, deps, log);
    assert.ok(editor.open().ok);
    for (const bad of [
      { type: 'edit', section: 'constructor', text: 'x' },
      { type: 'edit', section: 'summary', text: 'x', extra: '<script>' },
      { type: 'export', target: '/etc/passwd' },
      'ready',
      null,
    ])
      await editor.page.receive(bad);
    assert.equal(log.lines.length, 5);
    assert.match(log.lines[0]!, /message\.section is not one of summary\|/);
    assert.equal(editor.document.sections.summary.edited, null);
    assert.deepEqual(ui.posted, []);
    assert.ok(!parseToHost({ type: 'edit', section: 'summary', text: 'x'.repeat(3 * 1024 * 1024) }).ok);
    assert.ok(!parsePageState({ journalFile: 1, editing: [], unsaved: [] }).ok);
  });

  it('says the draft is stale when the journal moves on; Re-draft keeps edited text unless told to take the draft', async () => {
    const { journal, ui, editor } = openedEditor();
    await editor.page.receive({ type: 'edit', section: 'resolution', text: 'We stopped the stress user’s servers.' });
    await editor.page.receive({ type: 'edit', section: 'learned', text: 'Load tests need cleanup.' });
    assert.equal(editor.isStale(), false);

    const opened = Journal.open(journal);
    assert.ok(opened.ok);
    const notes = [
      { time: '2026-05-14T18:48:00Z', text: 'Deleted 1,400 of the stress user’s named servers', tag: 'resolution' },
      { time: '2026-05-14T18:49:00Z', text: 'Load tests must clean up', tag: 'learned' },
    ] as const;
    for (const note of notes) assert.ok(opened.value.journal.append({ kind: 'note', source: 'operator', ...note }).ok);
    editor.journalChanged();
    assert.deepEqual(ui.last('stale'), { type: 'stale', stale: true });

    // Resolution: take the new draft; What we learned: keep mine.
    ui.answers = ['take', 'keep'];
    await editor.page.receive({ type: 'redraft' });
    assert.deepEqual(ui.asked, ['resolution', 'learned']);
    const doc = editor.document;
    assert.equal(doc.sections.resolution.edited, null);
    assert.match(doc.sections.resolution.drafted, /Deleted 1,400 of the stress user’s named servers/);
    assert.equal(doc.sections.learned.edited, 'Load tests need cleanup.');
    assert.match(doc.sections.learned.drafted, /Load tests must clean up/);
    assert.equal(ui.last('report')?.report.stale, false);
    assert.match(ui.last('notice')!.text, /Your text was kept in: What we learned/);

    // Cancel leaves everything as it was.
    await editor.page.receive({ type: 'edit', section: 'timeline', text: 'my timeline' });
    const before = JSON.stringify(editor.document);
    ui.answers = ['cancel'];
    await editor.page.receive({ type: 'setUtc', utc: true });
    assert.equal(JSON.stringify(editor.document), before);
    assert.match(ui.last('notice')!.text, /cancelled/);
  });

  it('adds a UTC column on request and keeps that choice in the saved report', async () => {
    const journal = seedJournal();
    const editor = reportEditor(journal, new RecordingUi(dir()));
    assert.ok(editor.open().ok);
    await editor.page.receive({ type: 'setUtc', utc: true });
    assert.match(editor.document.sections.timeline.drafted, /\| Time \(EDT\) \| UTC \| Event \|/);
    const again = reportEditor(journal, new RecordingUi(dir()));
    assert.ok(again.open().ok);
    const view = again.view();
    assert.ok(view.ok);
    assert.equal(view.value.utc, true);
  });

  it('exports Markdown into the workspace, asks before replacing, copies, and needs a folder only for export', async () => {
    const { journal, ui, editor } = openedEditor();
    await editor.page.receive({
      type: 'edit',
      section: 'summary',
      text: 'We saw the header Authorization: token abcdef0123456789abcdef0123456789 in a log',
    });
    await editor.page.receive({ type: 'export' });
    const exported = ui.last('notice');
    assert.equal(exported?.level, 'info');
    const file = exported!.path!;
    const view = editor.view();
    assert.ok(view.ok);
    assert.equal(file, join(dir(), view.value.exportPath));
    assert.match(file, /\/incident-reports\/2026-05-14-[a-z0-9-]+\.md$/);
    assert.deepEqual(ui.shown, [file]);
    const markdown = readFileSync(file, 'utf8');
    assert.match(markdown, /^# 2026-05-14: /);
    assert.match(markdown, /Authorization: token ‹redacted›/);
    assert.doesNotMatch(markdown, /abcdef0123456789abcdef0123456789/);

    ui.replace = false;
    const declined = await editor.exportMarkdown();
    assert.deepEqual(declined, { ok: true, value: null });
    const elsewhere = await editor.exportMarkdown({ target: 'docs/report.md', open: false });
    assert.ok(elsewhere.ok);
    assert.equal(elsewhere.value, join(dir(), 'docs/report.md'));

    await editor.page.receive({ type: 'copyMarkdown' });
    assert.equal(ui.copied[0], markdown);

    const noFolder = reportEditor(journal, new RecordingUi(undefined), deps);
    assert.ok(noFolder.open().ok);
    const refused = await noFolder.exportMarkdown();
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, 'report-no-workspace');
    assert.ok(noFolder.markdown().ok);
  });

  it('keeps an unreadable saved report aside and drafts afresh; an unreadable journal is an error', () => {
    const journal = seedJournal();
    writeFileSync(savedReportFile(journal), '{"document": {"sections": 4}');
    const ui = new RecordingUi(dir());
    const editor = reportEditor(journal, ui, deps);
    const opened = editor.open();
    assert.ok(opened.ok);
    assert.match(opened.value.notice!, /cannot be read .* kept as .*\.report\.json\.damaged/);
    assert.equal(readFileSync(`${savedReportFile(journal)}.damaged`, 'utf8'), '{"document": {"sections": 4}');

    const missing = join(dir(), 'incidents', 'nope.jsonl');
    mkdirSync(join(dir(), 'incidents'), { recursive: true });
    const failed = reportEditor(missing, ui, deps).open();
    assert.ok(!failed.ok);
    assert.equal(failed.error.code, 'journal-unreadable');

    const badZone = reportEditor(journal, ui, { timezone: () => 'Mars/Olympus' });
    writeFileSync(savedReportFile(journal), 'garbage');
    const refused = badZone.open();
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, 'bad-timezone');
  });
});
