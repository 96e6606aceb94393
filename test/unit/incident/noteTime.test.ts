import assert from 'node:assert/strict';
import { parseNoteTime, wallTimeToInstant } from '../../../src/core/incident/noteTime';
import { parseNoteInput } from '../../../src/incident/noteInput';

const iso = (d: { ok: boolean; value?: Date }) => {
  assert.ok(d.ok, 'parsed');
  return d.value!.toISOString();
};

describe('note times in the report timezone', () => {
  const ny = 'America/New_York';
  const now = new Date('2026-11-23T19:30:00Z'); // 14:30 EST

  it('reads "14:05" as today in the report timezone', () => {
    assert.equal(iso(parseNoteTime('14:05', ny, now)), '2026-11-23T19:05:00.000Z');
    assert.equal(iso(parseNoteTime('9:00', 'Europe/Berlin', now)), '2026-11-23T08:00:00.000Z');
  });

  it('reads a bare time more than an hour ahead as yesterday (a note typed after midnight)', () => {
    const justAfterMidnight = new Date('2026-11-24T05:10:00Z'); // 00:10 EST on the 24th
    assert.equal(iso(parseNoteTime('23:55', ny, justAfterMidnight)), '2026-11-24T04:55:00.000Z');
    assert.equal(iso(parseNoteTime('00:40', ny, justAfterMidnight)), '2026-11-24T05:40:00.000Z');
  });

  it('reads "2026-11-23 14:05" as that wall time, and ISO times with a zone as given', () => {
    assert.equal(iso(parseNoteTime('2026-11-23 14:05', ny, now)), '2026-11-23T19:05:00.000Z');
    assert.equal(iso(parseNoteTime('2026-07-01T14:05', ny, now)), '2026-07-01T18:05:00.000Z');
    assert.equal(iso(parseNoteTime('2026-11-23T19:05:00Z', ny, now)), '2026-11-23T19:05:00.000Z');
    assert.equal(iso(parseNoteTime('2026-11-23T14:05:00-05:00', 'Asia/Tokyo', now)), '2026-11-23T19:05:00.000Z');
  });

  it('empty text is now', () => {
    assert.equal(iso(parseNoteTime('  ', ny, now)), now.toISOString());
  });

  it('refuses what is not a time, with the forms it accepts', () => {
    for (const bad of ['25:00', '14:61', 'noon', '2026-02-30 10:00', '2026-11-23 24:10', '14:05; rm -rf']) {
      const parsed = parseNoteTime(bad, ny, now);
      assert.ok(!parsed.ok, bad);
      assert.equal(parsed.error.code, 'note-bad-time');
      assert.match(parsed.error.userMessage, /use 14:05, 2026-11-23 14:05/);
    }
  });

  it('handles the nights the clocks change: the earlier 01:30 when it happens twice, after the jump when skipped', () => {
    // 1 November 2026: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    assert.equal(new Date(wallTimeToInstant(2026, 11, 1, 1, 30, 0, ny)).toISOString(), '2026-11-01T05:30:00.000Z');
    // 8 March 2026: 02:30 does not exist; it reads as 03:30 EDT.
    assert.equal(new Date(wallTimeToInstant(2026, 3, 8, 2, 30, 0, ny)).toISOString(), '2026-03-08T07:30:00.000Z');
    assert.equal(new Date(wallTimeToInstant(2026, 3, 8, 3, 30, 0, ny)).toISOString(), '2026-03-08T07:30:00.000Z');
    assert.equal(
      new Date(wallTimeToInstant(2026, 6, 1, 12, 0, 0, 'Asia/Kolkata')).toISOString(),
      '2026-06-01T06:30:00.000Z',
    );
  });
});

describe('a note typed in one line', () => {
  const now = new Date('2026-11-23T19:30:00Z');
  const tz = 'America/New_York';
  /** What `input` parses to, typed at `now` in `tz` (it must parse). */
  const parsedNote = (input: string) => {
    const parsed = parseNoteInput(input, tz, now);
    assert.ok(parsed.ok, input);
    return parsed.value;
  };

  it('takes a leading time and a #tag, and leaves the rest as the note', () => {
    assert.deepEqual(parsedNote('14:05 raised the hub memory limit to 4Gi #resolution'), {
      text: 'raised the hub memory limit to 4Gi',
      time: new Date('2026-11-23T19:05:00Z'),
      tag: 'resolution',
    });
    assert.deepEqual(parsedNote('2026-11-23 13:58 #cause Helm upgrade restarted the hub'), {
      text: 'Helm upgrade restarted the hub',
      time: new Date('2026-11-23T18:58:00Z'),
      tag: 'cause',
    });
  });

  it('keeps text without a time or tag as it is, and other #words as text', () => {
    assert.deepEqual(parsedNote('paged on-call about #hub-42 (not a tag)'), {
      text: 'paged on-call about #hub-42 (not a tag)',
    });
  });

  it('refuses an empty note and a bad leading time', () => {
    const empty = parseNoteInput('14:05 #learned', tz, now);
    assert.ok(!empty.ok);
    assert.equal(empty.error.code, 'note-empty');
    const badTime = parseNoteInput('29:05 something', tz, now);
    assert.ok(!badTime.ok);
    assert.equal(badTime.error.code, 'note-bad-time');
  });
});
