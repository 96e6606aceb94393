/** Times as a report states them, in its timezone: "14:02 EDT", "between 14:02 and 14:31 EDT". */
import { zoned } from './zonedTime';

export class ReportClock {
  private readonly startDate: string;

  constructor(
    readonly timezone: string,
    startMs: number,
  ) {
    this.startDate = zoned(startMs, timezone).date;
  }

  /** "14:02 EDT", or "15 May 14:02 EDT" when not on the incident's first day. */
  at(ms: number): string {
    const z = zoned(ms, this.timezone);
    return `${this.dayPrefix(ms)}${z.time} ${z.abbreviation}`;
  }

  /** "between 14:02 and 14:31 EDT" (the zone once when both ends share it), or "at 14:02 EDT". */
  between(fromMs: number, toMs: number): string {
    const a = zoned(fromMs, this.timezone);
    const b = zoned(toMs, this.timezone);
    // Compare the zone too: 01:30 EDT and 01:30 EST are an hour apart on the night the clocks go back.
    if (a.date === b.date && a.time === b.time && a.abbreviation === b.abbreviation) return `at ${this.at(fromMs)}`;
    const from = a.abbreviation === b.abbreviation ? `${this.dayPrefix(fromMs)}${a.time}` : this.at(fromMs);
    return `between ${from} and ${this.at(toMs)}`;
  }

  /** "from 13:55 to 14:45 EDT". */
  fromTo(fromMs: number, toMs: number): string {
    return this.between(fromMs, toMs).replace(/^between (.*) and /, 'from $1 to ');
  }

  private dayPrefix(ms: number): string {
    const z = zoned(ms, this.timezone);
    if (z.date === this.startDate) return '';
    const [, month, day] = z.date.split('-').map(Number);
    const monthName = new Date(Date.UTC(2000, month! - 1, 1)).toLocaleString('en-GB', {
      month: 'short',
      timeZone: 'UTC',
    });
    return `${day} ${monthName} `;
  }
}
