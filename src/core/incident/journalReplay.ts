/**
 * Reading a journal back: the header, then every entry with the operator's edits, hides and deletes
 * applied and collapsed bursts reduced to their newest line. A damaged line (a crash mid-write, a bad
 * hand edit) is skipped with a warning naming its line; the rest of the journal still counts.
 */
import { readFileSync } from 'node:fs';
import { err, messageOf, ok, UserError, type Result } from '../result';
import { editKinds, entrySources, isKind, type HubRef, type IncidentMeta, type JournalEntry } from './journalEntry';

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
}

/** Reads and replays a journal file. A missing or unreadable file, or one that is not a journal, is an error. */
export function replay(file: string): Result<ReplayedIncident> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : messageOf(error);
    return err(
      new UserError(`Cannot read the incident journal ${file}: ${why}.`, 'journal-unreadable', { cause: error }),
    );
  }
  return replayText(text, file);
}

/** Replays a journal's text (the pure part of `replay`). */
export function replayText(text: string, file = 'journal'): Result<ReplayedIncident> {
  const warnings: JournalWarning[] = [];
  const lines = text.split('\n');
  // A file written by `append` ends with a newline; text after the last one is a line cut short.
  const partialTail = lines[lines.length - 1] !== '' ? lines.length : -1;
  if (lines[lines.length - 1] === '') lines.pop();

  const parsed: { line: number; value: Record<string, unknown> }[] = [];
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      warnings.push({
        line,
        message:
          line === partialTail
            ? 'the last line is incomplete (the journal was probably cut off while writing); skipped'
            : 'not valid JSON; skipped',
      });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      warnings.push({ line, message: 'not a JSON object; skipped' });
      return;
    }
    parsed.push({ line, value: value as Record<string, unknown> });
  });

  const first = parsed[0];
  const incident = first ? asIncident(first.value) : null;
  if (!first || first.line !== 1 || !incident) {
    return err(
      new UserError(
        `${file} is not an incident journal: its first line must be the incident record ({"type":"incident",…}).`,
        'journal-not-incident',
      ),
    );
  }

  const entries: NumberedEntry[] = [];
  for (const { line, value } of parsed.slice(1)) {
    const entry = asEntry(value);
    if (typeof entry === 'string') warnings.push({ line, message: `${entry}; skipped` });
    else entries.push({ line, entry });
  }
  return ok({ file, incident, ...applyEdits(entries, warnings), warnings });
}

function asIncident(v: Record<string, unknown>): IncidentMeta | null {
  if (v.type !== 'incident' || typeof v.id !== 'string' || typeof v.title !== 'string') return null;
  if (typeof v.startedAt !== 'string' || Number.isNaN(Date.parse(v.startedAt))) return null;
  const hubs: HubRef[] = Array.isArray(v.hubs)
    ? v.hubs.filter(
        (h): h is HubRef =>
          typeof h === 'object' && h !== null && typeof h.context === 'string' && typeof h.namespace === 'string',
      )
    : [];
  return {
    ...v,
    type: 'incident',
    id: v.id,
    title: v.title,
    startedAt: new Date(v.startedAt).toISOString(),
    hubs,
    ...(typeof v.severity === 'string' ? { severity: v.severity } : {}),
  } as IncidentMeta;
}

/** The entry, or why it cannot be one. Unknown kinds and extra fields pass through untouched. */
function asEntry(v: Record<string, unknown>): JournalEntry | string {
  if (typeof v.id !== 'string' || v.id === '') return 'entry without an id';
  if (typeof v.kind !== 'string' || v.kind === '') return `entry ${v.id} has no kind`;
  if (typeof v.time !== 'string' || Number.isNaN(Date.parse(v.time))) return `entry ${v.id} has no valid time`;
  return {
    ...v,
    id: v.id,
    kind: v.kind,
    time: new Date(v.time).toISOString(),
    hub: typeof v.hub === 'string' ? v.hub : null,
    text: typeof v.text === 'string' ? v.text : '',
    source: entrySources.find((s) => s === v.source) ?? 'tool',
  };
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
