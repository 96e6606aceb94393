/**
 * How a journal entry reads as a row of the Incident view: its time in the report's timezone, an icon
 * for its kind, the hub, the text, and for a collapsed burst how many observations it stands for.
 * No `vscode` import: the tree provider turns these into TreeItems.
 */
import { countOf, type IncidentMeta, type JournalEntry } from '../core/incident/journalEntry';
import { formatCount, formatDuration } from '../shared/format';
import { zoned } from '../core/incident/zonedTime';
import { inertText } from '../shared/untrustedText';

/** A codicon id and, for kinds that mean trouble, a theme colour id. */
export interface KindIcon {
  icon: string;
  color?: string;
}

const error = 'errorForeground';
const warning = 'editorWarning.foreground';
const info = 'charts.blue';

const kindIcons: Record<string, KindIcon> = {
  'pod-oomkilled': { icon: 'flame', color: error },
  'pod-restarted': { icon: 'debug-restart', color: warning },
  'pod-pending': { icon: 'watch', color: warning },
  'pod-scheduled': { icon: 'pass' },
  'node-oom': { icon: 'server', color: error },
  'failed-scheduling': { icon: 'circle-slash', color: warning },
  'scale-up': { icon: 'arrow-up' },
  'scale-up-failed': { icon: 'arrow-up', color: error },
  evicted: { icon: 'sign-out', color: error },
  backoff: { icon: 'sync', color: warning },
  'spawn-pressure': { icon: 'dashboard', color: warning },
  'spawn-throttled': { icon: 'warning', color: warning },
  'hub-memory': { icon: 'pulse', color: warning },
  'db-snapshot': { icon: 'database', color: info },
  'db-analysis': { icon: 'graph', color: info },
  'readiness-check': { icon: 'checklist', color: info },
  note: { icon: 'note' },
  'incident-stopped': { icon: 'debug-stop' },
};

export function kindIcon(kind: string): KindIcon {
  return kindIcons[kind] ?? { icon: 'circle-small' };
}

/** What a tree row shows for one entry. */
export interface EntryRow {
  id: string;
  /** "14:02  Hub pod … OOMKilled". */
  label: string;
  /** "stress-hub · ×150". */
  description: string;
  tooltip: string;
  icon: KindIcon;
  /** For menus: `incidentEntry`, `incidentEntry.note`, `incidentEntry.hidden`. */
  contextValue: string;
}

export interface RowClock {
  timezone: string;
  /** The incident's first day in that zone (YYYY-MM-DD): other days get their date shown. */
  startDate: string;
}

export function rowClock(incident: Pick<IncidentMeta, 'startedAt'>, timezone: string): RowClock {
  return { timezone, startDate: zoned(Date.parse(incident.startedAt), timezone).date };
}

function clockTime(ms: number, clock: RowClock): string {
  const z = zoned(ms, clock.timezone);
  return z.date === clock.startDate ? z.time : `${z.date.slice(5)} ${z.time}`;
}

/** The row for one entry; `hidden` rows are those the operator kept out of the report. */
export function entryRow(entry: JournalEntry, clock: RowClock, hidden = false): EntryRow {
  const ms = Date.parse(entry.time);
  const untilMs = typeof entry.until === 'string' ? Date.parse(entry.until) : null;
  const from = clockTime(ms, clock);
  const to = untilMs !== null ? clockTime(untilMs, clock) : from;
  const when = to !== from ? `${from}–${to}` : from;
  const count = countOf(entry);
  const text = oneLine(entry.text) || oneLine(entry.kind);
  const description = [
    entry.hub === null ? null : oneLine(entry.hub),
    count > 1 ? `×${formatCount(count)}` : null,
    entry.edited ? 'edited' : null,
  ]
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .join(' · ');
  const zone = zoned(ms, clock.timezone).abbreviation;
  const tooltip = [
    `${when} ${zone} (${new Date(ms).toISOString().slice(11, 16)} UTC)`,
    oneLine(`${entry.kind}${entry.hub ? ` in ${entry.hub}` : ''}, from ${entry.source}`),
    count > 1 && untilMs !== null ? `${count} observations over ${formatDuration(untilMs - ms)}` : null,
    typeof entry.tag === 'string' ? oneLine(`Tagged: ${entry.tag}`) : null,
    hidden ? 'Hidden: kept out of the report' : null,
    '',
    inertText(entry.text, 'terminal'),
  ]
    .filter((line) => line !== null)
    .join('\n');
  const contextValue = hidden ? 'incidentEntry.hidden' : entry.kind === 'note' ? 'incidentEntry.note' : 'incidentEntry';
  return { id: entry.id, label: `${when}  ${text}`, description, tooltip, icon: kindIcon(entry.kind), contextValue };
}

/** How long an incident has been (or was) recorded, in whole minutes: "< 1 min", "42 min", "2 h 5 min". */
export function recordedFor(startedAt: string, untilMs: number): string {
  const minutes = Math.floor(Math.max(0, untilMs - Date.parse(startedAt)) / 60_000);
  return minutes < 1 ? '< 1 min' : formatDuration(minutes * 60_000);
}

/**
 * Tree labels are one line; journal text from the cluster or another tool can hold newlines, ESC or bidi
 * overrides: runs of spaces read as one, everything else invisible is shown as an escape.
 */
export const oneLine = (text: string): string => inertText(text.replace(/[ \t]+/g, ' ').trim(), 'line');
