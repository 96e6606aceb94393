/**
 * Reading a journal back: the header, then every entry with the operator's edits, hides and deletes
 * applied and collapsed bursts reduced to their newest line. The file is read line by line in bounded
 * memory (journalLines.ts). A damaged line (a crash mid-write, a bad hand edit, a line over 1 MiB, a
 * time that is not one) is skipped with a warning naming its line; the rest of the journal still counts.
 * Journals written by other tools or by hand are read as leniently as is safe: a header or an entry
 * without an id gets a stable one derived from its line, a time without a zone is UTC (journalTime.ts),
 * and an entry's text is cut at 64 KiB.
 */
import { createHash } from 'node:crypto';
import { err, messageOf, ok, UserError, type Result } from '../result';
import { editKinds, entrySources, isKind, type HubRef, type IncidentMeta, type JournalEntry } from './journalEntry';
import { forEachFileLine, forEachTextLine, maxLineBytes, stopReading, type JournalLine } from './journalLines';
import { parseJournalTime } from './journalTime';
import { formatCount } from '../../shared/format';

export interface JournalWarning {
  /** 1-based line number in the file. */
  line: number;
  message: string;
}

export interface ReplayedIncident {
  file: string;
  incident: IncidentMeta;
  /** Visible entries in time order (file order for equal times), edits applied, edit records removed. */
  entries: JournalEntry[];
  /** Entries the operator hid: out of the report, kept so the UI can show them. */
  hidden: JournalEntry[];
  /** When `incident-stopped` was written, else null (still recording, or the session ended abruptly). */
  stoppedAt: string | null;
  warnings: JournalWarning[];
  /** Every id in the file (superseded burst lines and edit records too), so a new id never reuses one. */
  ids: ReadonlySet<string>;
}

export interface ReplayOptions {
  /** The clock that bounds times in the future (tests pass a fixed one). */
  now?: () => Date;
}

/** An entry's or a title's text is cut to this many bytes of UTF-8, and marked as cut. */
export const maxTextBytes = 64 * 1024;
/** Nesting deeper than this is no journal's: such a line is skipped before it is parsed. */
export const maxNesting = 64;

/** Reads and replays a journal file. A missing or unreadable file, or one that is not a journal, is an error. */
export function replay(file: string, options: ReplayOptions = {}): Result<ReplayedIncident> {
  const reader = new JournalReader(file, options);
  try {
    forEachFileLine(file, (line) => reader.line(line));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : messageOf(error);
    return err(
      new UserError(`Cannot read the incident journal ${file}: ${why}.`, 'journal-unreadable', { cause: error }),
    );
  }
  return reader.finish();
}

/** Replays a journal's text (the same reader as `replay`, for text already in memory). */
export function replayText(text: string, file = 'journal', options: ReplayOptions = {}): Result<ReplayedIncident> {
  const reader = new JournalReader(file, options);
  forEachTextLine(text, (line) => reader.line(line));
  return reader.finish();
}

/** Takes a journal's lines one at a time, keeping only what the replay needs. */
class JournalReader {
  private readonly warnings: JournalWarning[] = [];
  private readonly entries: NumberedEntry[] = [];
  private incident: IncidentMeta | null = null;
  private notJournal: string | null = null;
  private readonly nowMs: number;

  constructor(
    private readonly file: string,
    options: ReplayOptions,
  ) {
    this.nowMs = (options.now?.() ?? new Date()).getTime();
  }

  line(line: JournalLine): void | typeof stopReading {
    const value = this.parse(line);
    if (line.number === 1) {
      const header = value === null ? null : this.asIncident(value, line);
      if (header === null || typeof header === 'string') {
        this.notJournal = header ?? 'its first line must be the incident record ({"type":"incident",…})';
        return stopReading;
      }
      this.incident = header;
      return;
    }
    if (value === null || !('text' in line)) return;
    const entry = this.asEntry(value, line.number, line.text);
    if (typeof entry === 'string') this.warn(line.number, `${entry}; skipped`);
    else this.entries.push({ line: line.number, entry });
  }

