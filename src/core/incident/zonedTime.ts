/**
 * Wall-clock times in the report's IANA timezone, with the zone's abbreviation, using only
 * `Intl.DateTimeFormat` (Node and the extension host ship full ICU; no timezone library needed).
 */
import { err, ok, UserError, type Result } from '../result';

export interface ZonedTime {
  /** YYYY-MM-DD in the zone. */
  date: string;
  /** HH:MM (24-hour) in the zone. */
  time: string;
  /** "EDT", "CET", "GMT+5:30": what the clock was called at that instant. */
  abbreviation: string;
  /** "Sunday, 1 November 2026". */
  dayLabel: string;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
const dayFormatters = new Map<string, Intl.DateTimeFormat>();
const nameFormatters = new Map<string, Intl.DateTimeFormat>();
const secondsFormatters = new Map<string, Intl.DateTimeFormat>();

function cached(cache: Map<string, Intl.DateTimeFormat>, key: string, make: () => Intl.DateTimeFormat) {
  let f = cache.get(key);
  if (!f) cache.set(key, (f = make()));
  return f;
}

/** The canonical name of a valid IANA timezone ("america/new_york" → "America/New_York"), or why not. */
export function checkTimezone(timezone: string): Result<string> {
  try {
    return ok(new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone);
  } catch {
    return err(
      new UserError(
        `Unknown timezone "${timezone}": use an IANA name such as America/New_York, Europe/Berlin or UTC.`,
        'bad-timezone',
      ),
    );
  }
}

/** This machine's timezone. */
export function localTimezone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * The zone's short name at an instant. en-US knows the North American names (EDT, PST) but says
 * "GMT+1" for Berlin, where en-GB says CET/CEST (and BST for London): try en-GB when en-US gives an offset.
 */
export function zoneAbbreviation(ms: number, timezone: string): string {
  const name = (locale: string) =>
    cached(
      nameFormatters,
      `${locale} ${timezone}`,
      () => new Intl.DateTimeFormat(locale, { timeZone: timezone, timeZoneName: 'short' }),
    )
      .formatToParts(ms)
      .find((p) => p.type === 'timeZoneName')?.value ?? timezone;
  const us = name('en-US');
  if (!/^GMT[+-]/.test(us)) return us;
  const gb = name('en-GB');
  return /^GMT[+-]/.test(gb) ? us : gb;
}

export function zoned(ms: number, timezone: string): ZonedTime {
  const parts = cached(
    partsFormatters,
    timezone,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
  ).formatToParts(ms);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const dayLabel = cached(
    dayFormatters,
    timezone,
    () =>
      new Intl.DateTimeFormat('en-GB', {
        timeZone: timezone,
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
      }),
  ).format(ms);
  return {
    date: `${part('year')}-${part('month')}-${part('day')}`,
    time: `${part('hour')}:${part('minute')}`,
    abbreviation: zoneAbbreviation(ms, timezone),
    dayLabel,
  };
}

/**
 * The distinct zone abbreviations at these instants, in time order: one for most incidents, two when the
 * incident crosses a daylight-saving change (each timeline line then shows its own).
 */
export function abbreviationsAt(instants: readonly number[], timezone: string): string[] {
  const seen: string[] = [];
  for (const t of [...instants].sort((a, b) => a - b)) {
    const a = zoneAbbreviation(t, timezone);
    if (!seen.includes(a)) seen.push(a);
  }
  return seen;
}

/** HH:MM:SS (24-hour) in the zone, and the zone's short name then: ["15:40:12", "EST"]. */
export function clockTime(ms: number, timezone: string): [time: string, abbreviation: string] {
  const parts = cached(
    secondsFormatters,
    timezone,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }),
  ).formatToParts(ms);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return [`${part('hour')}:${part('minute')}:${part('second')}`, zoneAbbreviation(ms, timezone)];
}
