import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../../../src/core/incident/journal';
import { sectionIds, type SectionId } from '../../../src/core/incident/reportDraft';
import { savedReportFile } from '../../../src/incident/report/savedReport';
import { ReportSession, type ConflictAnswer, type ReportUi } from '../../../src/incident/report/reportSession';
import { parsePageState, parseToHost, parseToWebview, type ToWebview } from '../../../src/protocol/reportProtocol';
import { hubOomAfterStressTest, writeJournal } from '../../builders/journal';
import { useTempDir } from '../../harness/tempDir';

/** The editor around a session, as plain data: what was posted, asked, copied and opened. */
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

describe('incident report session (what the panel does, without the panel)', () => {
  const dir = useTempDir('incident-report-');

  function seedJournal(): string {
    return writeJournal(join(dir(), 'incidents'), hubOomAfterStressTest());
  }

  it('drafts on first open, saves it next to the journal, and answers ready with the whole report', async () => {
    const journal = seedJournal();
    const ui = new RecordingUi(dir());
    const session = new ReportSession(journal, ui, deps);
    assert.ok(session.open().ok);
    assert.ok(existsSync(savedReportFile(journal)));
    await session.receive({ type: 'ready' });
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

  it('saves each edit at once, and a new session (a reload) finds it', async () => {
    const journal = seedJournal();
    const ui = new RecordingUi(dir());
    const session = new ReportSession(journal, ui, deps);
    assert.ok(session.open().ok);
    await session.receive({ type: 'edit', section: 'summary', text: 'The hub ran out of memory at every start.' });
    assert.deepEqual(ui.last('saved'), {
      type: 'saved',
      section: 'summary',
      edited: 'The hub ran out of memory at every start.',
    });
    const again = new ReportSession(journal, new RecordingUi(dir()), deps);
    assert.ok(again.open().ok);
    assert.equal(again.document.sections.summary.edited, 'The hub ran out of memory at every start.');
    // Text equal to the draft is no edit.
    await again.receive({ type: 'revert', section: 'summary' });
    assert.equal(again.document.sections.summary.edited, null);
  });

  it('drops a message that does not fit the protocol, and says why in the log', async () => {
    const journal = seedJournal();
    const log: string[] = [];
    const ui = new RecordingUi(dir());
    const session = new ReportSession(journal, ui, { ...deps, log: (l) => log.push(l) });
    assert.ok(session.open().ok);
    for (const bad of [
      { type: 'edit', section: 'constructor', text: 'x' },
      { type: 'edit', section: 'summary', text: 'x', extra: '<script>' },
      { type: 'export', target: '/etc/passwd' },
      'ready',
      null,
    ])
      await session.receive(bad);
    assert.equal(log.length, 5);
    assert.match(log[0]!, /message\.section is not one of summary\|/);
    assert.equal(session.document.sections.summary.edited, null);
    assert.deepEqual(ui.posted, []);
    assert.ok(!parseToHost({ type: 'edit', section: 'summary', text: 'x'.repeat(3 * 1024 * 1024) }).ok);
    assert.ok(!parsePageState({ journalFile: 1, editing: [], unsaved: [] }).ok);
  });

  it('says the draft is stale when the journal moves on; Re-draft keeps edited text unless told to take the draft', async () => {
    const journal = seedJournal();
    const ui = new RecordingUi(dir());
    const session = new ReportSession(journal, ui, deps);
    assert.ok(session.open().ok);
    await session.receive({ type: 'edit', section: 'resolution', text: 'We stopped the stress user’s servers.' });
    await session.receive({ type: 'edit', section: 'learned', text: 'Load tests need cleanup.' });
    assert.equal(session.isStale(), false);

    const opened = Journal.open(journal);
    assert.ok(opened.ok);
    assert.ok(
      opened.value.journal.append({
        kind: 'note',
        source: 'operator',
        time: '2026-05-14T18:48:00Z',
        text: 'Deleted 1,400 of the stress user’s named servers',
        tag: 'resolution',
      }).ok,
    );
    assert.ok(
      opened.value.journal.append({
        kind: 'note',
        source: 'operator',
        time: '2026-05-14T18:49:00Z',
        text: 'Load tests must clean up',
        tag: 'learned',
      }).ok,
    );
    session.journalChanged();
    assert.deepEqual(ui.last('stale'), { type: 'stale', stale: true });

    // Resolution: take the new draft; What we learned: keep mine.
    ui.answers = ['take', 'keep'];
    await session.receive({ type: 'redraft' });
    assert.deepEqual(ui.asked, ['resolution', 'learned']);
    const doc = session.document;
    assert.equal(doc.sections.resolution.edited, null);
    assert.match(doc.sections.resolution.drafted, /Deleted 1,400 of the stress user’s named servers/);
    assert.equal(doc.sections.learned.edited, 'Load tests need cleanup.');
    assert.match(doc.sections.learned.drafted, /Load tests must clean up/);
    assert.equal(ui.last('report')?.report.stale, false);
    assert.match(ui.last('notice')!.text, /Your text was kept in: What we learned/);

    // Cancel leaves everything as it was.
    await session.receive({ type: 'edit', section: 'timeline', text: 'my timeline' });
    const before = JSON.stringify(session.document);
    ui.answers = ['cancel'];
    await session.receive({ type: 'setUtc', utc: true });
    assert.equal(JSON.stringify(session.document), before);
    assert.match(ui.last('notice')!.text, /cancelled/);
  });

  it('adds a UTC column on request and keeps that choice in the saved report', async () => {
    const journal = seedJournal();
    const session = new ReportSession(journal, new RecordingUi(dir()), deps);
    assert.ok(session.open().ok);
    await session.receive({ type: 'setUtc', utc: true });
    assert.match(session.document.sections.timeline.drafted, /\| Time \(EDT\) \| UTC \| Event \|/);
    const again = new ReportSession(journal, new RecordingUi(dir()), deps);
    assert.ok(again.open().ok);
    const view = again.view();
    assert.ok(view.ok);
    assert.equal(view.value.utc, true);
  });

  it('exports Markdown into the workspace, asks before replacing, copies, and needs a folder only for export', async () => {
    const journal = seedJournal();
    const ui = new RecordingUi(dir());
    const session = new ReportSession(journal, ui, deps);
    assert.ok(session.open().ok);
    await session.receive({
      type: 'edit',
      section: 'summary',
      text: 'We saw the header Authorization: token abcdef0123456789abcdef0123456789 in a log',
    });
    await session.receive({ type: 'export' });
    const exported = ui.last('notice');
    assert.equal(exported?.level, 'info');
    const file = exported!.path!;
    const view = session.view();
    assert.ok(view.ok);
    assert.equal(file, join(dir(), view.value.exportPath));
    assert.match(file, /\/incident-reports\/2026-05-14-[a-z0-9-]+\.md$/);
    assert.deepEqual(ui.shown, [file]);
    const markdown = readFileSync(file, 'utf8');
    assert.match(markdown, /^# 2026-05-14: /);
    assert.match(markdown, /Authorization: token ‹redacted›/);
    assert.doesNotMatch(markdown, /abcdef0123456789abcdef0123456789/);

    ui.replace = false;
    const declined = await session.exportMarkdown();
    assert.deepEqual(declined, { ok: true, value: null });
    const elsewhere = await session.exportMarkdown({ target: 'docs/report.md', open: false });
    assert.ok(elsewhere.ok);
    assert.equal(elsewhere.value, join(dir(), 'docs/report.md'));

    await session.receive({ type: 'copyMarkdown' });
    assert.equal(ui.copied[0], markdown);

    const noFolder = new ReportSession(journal, new RecordingUi(undefined), deps);
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
    const session = new ReportSession(journal, ui, deps);
    const opened = session.open();
    assert.ok(opened.ok);
    assert.match(opened.value.notice!, /cannot be read .* kept as .*\.report\.json\.damaged/);
    assert.equal(readFileSync(`${savedReportFile(journal)}.damaged`, 'utf8'), '{"document": {"sections": 4}');

    const missing = join(dir(), 'incidents', 'nope.jsonl');
    mkdirSync(join(dir(), 'incidents'), { recursive: true });
    const failed = new ReportSession(missing, ui, deps).open();
    assert.ok(!failed.ok);
    assert.equal(failed.error.code, 'journal-unreadable');

    const badZone = new ReportSession(journal, ui, { timezone: () => 'Mars/Olympus' });
    writeFileSync(savedReportFile(journal), 'garbage');
    const refused = badZone.open();
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, 'bad-timezone');
  });
});