  finish(): Result<ReplayedIncident> {
    if (!this.incident)
      return err(
        new UserError(
          `${this.file} is not an incident journal: ${this.notJournal ?? 'it is empty'}.`,
          'journal-not-incident',
        ),
      );
    const ids = new Set<string>([this.incident.id]);
    for (const { entry } of this.entries) ids.add(entry.id);
    const replayed = applyEdits(this.entries, this.warnings);
    return ok({ file: this.file, incident: this.incident, ...replayed, warnings: this.warnings, ids });
  }

  private warn(line: number, message: string): void {
    this.warnings.push({ line, message });
  }

  /** The line's JSON object, or null (with a warning for a damaged line; blank lines pass silently). */
  private parse(line: JournalLine): Record<string, unknown> | null {
    if (!('text' in line)) {
      const mib = (line.tooLongBytes / 2 ** 20).toFixed(1);
      this.warn(
        line.number,
        `${mib} MiB long, over the ${maxLineBytes / 2 ** 20} MiB a journal line may hold; skipped`,
      );
      return null;
    }
    if (line.text.trim() === '') return null;
    if (nestingOver(line.text, maxNesting)) {
      this.warn(line.number, `nested deeper than ${maxNesting} levels; skipped`);
      return null;
    }
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch {
      // A file written by `append` ends with a newline; text after the last one is a line cut short.
      this.warn(
        line.number,
        line.complete
          ? 'not valid JSON; skipped'
          : 'the last line is incomplete (the journal was probably cut off while writing); skipped',
      );
      return null;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.warn(line.number, 'not a JSON object; skipped');
      return null;
    }
    return value as Record<string, unknown>;
  }

  /** The header, null when the line is no header, or why a header cannot be used. */
  private asIncident(v: Record<string, unknown>, line: JournalLine): IncidentMeta | string | null {
    if (v.type !== 'incident' || !('text' in line)) return null;
    const startedAt = parseJournalTime(v.startedAt, this.nowMs);
    if (!startedAt.ok) return `its start time (startedAt) is not usable: ${startedAt.why}`;
    const hubs: HubRef[] = Array.isArray(v.hubs)
      ? v.hubs.filter(
          (h): h is HubRef =>
            typeof h === 'object' && h !== null && typeof h.context === 'string' && typeof h.namespace === 'string',
        )
      : [];
    if (typeof v.title !== 'string') this.warn(line.number, 'the incident has no title');
    return {
      ...v,
      type: 'incident',
      id: typeof v.id === 'string' && v.id !== '' ? v.id : lineId(line.number, line.text),
      title: typeof v.title === 'string' ? capText(v.title).text : 'Untitled incident',
      startedAt: startedAt.iso,
      hubs,
      ...(typeof v.severity === 'string' ? { severity: v.severity } : {}),
    } as IncidentMeta;
  }

  /** The entry, or why it cannot be one. Unknown kinds and extra fields pass through untouched. */
  private asEntry(v: Record<string, unknown>, line: number, raw: string): JournalEntry | string {
    const id = typeof v.id === 'string' && v.id !== '' ? v.id : lineId(line, raw);
    const named = `entry ${JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id)}`;
    if (typeof v.kind !== 'string' || v.kind === '') return `${named} has no kind`;
    const time = parseJournalTime(v.time, this.nowMs);
    if (!time.ok) return `${named} has no usable time: ${time.why}`;
    const entry: JournalEntry = {
      ...v,
      id,
      kind: v.kind,
      time: time.iso,
      hub: typeof v.hub === 'string' ? v.hub : null,
      text: typeof v.text === 'string' ? v.text : '',
      source: entrySources.find((s) => s === v.source) ?? 'tool',
    };
    const text = capText(entry.text);
    if (text.cutFrom !== null) {
      entry.text = text.text;
      entry.textCut = text.cutFrom;
      this.warn(line, `${named}'s text is ${formatCount(text.cutFrom)} bytes; cut to 64 KiB`);
    }
    if (v.until !== undefined) {
      const until = parseJournalTime(v.until, this.nowMs);
      if (until.ok) entry.until = until.iso;
      else {
        delete entry.until;
        this.warn(line, `${named}'s burst end (until) is ignored: ${until.why}`);
      }
    }
    return entry;
  }
}

