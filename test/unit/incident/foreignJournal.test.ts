import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../../../src/core/incident/journal';
import { replay, replayText, type ReplayedIncident } from '../../../src/core/incident/journalReplay';
import { draftReport } from '../../../src/core/incident/reportDraft';
import { useBuiltCli } from '../../harness/builtCli';
import { useTempDir } from '../../harness/tempDir';

/** Journals written by other tools or by hand: what the reader accepts, and how it says what it skipped. */
describe('incident journals written by other tools or by hand', () => {
  const dir = useTempDir();
  const cli = useBuiltCli();
  const now = () => new Date('2026-11-23T15:00:00Z');
  const header = (fields: Record<string, unknown> = {}) =>
    JSON.stringify({ type: 'incident', title: 'By hand', startedAt: '2026-11-23T14:00:00Z', hubs: [], ...fields });
  const lines = (...values: unknown[]) =>
    values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n') + '\n';

  function read(text: string): ReplayedIncident {
    const replayed = replayText(text, 'hand.jsonl', { now });
    assert.ok(replayed.ok, replayed.ok ? '' : replayed.error.userMessage);
    return replayed.value;
  }

  it('accepts a header without an id, and gives it the same id on every read', () => {
    const text = lines(header(), { id: 'a', time: '2026-11-23T14:01:00Z', kind: 'note', text: 'one' });
    const first = read(text);
    assert.equal(first.incident.title, 'By hand');
    assert.match(first.incident.id, /^line-1-[0-9a-f]{8}$/);
    assert.equal(read(text).incident.id, first.incident.id);
    assert.deepEqual(first.warnings, []);
  });

  it('gives entries without ids stable ids from their line, so they are reported and can be edited', () => {
    const file = join(dir(), 'no-ids.jsonl');
    writeFileSync(
      file,
      lines(
        header({ id: 'x' }),
        { time: '2026-11-23T14:01:00Z', kind: 'note', text: 'hub down' },
        { time: '2026-11-23T14:02:00Z', kind: 'pod-oomkilled', hub: 'hub-a', pod: 'hub-1', text: 'hub OOMKilled' },
        { time: '2026-11-23T14:02:00Z', kind: 'pod-oomkilled', hub: 'hub-a', pod: 'hub-1', text: 'hub OOMKilled' },
      ),
    );
    const first = replay(file, { now });
    assert.ok(first.ok);
    assert.deepEqual(first.value.warnings, []);
    const ids = first.value.entries.map((e) => e.id);
    assert.equal(ids.length, 3, 'two identical lines are two entries');
    assert.equal(new Set(ids).size, 3);
    for (const id of ids) assert.match(id, /^line-[2-4]-[0-9a-f]{8}$/);
    const draft = draftReport(first.value, { timezone: 'UTC', now: now() });
    assert.match(draft.sections.timeline, /\| 14:01 \| \*\*Note:\*\* hub down \|/);
    assert.equal(draft.sections.timeline.match(/\| 14:02 \| hub OOMKilled \|/g)?.length, 2);

    // The operator edits one after a reload: the edit names the derived id, which the next read derives again.
    const reopened = Journal.open(file, { now });
    assert.ok(reopened.ok, reopened.ok ? '' : reopened.error.userMessage);
    assert.ok(reopened.value.journal.edit(ids[0]!, 'hub down for everyone').ok);
    const again = replay(file, { now });
    assert.ok(again.ok);
    assert.deepEqual(
      again.value.entries.map((e) => [e.id, e.text]),
      [
        [ids[0], 'hub down for everyone'],
        [ids[1], 'hub OOMKilled'],
        [ids[2], 'hub OOMKilled'],
      ],
    );
  });

  it('reads a time without a zone as UTC, whatever the machine’s timezone', () => {
    const text = lines(
      header({ id: 'x', startedAt: '2026-11-23T14:00:00' }),
      { id: 'a', time: '2026-11-23T14:04:00', kind: 'note', text: 'naive' },
      { id: 'b', time: '2026-11-23 14:05:30.123456', kind: 'note', text: 'Python str(datetime)' },
      { id: 'c', time: '2026-11-23T09:06:00-05:00', kind: 'note', text: 'with an offset' },
    );
    const saved = process.env.TZ;
    const seen: string[][] = [];
    try {
      for (const zone of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Eucla']) {
        process.env.TZ = zone;
        const replayed = read(text);
        seen.push([replayed.incident.startedAt, ...replayed.entries.map((e) => e.time)]);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    const utc = [
      '2026-11-23T14:00:00.000Z',
      '2026-11-23T14:04:00.000Z',
      '2026-11-23T14:05:30.123Z',
      '2026-11-23T14:06:00.000Z',
    ];
    assert.deepEqual(seen, [utc, utc, utc, utc]);
  });

  it('refuses what is not a time, or a time before 2000 or more than a day ahead, naming the line', () => {
    const entry = (id: string, time: unknown) => ({ id, time, kind: 'note', text: id });
    const replayed = read(
      lines(
        header({ id: 'x' }),
        entry('twelve', '12'),
        entry('far', '+275760-09-13T00:00:00.000Z'),
        entry('old', '1999-12-31T23:59:59Z'),
        entry('ahead', '2026-11-24T15:00:01Z'),
        entry('feb30', '2026-02-30T10:00:00Z'),
        entry('words', 'yesterday at noon'),
        entry('number', 1_763_906_400_000),
        entry('soon', '2026-11-24T14:59:00Z'),
        entry('ok', '2026-11-23T14:10:00+01:00'),
      ),
    );
    assert.deepEqual(
      replayed.entries.map((e) => [e.id, e.time]),
      [
        ['ok', '2026-11-23T13:10:00.000Z'],
        ['soon', '2026-11-24T14:59:00.000Z'],
      ],
    );
    assert.deepEqual(
      replayed.warnings.map((w) => `${w.line}: ${w.message}`),
      [
        '2: entry "twelve" has no usable time: "12" is not an ISO 8601 time (YYYY-MM-DDTHH:MM:SSZ); skipped',
        '3: entry "far" has no usable time: "+275760-09-13T00:00:00.000Z" is not an ISO 8601 time (YYYY-MM-DDTHH:MM:SSZ); skipped',
        '4: entry "old" has no usable time: "1999-12-31T23:59:59Z" is before 2000; skipped',
        '5: entry "ahead" has no usable time: "2026-11-24T15:00:01Z" is more than a day in the future; skipped',
        '6: entry "feb30" has no usable time: "2026-02-30T10:00:00Z" is not a valid date and time; skipped',
        '7: entry "words" has no usable time: "yesterday at noon" is not an ISO 8601 time (YYYY-MM-DDTHH:MM:SSZ); skipped',
        '8: entry "number" has no usable time: a time that is not text; skipped',
      ],
    );
    const badStart = replayText(lines(header({ startedAt: '12' })), 'hand.jsonl', { now });
    assert.ok(!badStart.ok);
    assert.match(badStart.error.userMessage, /start time \(startedAt\) is not usable: "12" is not an ISO 8601 time/);
    // A line or paragraph separator inside the time stays visible and keeps the message on one line.
    const separated = replayText(lines(header({ startedAt: '2026-11-23 14\u2028:00:00' })), 'hand.jsonl', { now });
    assert.ok(!separated.ok);
    assert.match(separated.error.userMessage, /is not usable: "2026-11-23 14\\u2028:00:00" is not an ISO 8601 time/);
  });

  it('cuts an entry’s text at 64 KiB, marked as cut, and keeps the rest of the entry', () => {
    const long = 'é'.repeat(100_000); // 200,000 bytes of UTF-8
    const replayed = read(
      lines(header({ id: 'x' }), { id: 'a', time: '2026-11-23T14:01:00Z', kind: 'note', text: long, extra: 1 }),
    );
    const [entry] = replayed.entries;
    assert.ok(Buffer.byteLength(entry!.text) <= 64 * 1024);
    assert.match(entry!.text, /^é+ … \[cut: 200,000 bytes, the first 64 KiB kept\]$/);
    assert.equal(entry!.textCut, 200_000);
    assert.equal(entry!.extra, 1);
    assert.deepEqual(
      replayed.warnings.map((w) => [w.line, w.message]),
      [[2, 'entry "a"\'s text is 200,000 bytes; cut to 64 KiB']],
    );
  });

  it('skips deeply nested lines, and reads CRLF files with a byte-order mark', () => {
    const deep = `{"id":"deep","time":"2026-11-23T14:01:00Z","kind":"note","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const replayed = read(
      '\ufeff' +
        lines(header({ id: 'x' }), deep, {
          id: 'a',
          time: '2026-11-23T14:02:00Z',
          kind: 'note',
          text: 'after',
        }).replace(/\n/g, '\r\n'),
    );
    assert.deepEqual(
      replayed.entries.map((e) => e.text),
      ['after'],
    );
    assert.deepEqual(replayed.warnings, [{ line: 2, message: 'nested deeper than 64 levels; skipped' }]);
  });

  it('reads past a 150 MB line in bounded memory (a 128 MiB heap), skipping it with its line number', function () {
    this.timeout(120_000);
    const file = join(dir(), 'huge-line.jsonl');
    const fd = openSync(file, 'w');
    try {
      writeSync(
        fd,
        lines(header({ id: 'x' }), { id: 'a', time: '2026-11-23T14:01:00Z', kind: 'note', text: 'before' }),
      );
      writeSync(fd, '{"id":"big","time":"2026-11-23T14:02:00Z","kind":"note","text":"');
      const mib = Buffer.alloc(2 ** 20, '<'); // HTML-escaped, each < would become four characters
      for (let i = 0; i < 150; i++) writeSync(fd, mib);
      writeSync(fd, '"}\n');
      writeSync(fd, lines({ id: 'b', time: '2026-11-23T14:03:00Z', kind: 'note', text: 'after' }));
    } finally {
      closeSync(fd);
    }
    const result = spawnSync(
      process.execPath,
      ['--max-old-space-size=128', cli(), 'report', file, '--timezone', 'UTC'],
      { encoding: 'utf8', maxBuffer: 2 ** 26 },
    );
    assert.equal(result.status, 0, result.stderr.slice(0, 2000));
    assert.equal(result.stderr, `${file}:3: 150.0 MiB long, over the 1 MiB a journal line may hold; skipped\n`);
    assert.match(result.stdout, /\*\*Note:\*\* before/);
    assert.match(result.stdout, /\*\*Note:\*\* after/);
  });
});
