/**
 * The incident journal on disk: one JSON Lines file per incident, append-only. Every append writes and
 * fsyncs its line before returning, so a crash or a window reload loses nothing that was journaled;
 * edits are new lines too (see journalReplay.ts). Which incident is active is the caller's concern.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { err, messageOf, ok, UserError, type Result } from '../result';
import { BurstCollapser, defaultCollapseRules, type CollapseRules } from './journalCollapse';
import {
  entrySources,
  type EntrySource,
  type HubRef,
  type IncidentMeta,
  type JournalEntry,
  type NewEntry,
} from './journalEntry';
import { maxLineBytes } from './journalLines';
import { capText, replay, type JournalWarning, type ReplayedIncident } from './journalReplay';
import { parseJournalTime } from './journalTime';
import { slugify } from './slug';
import { formatCount } from '../../shared/format';

export interface NewIncident {
  title: string;
  hubs: HubRef[];
  severity?: string;
  /** Defaults to now. */
  startedAt?: string | Date;
}

export interface JournalOptions {
  collapse?: CollapseRules;
  /** The clock for entries that come without a time (tests pass a fixed one). */
  now?: () => Date;
}

const journalExtension = '.jsonl';

export class Journal {
  private readonly ids = new Set<string>();
  private stopped: boolean;

  private constructor(
    readonly file: string,
    readonly incident: IncidentMeta,
    private readonly collapser: BurstCollapser,
    private readonly now: () => Date,
    seen: readonly JournalEntry[],
    stopped: boolean,
  ) {
    for (const e of seen) this.ids.add(e.id);
    this.stopped = stopped;
  }

  /** Starts a new journal file in `dir` (created if needed), named after the date and title. */
  static create(dir: string, meta: NewIncident, options: JournalOptions = {}): Result<Journal> {
    const now = options.now ?? (() => new Date());
    const startedAt = toIso(meta.startedAt ?? now(), now());
    if (!startedAt.ok) return err(new UserError(`Invalid incident start time: ${startedAt.why}.`, 'journal-bad-time'));
    const incident: IncidentMeta = {
      type: 'incident',
      id: randomUUID(),
      title: capText(meta.title.trim() || 'Incident').text,
      startedAt: startedAt.iso,
      hubs: meta.hubs.map(({ context, namespace }) => ({ context, namespace })),
      ...(meta.severity ? { severity: meta.severity } : {}),
    };
    const name = `${startedAt.iso.slice(0, 10)}-${slugify(incident.title, 40)}-${incident.id.slice(0, 8)}${journalExtension}`;
    const file = join(dir, name);
    try {
      mkdirSync(dir, { recursive: true });
      writeLineDurably(file, JSON.stringify(incident), 'wx');
      syncFolder(dir);
    } catch (error) {
      return err(
        new UserError(`Cannot create the incident journal in ${dir}: ${messageOf(error)}.`, 'journal-unwritable', {
          cause: error,
        }),
      );
    }
    return ok(
      new Journal(file, incident, new BurstCollapser(options.collapse ?? defaultCollapseRules), now, [], false),
    );
  }