/**
 * The id of a line that has none: its number and a hash of its bytes, so reading the same file again
 * gives the same id, and an operator's edit written against it applies after a reload.
 */
function lineId(line: number, raw: string): string {
  return `line-${line}-${createHash('sha256').update(raw).digest('hex').slice(0, 8)}`;
}

/** Text within `maxTextBytes` as is; longer text cut at a character boundary, ending in a visible mark. */
export function capText(text: string): { text: string; cutFrom: number | null } {
  // A UTF-16 unit is at most 3 bytes of UTF-8: short text needs no measuring.
  if (text.length * 3 <= maxTextBytes) return { text, cutFrom: null };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= maxTextBytes) return { text, cutFrom: null };
  const mark = ` … [cut: ${formatCount(bytes)} bytes, the first 64 KiB kept]`;
  const kept = Buffer.from(text.slice(0, maxTextBytes), 'utf8')
    .subarray(0, maxTextBytes - Buffer.byteLength(mark))
    .toString('utf8')
    .replace(/�$/, '');
  return { text: kept + mark, cutFrom: bytes };
}

/** Whether JSON text opens more than `limit` arrays or objects inside each other (strings skipped). */
function nestingOver(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

interface Override {
  text?: string;
  hidden?: boolean;
  deleted?: boolean;
}

/**
 * Applies supersedes, edits, hides and deletes. A burst's successive lines share one root id, and an edit
 * aimed at any of them applies to the root, so it survives the burst growing after the edit.
 */
interface NumberedEntry {
  line: number;
  entry: JournalEntry;
}

function applyEdits(
  all: NumberedEntry[],
  warnings: JournalWarning[],
): Pick<ReplayedIncident, 'entries' | 'hidden' | 'stoppedAt'> {
  const rootOf = new Map<string, string>();
  const current = new Map<string, JournalEntry>(); // root id → newest line
  const order = new Map<string, number>(); // root id → file position of its first line
  const overrides = new Map<string, Override>();
  const pendingEdits: NumberedEntry[] = [];
  let stoppedAt: string | null = null;

  all.forEach(({ line, entry }, position) => {
    if ((editKinds as readonly string[]).includes(entry.kind)) {
      pendingEdits.push({ line, entry });
      return;
    }
    if (rootOf.has(entry.id)) {
      warnings.push({ line, message: `entry id ${entry.id} appears twice; this later line is skipped` });
      return;
    }
    const superseded = typeof entry.supersedes === 'string' ? rootOf.get(entry.supersedes) : undefined;
    const root = superseded ?? entry.id;
    rootOf.set(entry.id, root);
    current.set(root, entry);
    if (!order.has(root)) order.set(root, position);
    if (entry.kind === 'incident-stopped' && stoppedAt === null) stoppedAt = entry.time;
  });

  // Edits apply after every line is known: an edit can precede the burst line it ends up applying to.
  for (const { line, entry: edit } of pendingEdits) {
    const target = typeof edit.target === 'string' ? rootOf.get(edit.target) : undefined;
    if (target === undefined) {
      warnings.push({ line, message: `${edit.kind} refers to unknown entry ${String(edit.target)}; ignored` });
      continue;
    }
    const o = overrides.get(target) ?? {};
    if (isKind(edit, 'entry-edited')) o.text = edit.text;
    else if (edit.kind === 'entry-hidden') o.hidden = edit.unhide === true ? false : true;
    else if (edit.kind === 'entry-deleted') o.deleted = true;
    overrides.set(target, o);
  }

  const entries: JournalEntry[] = [];
  const hidden: JournalEntry[] = [];
  const byOrder = [...current.entries()].sort((a, b) => order.get(a[0])! - order.get(b[0])!);
  for (const [root, line] of byOrder) {
    const o = overrides.get(root);
    if (o?.deleted) continue;
    const entry = o?.text !== undefined ? { ...line, text: o.text, edited: true } : line;
    (o?.hidden ? hidden : entries).push(entry);
  }
  const byTime = (a: JournalEntry, b: JournalEntry) => Date.parse(a.time) - Date.parse(b.time);
  // Array.prototype.sort is stable: equal times keep file order.
  return { entries: entries.sort(byTime), hidden: hidden.sort(byTime), stoppedAt };
}
