/**
 * The Timeline section: one table per day in the report's timezone, the zone named once ("All times in
 * EDT"), or on every line when the incident crosses a daylight-saving change ("EDT/EST"). Memory samples
 * are left to the chart; bursts show their time range.
 */
import { isKnownKind, type IncidentMeta, type JournalEntry } from './journalEntry';
import { reportText } from './reportText';
import type { IncidentFacts } from './reportFacts';
import { abbreviationsAt, zoned } from './zonedTime';

export interface TimelineOptions {
  timezone: string;
  /** Add a UTC column. */
  utc: boolean;
}

interface Row {
  ms: number;
  untilMs: number | null;
  text: string;
}

export function draftTimeline(incident: IncidentMeta, facts: IncidentFacts, options: TimelineOptions): string {
  const { timezone } = options;
  const utcColumn = options.utc && timezone !== 'UTC';
  const multiHub =
    new Set(facts.timeline.map((e) => e.hub).filter((h) => h !== null)).size > 1 || incident.hubs.length > 1;
  const rows: Row[] = [
    { ms: facts.startMs, untilMs: null, text: `Incident recording started: ${reportText(incident.title)}` },
    ...facts.timeline.map((e) => ({
      ms: Date.parse(e.time),
      untilMs: typeof e.until === 'string' ? Date.parse(e.until) : null,
      text: entryLine(e, multiHub),
    })),
  ].sort((a, b) => a.ms - b.ms);

  const zones = abbreviationsAt(
    rows.flatMap((r) => (r.untilMs === null ? [r.ms] : [r.ms, r.untilMs])),
    timezone,
  );
  const zoneOnEachLine = zones.length > 1;
  const zoneName = zones.join('/');
  const header =
    timezone === 'UTC'
      ? 'All times in UTC.'
      : zoneOnEachLine
        ? `All times in ${zoneName} (${timezone}): the clocks changed during the incident, so each time shows its zone.`
        : `All times in ${zoneName} (${timezone}).`;

  const clock = (ms: number) => {
    const z = zoned(ms, timezone);
    return zoneOnEachLine ? `${z.time} ${z.abbreviation}` : z.time;
  };
  const utcClock = (ms: number) => zoned(ms, 'UTC').time;
  const range = (r: Row, at: (ms: number) => string) =>
    r.untilMs !== null && at(r.untilMs) !== at(r.ms) ? `${at(r.ms)}–${at(r.untilMs)}` : at(r.ms);

  const out = [header];
  let day = '';
  for (const r of rows) {
    const z = zoned(r.ms, timezone);
    if (z.date !== day) {
      day = z.date;
      const timeHeader = zoneOnEachLine ? 'Time' : `Time (${zoneName})`;
      out.push('', `### ${z.dayLabel}`, '');
      out.push(utcColumn ? `| ${timeHeader} | UTC | Event |` : `| ${timeHeader} | Event |`);
      out.push(utcColumn ? '| --- | --- | --- |' : '| --- | --- |');
    }
    const cells = utcColumn ? [range(r, clock), range(r, utcClock), r.text] : [range(r, clock), r.text];
    out.push(`| ${cells.join(' | ')} |`);
  }
  return out.join('\n');
}

function entryLine(e: JournalEntry, multiHub: boolean): string {
  const text = e.text.trim() !== '' ? e.text : e.kind;
  let line = reportText(text);
  if (e.kind === 'note') line = `**Note:** ${line}`;
  else if (e.kind === 'incident-stopped') line = `**${line}**`;
  else if (!isKnownKind(e.kind)) line = `${reportText(e.kind)}: ${line}`;
  return multiHub && e.hub !== null ? `${reportText(e.hub)}: ${line}` : line;
}
