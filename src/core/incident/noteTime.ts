/**
 * When a timeline note happened, as the operator types it: "14:05", "2026-11-23 14:05", or an ISO time.
 * Times without a zone are wall-clock times in the report's timezone (what the report shows), so a note
 * typed as "14:05" lands on the 14:05 line of the timeline.
 */
import { err, ok, UserError, type Result } from '../result';
import { zoned } from './zonedTime';

/** How far ahead of now a bare "HH:MM" may be before it is read as yesterday's (a note typed after midnight). */
const futureSlackMs = 60 * 60_000;

const bareTime = /^(\d{1,2}):(\d{2})$/;
const wallDateTime = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;
const zonedIso = /^\d{4}-\d{2}-\d{2}T\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * The instant a note refers to. Empty text means now. "HH:MM" is today in `timezone` (yesterday when that
 * is more than an hour ahead of now); "YYYY-MM-DD HH:MM" is that wall time in `timezone`; an ISO time with
 * `Z` or an offset is taken as is.
 */
export function parseNoteTime(text: string, timezone: string, now: Date = new Date()): Result<Date> {
  const input = text.trim();
  if (input === '') return ok(now);
  const bad = (why: string) =>
    err(
      new UserError(
        `"${input.slice(0, 40)}" is not a time${why}: use 14:05, 2026-11-23 14:05 or an ISO time such as 2026-11-23T19:05:00Z.`,
        'note-bad-time',
      ),
    );

  if (zonedIso.test(input)) {
    const ms = Date.parse(input);
    return Number.isNaN(ms) ? bad('') : ok(new Date(ms));
  }
  const bare = bareTime.exec(input);
  if (bare) {
    const [hour, minute] = [Number(bare[1]), Number(bare[2])];
    if (hour > 23 || minute > 59) return bad(' of day');
    const today = zoned(now.getTime(), timezone).date.split('-').map(Number) as [number, number, number];
    let ms = wallTimeToInstant(today[0], today[1], today[2], hour, minute, 0, timezone);
    if (ms - now.getTime() > futureSlackMs) {
      const yesterday = new Date(Date.UTC(today[0], today[1] - 1, today[2] - 1));
      ms = wallTimeToInstant(
        yesterday.getUTCFullYear(),
        yesterday.getUTCMonth() + 1,
        yesterday.getUTCDate(),
        hour,
        minute,
        0,
        timezone,
      );
    }
    return ok(new Date(ms));
  }
  const wall = wallDateTime.exec(input);
  if (wall) {
    const [year, month, day, hour, minute, second] = wall.slice(1).map((v) => Number(v ?? 0)) as number[];
    const check = new Date(Date.UTC(year!, month! - 1, day!));
    if (check.getUTCMonth() !== month! - 1 || check.getUTCDate() !== day!) return bad(' (no such date)');
    if (hour! > 23 || minute! > 59 || second! > 59) return bad(' of day');
    return ok(new Date(wallTimeToInstant(year!, month!, day!, hour!, minute!, second!, timezone)));
  }
  return bad('');
}

/**
 * The instant at which the clocks of `timezone` show this wall time. On the night the clocks go back the
 * earlier of the two instants is chosen; a time the clocks skip (spring forward) is read with the offset
 * from before the change, which lands it just after the jump, as a person who typed it meant.
 */
export function wallTimeToInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  timezone: string,
): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const offsetAt = (ms: number) => {
    const z = zoned(ms, timezone);
    const [y, mo, d] = z.date.split('-').map(Number) as [number, number, number];
    const [h, mi] = z.time.split(':').map(Number) as [number, number];
    const shown = Date.UTC(y, mo - 1, d, h, mi, new Date(ms).getUTCSeconds());
    return shown - ms;
  };
  // Try both offsets around the wall time (the one 12 h before and after): the candidates that show the
  // wall time exactly are the real instants; the earlier wins.
  const candidates = [...new Set([offsetAt(wall - 12 * 3_600_000), offsetAt(wall + 12 * 3_600_000)])]
    .map((offset) => wall - offset)
    .filter((ms) => offsetAt(ms) === wall - ms)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0]!;
  // The wall time does not exist (the clocks jumped over it): use the offset from before the jump.
  return wall - offsetAt(wall - 12 * 3_600_000);
}