  /**
   * Reopens a journal to keep appending (after a reload). Damaged lines are reported, not fatal; a line
   * cut short by a crash is closed off first so the next entry does not glue onto it.
   */
  static open(file: string, options: JournalOptions = {}): Result<{ journal: Journal; replayed: ReplayedIncident }> {
    const replayed = replay(file, options.now ? { now: options.now } : {});
    if (!replayed.ok) return replayed;
    const { incident, entries, hidden, stoppedAt, ids } = replayed.value;
    try {
      if (!endsWithNewline(file)) writeLineDurably(file, '', 'a');
    } catch (error) {
      return err(
        new UserError(`Cannot append to the incident journal ${file}: ${messageOf(error)}.`, 'journal-unwritable', {
          cause: error,
        }),
      );
    }
    const collapser = new BurstCollapser(options.collapse ?? defaultCollapseRules);
    collapser.seed(entries);
    const journal = new Journal(
      file,
      incident,
      collapser,
      options.now ?? (() => new Date()),
      [...entries, ...hidden],
      stoppedAt !== null,
    );
    for (const id of ids) journal.ids.add(id);
    return ok({ journal, replayed: replayed.value });
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /**
   * Journals one observation and returns the line written: the entry itself, or (for a burst of similar
   * entries) a burst line that supersedes the previous one. The line is on disk when this returns.
   */
  append(input: NewEntry): Result<JournalEntry> {
    const entry = this.normalise(input);
    if (!entry.ok) return entry;
    const line = this.collapser.next(entry.value, () => this.newId());
    return this.write(line);
  }

  /** Replaces the text of an entry (the operator's wording wins in the timeline). */
  edit(target: string, text: string): Result<JournalEntry> {
    return this.editRecord('entry-edited', target, { text });
  }

  /** Keeps an entry out of the report (it stays in the journal and can be shown again). */
  hide(target: string, hidden = true): Result<JournalEntry> {
    this.collapser.forget(target);
    return this.editRecord('entry-hidden', target, hidden ? {} : { unhide: true });
  }

  /** Removes an entry from the timeline for good (the original line stays in the file). */
  delete(target: string): Result<JournalEntry> {
    this.collapser.forget(target);
    return this.editRecord('entry-deleted', target, {});
  }

  /**
   * Writes `incident-stopped`, at `time` when the operator says when it ended (default now). Later appends
   * still work (notes written while drafting the report).
   */
  stop(text = 'Incident stopped', time?: string | Date): Result<JournalEntry> {
    if (this.stopped) return err(new UserError('This incident is already stopped.', 'journal-already-stopped'));
    const stopAt = toIso(time ?? this.now(), this.now());
    if (!stopAt.ok) return err(new UserError(`Invalid stop time: ${stopAt.why}.`, 'journal-bad-time'));
    const at = stopAt.iso;
    if (Date.parse(at) < Date.parse(this.incident.startedAt))
      return err(new UserError('The incident cannot end before it started.', 'journal-bad-time'));
    const written = this.write({
      id: this.newId(),
      time: at,
      kind: 'incident-stopped',
      hub: null,
      text,
      source: 'operator',
    });
    if (written.ok) this.stopped = true;
    return written;
  }

  private editRecord(kind: string, target: string, fields: Record<string, unknown>): Result<JournalEntry> {
    if (!this.ids.has(target))
      return err(new UserError(`There is no journal entry ${target} to change.`, 'journal-unknown-entry'));
    return this.write({
      id: this.newId(),
      time: this.now().toISOString(),
      kind,
      hub: null,
      text: '',
      source: 'operator',
      target,
      ...fields,
    });
  }

  private normalise(input: NewEntry): Result<JournalEntry> {
    if (typeof input.kind !== 'string' || input.kind === '' || input.kind === 'incident')
      return err(
        new UserError(`A journal entry needs a kind (got ${JSON.stringify(input.kind)}).`, 'journal-bad-entry'),
      );
    const time = toIso(input.time ?? this.now(), this.now());
    if (!time.ok) return err(new UserError(`Invalid time for a ${input.kind} entry: ${time.why}.`, 'journal-bad-time'));
    const id = typeof input.id === 'string' && input.id !== '' ? input.id : this.newId();
    if (this.ids.has(id)) return err(new UserError(`Journal entry id ${id} is already used.`, 'journal-duplicate-id'));
    const source: EntrySource = entrySources.find((s) => s === input.source) ?? 'tool';
    const text = capText(String(input.text ?? ''));
    return ok({
      ...input,
      id,
      time: time.iso,
      kind: input.kind,
      hub: input.hub ?? null,
      text: text.text,
      ...(text.cutFrom !== null ? { textCut: text.cutFrom } : {}),
      source,
    });
  }

  private write(line: JournalEntry): Result<JournalEntry> {
    const json = JSON.stringify(line);
    // The reader skips a line over this size: refuse it here, where the caller can still say why.
    if (Buffer.byteLength(json) > maxLineBytes)
      return err(
        new UserError(
          `A ${line.kind} entry of ${formatCount(Buffer.byteLength(json))} bytes is too big for the journal (1 MiB a line).`,
          'journal-bad-entry',
        ),
      );
    try {
      writeLineDurably(this.file, json, 'a');
    } catch (error) {
      return err(
        new UserError(`Cannot write to the incident journal ${this.file}: ${messageOf(error)}.`, 'journal-unwritable', {
          cause: error,
        }),
      );
    }
    this.ids.add(line.id);
    return ok(line);
  }

  private newId(): string {
    let id: string;
    do id = randomBytes(6).toString('hex');
    while (this.ids.has(id));
    return id;
  }
}

export interface IncidentListing {
  incidents: {
    file: string;
    incident: IncidentMeta;
    stoppedAt: string | null;
    entryCount: number;
    warnings: JournalWarning[];
  }[];
  /** Files that could not be read as journals, with the reason. */
  problems: { file: string; message: string }[];
}

/** The journals in `dir`, newest first. A missing folder is simply empty. */
export function listIncidents(dir: string): IncidentListing {
  const listing: IncidentListing = { incidents: [], problems: [] };
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(journalExtension));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      listing.problems.push({ file: dir, message: messageOf(error) });
    return listing;
  }
  for (const name of names) {
    const file = join(dir, name);
    const replayed = replay(file);
    if (!replayed.ok) listing.problems.push({ file, message: replayed.error.userMessage });
    else {
      const { incident, stoppedAt, entries, warnings } = replayed.value;
      listing.incidents.push({ file, incident, stoppedAt, entryCount: entries.length, warnings });
    }
  }
  listing.incidents.sort((a, b) => b.incident.startedAt.localeCompare(a.incident.startedAt));
  return listing;
}

/** A time the journal accepts (journalTime.ts): the reader must be able to read back what is written. */
function toIso(value: string | Date, now: Date) {
  const nowMs = Math.max(Date.now(), now.getTime());
  if (!(value instanceof Date)) return parseJournalTime(value, nowMs);
  return Number.isNaN(value.getTime())
    ? ({ ok: false, why: 'an invalid date' } as const)
    : parseJournalTime(value.toISOString(), nowMs);
}

/** Whether the file is empty or its last byte is a newline (else a crash cut its last line short). */
function endsWithNewline(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}

/** Appends one line and fsyncs it: when this returns, the line survives a crash of the editor. */
function writeLineDurably(file: string, line: string, flag: 'a' | 'wx'): void {
  const fd = openSync(file, flag, 0o600);
  try {
    writeSync(fd, line + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a new file's directory entry durable too (Linux; elsewhere opening a folder may not be allowed). */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported on this platform: the file's own fsync is the best we can do.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
