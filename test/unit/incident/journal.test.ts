import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal, listIncidents } from '../../../src/core/incident/journal';
import { replay, replayText } from '../../../src/core/incident/journalReplay';
import { incidentMeta, journalText } from '../../builders/journal';
import { useTempDir } from '../../harness/tempDir';

const hubs = [{ context: 'prod', namespace: 'stress-hub' }];
const t = (minute: number) => new Date(Date.UTC(2026, 4, 14, 18, minute)).toISOString();

function mustCreate(dir: string, title = 'Hub down') {
  const created = Journal.create(dir, { title, hubs, startedAt: t(0) });
  assert.ok(created.ok, created.ok ? '' : created.error.userMessage);
  return created.value;
}

function mustReplay(file: string) {
  const replayed = replay(file);
  assert.ok(replayed.ok, replayed.ok ? '' : replayed.error.userMessage);
  return replayed.value;
}

describe('incident journal', () => {
  const dir = useTempDir();

  it('writes a header line and one line per entry, each on disk when append returns', () => {
    const journal = mustCreate(dir(), 'Hub OOMKilled / at start-up');
    assert.match(journal.file, /2026-05-14-hub-oomkilled-at-start-up-[0-9a-f]{8}\.jsonl$/);
    const note = journal.append({
      kind: 'note',
      text: 'looking at it',
      hub: 'stress-hub',
      source: 'operator',
      time: t(1),
    });
    assert.ok(note.ok);
    // Read the file while the journal is still open: nothing is buffered.
    const lines = readFileSync(journal.file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 2);
    assert.deepEqual(
      { type: lines[0].type, title: lines[0].title, startedAt: lines[0].startedAt, hubs: lines[0].hubs },
      { type: 'incident', title: 'Hub OOMKilled / at start-up', startedAt: t(0), hubs },
    );
    assert.deepEqual(lines[1], {
      kind: 'note',
      text: 'looking at it',
      hub: 'stress-hub',
      source: 'operator',
      time: t(1),
      id: note.value.id,
    });
  });

  it('replays entries in time order with their kind-specific and unknown fields intact', () => {
    const journal = mustCreate(dir());
    journal.append({
      kind: 'pod-oomkilled',
      hub: 'stress-hub',
      source: 'cluster',
      pod: 'hub-7c9d8f6b5d-x2kqp',
      exitCode: 137,
      restarts: 2,
      text: 'hub OOMKilled',
      time: t(5),
    });
    journal.append({
      kind: 'pod-ready',
      hub: 'stress-hub',
      source: 'tool',
      text: 'hub Ready',
      time: t(3),
      probe: { path: '/hub/health' },
    });
    const { entries, warnings, incident, stoppedAt } = mustReplay(journal.file);
    assert.deepEqual(warnings, []);
    assert.equal(incident.title, 'Hub down');
    assert.equal(stoppedAt, null);
    assert.deepEqual(
      entries.map((e) => e.kind),
      ['pod-ready', 'pod-oomkilled'],
    );
    assert.deepEqual(entries[0]!.probe, { path: '/hub/health' });
    assert.equal(entries[1]!.exitCode, 137);
  });

  it('skips a partial trailing line with a warning, and the next append does not glue onto it', () => {
    const journal = mustCreate(dir());
    journal.append({ kind: 'note', text: 'first', time: t(1) });
    appendFileSync(journal.file, '{"id":"cut","time":"2026-05-14T18:0'); // a crash mid-write
    const replayed = mustReplay(journal.file);
    assert.deepEqual(
      replayed.entries.map((e) => e.text),
      ['first'],
    );
    assert.equal(replayed.warnings.length, 1);
    assert.equal(replayed.warnings[0]!.line, 3);
    assert.match(replayed.warnings[0]!.message, /last line is incomplete/);

    const reopened = Journal.open(journal.file);
    assert.ok(reopened.ok);
    reopened.value.journal.append({ kind: 'note', text: 'after the crash', time: t(2) });
    const again = mustReplay(journal.file);
    assert.deepEqual(
      again.entries.map((e) => e.text),
      ['first', 'after the crash'],
    );
    assert.deepEqual(
      again.warnings.map((w) => w.line),
      [3],
    );
    assert.match(again.warnings[0]!.message, /not valid JSON/);
  });

  it('skips a corrupt middle line, naming its line number, and keeps the rest', () => {
    const text = journalText(incidentMeta(), [
      { id: 'a', time: t(1), kind: 'note', hub: null, text: 'one', source: 'operator' },
      { id: 'b', time: t(2), kind: 'note', hub: null, text: 'two', source: 'operator' },
    ]);
    const lines = text.split('\n');
    lines.splice(2, 0, '{"id":"x", "kind": oops}', '[1,2]', '{"kind":"note","text":"no id or time"}');
    const file = join(dir(), 'damaged.jsonl');
    writeFileSync(file, lines.join('\n'));
    const replayed = mustReplay(file);
    assert.deepEqual(
      replayed.entries.map((e) => e.text),
      ['one', 'two'],
    );
    assert.deepEqual(
      replayed.warnings.map((w) => [w.line, w.message.replace(/line-5-[0-9a-f]{8}/, 'line-5-…')]),
      [
        [3, 'not valid JSON; skipped'],
        [4, 'not a JSON object; skipped'],
        [5, 'entry "line-5-…" has no usable time: no time; skipped'],
      ],
    );
  });

  it('says clearly when a file is missing or is not a journal', () => {
    const missing = replay(join(dir(), 'nope.jsonl'));
    assert.ok(!missing.ok);
    assert.equal(missing.error.code, 'journal-unreadable');
    assert.match(missing.error.userMessage, /nope\.jsonl: there is no such file/);
    const foreign = replayText('{"hello":"world"}\n{"id":"a"}\n', 'foreign.jsonl');
    assert.ok(!foreign.ok);
    assert.equal(foreign.error.code, 'journal-not-incident');
    assert.ok(!replayText('', 'empty.jsonl').ok);
  });

  it('applies edits, hides and deletes written as new lines, keeping the file append-only', () => {
    const journal = mustCreate(dir());
    const a = journal.append({ kind: 'note', text: 'hub looks slow', time: t(1) });
    const b = journal.append({
      kind: 'pod-pending',
      hub: 'stress-hub',
      pod: 'jupyter-ann',
      text: 'ann Pending',
      time: t(2),
    });
    const c = journal.append({ kind: 'note', text: 'typo note', time: t(3) });
    assert.ok(a.ok && b.ok && c.ok);
    const before = readFileSync(journal.file, 'utf8');
    assert.ok(journal.edit(a.value.id, 'hub is down for everyone').ok);
    assert.ok(journal.hide(b.value.id).ok);
    assert.ok(journal.delete(c.value.id).ok);
    assert.ok(readFileSync(journal.file, 'utf8').startsWith(before), 'earlier lines are never rewritten');

    const replayed = mustReplay(journal.file);
    assert.deepEqual(
      replayed.entries.map((e) => [e.id, e.text, e.edited ?? false]),
      [[a.value.id, 'hub is down for everyone', true]],
    );
    assert.deepEqual(
      replayed.hidden.map((e) => e.id),
      [b.value.id],
    );

    assert.ok(journal.hide(b.value.id, false).ok);
    assert.deepEqual(
      mustReplay(journal.file).entries.map((e) => e.id),
      [a.value.id, b.value.id],
    );

    const unknown = journal.edit('no-such-id', 'x');
    assert.ok(!unknown.ok);
    assert.equal(unknown.error.code, 'journal-unknown-entry');
  });

  it('warns about an edit record that points at an entry that is not there', () => {
    const text = journalText(incidentMeta(), [
      { id: 'a', time: t(1), kind: 'note', hub: null, text: 'one', source: 'operator' },
      { id: 'e', time: t(2), kind: 'entry-edited', hub: null, text: 'x', source: 'operator', target: 'gone' },
    ]);
    const replayed = replayText(text);
    assert.ok(replayed.ok);
    assert.deepEqual(
      replayed.value.warnings.map((w) => w.line),
      [3],
    );
    assert.match(replayed.value.warnings[0]!.message, /unknown entry gone/);
  });

  it('stops once, writing incident-stopped, and still accepts later notes', () => {
    let clock = new Date(t(30));
    const created = Journal.create(dir(), { title: 'x', hubs, startedAt: t(0) }, { now: () => clock });
    assert.ok(created.ok);
    const journal = created.value;
    const stopped = journal.stop();
    assert.ok(stopped.ok);
    assert.equal(stopped.value.kind, 'incident-stopped');
    assert.ok(journal.isStopped);
    const twice = journal.stop();
    assert.ok(!twice.ok);
    assert.equal(twice.error.code, 'journal-already-stopped');
    clock = new Date(t(40));
    assert.ok(journal.append({ kind: 'note', text: 'post-mortem thought', source: 'operator' }).ok);
    const replayed = mustReplay(journal.file);
    assert.equal(replayed.stoppedAt, t(30));
    assert.deepEqual(
      replayed.entries.map((e) => [e.kind, e.time]),
      [
        ['incident-stopped', t(30)],
        ['note', t(40)],
      ],
    );
    const reopened = Journal.open(journal.file);
    assert.ok(reopened.ok && reopened.value.journal.isStopped);
  });

  it('rejects entries without a kind, with a bad time or a reused id', () => {
    const journal = mustCreate(dir());
    const noKind = journal.append({ kind: '', text: 'x' });
    assert.ok(!noKind.ok);
    const badTime = journal.append({ kind: 'note', text: 'x', time: 'yesterday-ish' });
    assert.ok(!badTime.ok);
    assert.equal(badTime.error.code, 'journal-bad-time');
    assert.ok(journal.append({ kind: 'note', text: 'x', id: 'mine' }).ok);
    const dup = journal.append({ kind: 'note', text: 'y', id: 'mine' });
    assert.ok(!dup.ok);
    assert.equal(dup.error.code, 'journal-duplicate-id');
  });

  it('lists incidents newest first, with damaged files reported apart', () => {
    const older = Journal.create(dir(), { title: 'older', hubs, startedAt: '2026-01-02T10:00:00Z' });
    const newer = Journal.create(dir(), { title: 'newer', hubs, startedAt: '2026-03-04T10:00:00Z' });
    assert.ok(older.ok && newer.ok);
    older.value.stop();
    writeFileSync(join(dir(), 'junk.jsonl'), 'not json\n');
    writeFileSync(join(dir(), 'notes.txt'), 'ignored');
    const listing = listIncidents(dir());
    assert.deepEqual(
      listing.incidents.map((i) => [i.incident.title, i.stoppedAt !== null]),
      [
        ['newer', false],
        ['older', true],
      ],
    );
    assert.equal(listing.problems.length, 1);
    assert.match(listing.problems[0]!.file, /junk\.jsonl$/);
    assert.deepEqual(listIncidents(join(dir(), 'missing')), { incidents: [], problems: [] });
  });
});
