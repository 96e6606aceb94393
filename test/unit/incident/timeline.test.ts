import assert from 'node:assert/strict';
import type { JournalEntry } from '../../../src/core/incident/journalEntry';
import { replayText } from '../../../src/core/incident/journalReplay';
import { draftReport } from '../../../src/core/incident/reportDraft';
import { UserError } from '../../../src/core/result';
import { checkTimezone, zoneAbbreviation, zoned } from '../../../src/core/incident/zonedTime';
import { incidentMeta, journalText } from '../../builders/journal';

let n = 0;
function entry(time: string, fields: Partial<JournalEntry> = {}): Partial<JournalEntry> {
  return {
    id: `e${n++}`,
    time,
    kind: 'note',
    hub: 'stress-hub',
    source: 'operator',
    text: `event at ${time}`,
    ...fields,
  };
}

function draft(startedAt: string, entries: Partial<JournalEntry>[], timezone: string, utc = false) {
  const replayed = replayText(journalText(incidentMeta({ startedAt }), entries));
  assert.ok(replayed.ok);
  return draftReport(replayed.value, { timezone, now: new Date('2026-12-01T00:00:00Z'), utc });
}

const hubOom = (time: string) =>
  entry(time, {
    kind: 'pod-oomkilled',
    source: 'cluster',
    pod: 'hub-7c9d8f6b5d-x2kqp',
    component: 'hub',
    text: 'hub OOMKilled',
  });

/** The rows of the timeline's tables: [time cell(s)..., event]. */
function rows(timeline: string): string[][] {
  return timeline
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| Time') && !l.startsWith('| ---'))
    .map((l) =>
      l
        .slice(2, -2)
        .split(' | ')
        .map((c) => c.trim()),
    );
}

describe('timeline times and timezones', () => {
  it('names the zone once when the whole incident is in one zone', () => {
    const d = draft('2026-07-01T17:55:00Z', [entry('2026-07-01T18:02:00Z')], 'America/New_York');
    assert.match(d.sections.timeline, /^All times in EDT \(America\/New_York\)\./);
    assert.match(d.sections.timeline, /\| Time \(EDT\) \| Event \|/);
    assert.deepEqual(
      rows(d.sections.timeline).map((r) => r[0]),
      ['13:55', '14:02'],
    );
  });

  it('shows EDT/EST and each line its own zone across the 2026-11-01 fall-back in New York', () => {
    const d = draft(
      '2026-11-01T05:20:00Z', // 01:20 EDT
      [
        hubOom('2026-11-01T05:30:00Z'),
        hubOom('2026-11-01T06:30:00Z'),
        entry('2026-11-01T06:40:00Z', { kind: 'incident-stopped', hub: null, text: 'Incident stopped' }),
      ],
      'America/New_York',
    );
    assert.match(d.sections.timeline, /^All times in EDT\/EST \(America\/New_York\): the clocks changed/);
    assert.deepEqual(
      rows(d.sections.timeline).map((r) => r[0]),
      ['01:20 EDT', '01:30 EDT', '01:30 EST', '01:40 EST'],
    );
    // Same wall-clock time twice: the summary must say which.
    assert.match(d.sections.summary, /OOMKilled twice between 01:30 EDT and 01:30 EST/);
    assert.equal((d.sections.timeline.match(/^### /gm) ?? []).length, 1);
    assert.match(d.sections.timeline, /### Sunday, 1 November 2026/);
  });

  it('shows CEST/CET in Berlin across the 2026-10-25 change, and CET/CEST in spring', () => {
    const autumn = draft(
      '2026-10-25T00:20:00Z',
      [entry('2026-10-25T00:30:00Z'), entry('2026-10-25T01:30:00Z')],
      'Europe/Berlin',
    );
    assert.match(autumn.sections.timeline, /^All times in CEST\/CET \(Europe\/Berlin\)/);
    assert.deepEqual(
      rows(autumn.sections.timeline).map((r) => r[0]),
      ['02:20 CEST', '02:30 CEST', '02:30 CET'],
    );
    const spring = draft('2026-03-29T00:30:00Z', [entry('2026-03-29T01:30:00Z')], 'Europe/Berlin');
    assert.deepEqual(
      rows(spring.sections.timeline).map((r) => r[0]),
      ['01:30 CET', '03:30 CEST'],
    );
  });

  it('groups a multi-day incident by local day, which is not the UTC day', () => {
    const d = draft(
      '2026-05-15T03:50:00Z', // 23:50 EDT on 14 May
      [hubOom('2026-05-15T03:55:00Z'), hubOom('2026-05-15T04:10:00Z'), entry('2026-05-16T14:00:00Z')],
      'America/New_York',
    );
    const headings = d.sections.timeline.match(/^### .*$/gm);
    assert.deepEqual(headings, ['### Thursday, 14 May 2026', '### Friday, 15 May 2026', '### Saturday, 16 May 2026']);
    assert.match(d.sections.summary, /between 23:55 and 15 May 00:10 EDT/);
    assert.match(d.sections.summary, /^On Thursday, 14 May 2026,/);
  });

  it('adds a UTC column on request, with ranges for bursts', () => {
    const d = draft(
      '2026-11-01T05:20:00Z',
      [
        entry('2026-11-01T05:30:00Z', {
          kind: 'pod-pending',
          source: 'cluster',
          pod: 'jupyter-a',
          count: 12,
          until: '2026-11-01T05:31:30Z',
          text: '12 pods Pending',
        }),
      ],
      'America/New_York',
      true,
    );
    assert.match(d.sections.timeline, /\| Time \(EDT\) \| UTC \| Event \|/);
    assert.deepEqual(rows(d.sections.timeline)[1], ['01:30–01:31', '05:30–05:31', '12 pods Pending']);
    const utcOnly = draft('2026-11-01T05:20:00Z', [], 'UTC', true);
    assert.match(utcOnly.sections.timeline, /^All times in UTC\./);
    assert.doesNotMatch(utcOnly.sections.timeline, /\| UTC \|/);
  });

  it('refuses an unknown timezone with a clear message', () => {
    assert.throws(
      () => draft('2026-05-14T17:55:00Z', [], 'Mars/Olympus_Mons'),
      (e: unknown) =>
        e instanceof UserError &&
        e.code === 'bad-timezone' &&
        /Unknown timezone "Mars\/Olympus_Mons"/.test(e.userMessage),
    );
    const canonical = checkTimezone('america/new_york');
    assert.ok(canonical.ok && canonical.value === 'America/New_York');
  });

  it('uses the zone abbreviations people know, and the offset where there is none', () => {
    const summer = Date.parse('2026-07-01T12:00:00Z');
    const winter = Date.parse('2026-01-15T12:00:00Z');
    assert.equal(zoneAbbreviation(summer, 'Europe/London'), 'BST');
    assert.equal(zoneAbbreviation(winter, 'Europe/London'), 'GMT');
    assert.equal(zoneAbbreviation(winter, 'America/Los_Angeles'), 'PST');
    assert.equal(zoneAbbreviation(summer, 'Asia/Kolkata'), 'GMT+5:30');
    assert.equal(zoneAbbreviation(summer, 'UTC'), 'UTC');
    assert.deepEqual(zoned(Date.parse('2026-11-01T04:30:00Z'), 'America/New_York'), {
      date: '2026-11-01',
      time: '00:30',
      abbreviation: 'EDT',
      dayLabel: 'Sunday, 1 November 2026',
    });
  });
});
