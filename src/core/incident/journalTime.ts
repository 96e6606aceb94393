/**
 * Times in a journal. `Date.parse` is too lenient for files other tools write: it reads "12" as
 * 2001-12-01, a time without a zone in the machine's timezone (the same line gave 14:04, 22:04 or 05:04
 * depending on TZ) and accepts the year +275760. A journal time is ISO 8601 / RFC 3339:
 *
 *   YYYY-MM-DDTHH:MM[:SS[.fraction]][Z | ±HH:MM | ±HHMM]   ("T" or a space between date and time)
 *
 * A time without a zone is read as UTC, whatever the machine's timezone (the format says times are UTC,
 * and naive UTC is what `datetime.utcnow().isoformat()` writes). A time before 2000 or more than a day
 * after now is refused: no incident this tool journals happened then, so it is a bug or a bad clock.
 */

import { inertText } from '../../shared/untrustedText';

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/** The earliest time a journal may hold. */
export const earliestJournalTime = Date.UTC(2000, 0, 1);
/** How far after now a journal time may be (clocks differ a little between machines). */
export const futureSlackMs = 24 * 60 * 60 * 1000;

export type JournalTime = { ok: true; ms: number; iso: string } | { ok: false; why: string };

/** Reads one journal time; `nowMs` bounds the future. */
export function parseJournalTime(value: unknown, nowMs: number): JournalTime {
  if (typeof value !== 'string') return { ok: false, why: value === undefined ? 'no time' : 'a time that is not text' };
  // JSON leaves line and paragraph separators raw: escape every invisible character, so the message stays one line.
  const shown = inertText(JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value), 'line');
  const m = ISO_TIME.exec(value);
  if (!m) return { ok: false, why: `${shown} is not an ISO 8601 time (YYYY-MM-DDTHH:MM:SSZ)` };
  const [year, month, day, hour, minute, second = 0] = m.slice(1, 7).map((part) => Number(part ?? 0)) as number[];
  const fraction = m[7] ? Number(`0.${m[7]}`) : 0;
  const offsetMinutes = m[9] ? (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) : 0;
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (
    month! < 1 ||
    month! > 12 ||
    day! < 1 ||
    day! > daysInMonth ||
    hour! > 23 ||
    minute! > 59 ||
    second! > 60 || // 60: a leap second, read as the next minute's first
    Math.abs(offsetMinutes) > 18 * 60
  )
    return { ok: false, why: `${shown} is not a valid date and time` };
  const ms =
    Date.UTC(year!, month! - 1, day!, hour!, minute!, second!) + Math.floor(fraction * 1000) - offsetMinutes * 60_000;
  if (ms < earliestJournalTime) return { ok: false, why: `${shown} is before 2000` };
  if (ms > nowMs + futureSlackMs) return { ok: false, why: `${shown} is more than a day in the future` };
  return { ok: true, ms, iso: new Date(ms).toISOString() };
}
