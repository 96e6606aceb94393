/**
 * Which incident is current, and every change to it. Journals live as JSONL files in one folder (the
 * extension's global storage); the current one's file is remembered (VS Code's globalState) so it is
 * reopened with `Journal.open` after a window reload. No `vscode` import: the unit tests drive it
 * under plain Node with a folder and a map.
 *
 * "Current" is the incident the Incident view shows and notes go to; it is "recording" until stopped.
 * Cluster observations are journaled only while recording (see incidentRecorder.ts).
 */
import { resolve } from 'node:path';
import { Journal, listIncidents, type IncidentListing, type NewIncident } from '../core/incident/journal';
import type { JournalEntry, NewEntry } from '../core/incident/journalEntry';
import { replay, type ReplayedIncident } from '../core/incident/journalReplay';
import { notYetJournaled } from '../core/prometheus/backfill';
import { err, messageOf, ok, UserError, type Result } from '../core/result';
import type { Log } from '../vscode/redactedLog';

/** Where the current incident's file is remembered across reloads (globalState in the extension). */
export interface CurrentMemo {
  get(): string | undefined;
  set(file: string | undefined): void | PromiseLike<void>;
}

export type IncidentChange =
  | { kind: 'switched'; file: string | undefined }
  /** A new incident was started (after its `switched`): e.g. to backfill the hours before it. */
  | { kind: 'started'; file: string }
  | { kind: 'appended'; file: string; entry: JournalEntry }
  | { kind: 'changed'; file: string; entry: JournalEntry }
  | { kind: 'stopped'; file: string };

export class IncidentStore {
  private journal: Journal | undefined;
  private readonly listeners = new Set<(change: IncidentChange) => void>();

  constructor(
    /** The folder holding one JSONL journal per incident. */
    readonly dir: string,
    private readonly memo: CurrentMemo,
    private readonly options: { now?: () => Date; log?: Log } = {},
  ) {}

  private readonly now = () => (this.options.now ?? (() => new Date()))();

  /**
   * Reopens the remembered incident (activation after a reload). A remembered file that is gone or
   * damaged is forgotten, and the reason returned so the operator hears why the view is empty.
   */
  restore(): Result<Journal | undefined> {
    const file = this.memo.get();
    if (!file) return ok(undefined);
    const opened = Journal.open(file, { now: this.now });
    if (!opened.ok) {
      this.journal = undefined;
      void this.memo.set(undefined);
      return opened;
    }
    this.journal = opened.value.journal;
    this.emit({ kind: 'switched', file });
    return ok(this.journal);
  }

  /** The current incident's journal, if any. */
  get current(): Journal | undefined {
    return this.journal;
  }

  /** True while the current incident has not been stopped. */
  get recording(): boolean {
    return this.journal !== undefined && !this.journal.isStopped;
  }

  /** Starts a new journal and makes it current (the previous one keeps its file, unstopped). */
  start(meta: NewIncident): Result<Journal> {
    if (meta.title.trim() === '') return err(new UserError('An incident needs a title.', 'incident-no-title'));
    const created = Journal.create(this.dir, meta, { now: this.now });
    if (!created.ok) return created;
    this.setCurrent(created.value);
    this.emit({ kind: 'started', file: created.value.file });
    return created;
  }

  /** Makes an existing journal current (from the list of incidents). */
  switchTo(file: string): Result<Journal> {
    const target = resolve(file);
    if (this.journal && resolve(this.journal.file) === target) return ok(this.journal);
    const opened = Journal.open(target, { now: this.now });
    if (!opened.ok) return opened;
    this.setCurrent(opened.value.journal);
    return ok(opened.value.journal);
  }

  /**
   * Stops the current incident (at `time`, default now). It stays current, so notes and the report can
   * still be written.
   */
  stop(time?: Date): Result<JournalEntry> {
    const journal = this.requireCurrent();
    if (!journal.ok) return journal;
    const stopped = journal.value.stop(undefined, time);
    if (stopped.ok) this.emit({ kind: 'stopped', file: journal.value.file });
    return stopped;
  }

  /** Appends to the current journal; an error when there is none. */
  append(entry: NewEntry): Result<JournalEntry> {
    const journal = this.requireCurrent();
    if (!journal.ok) return journal;
    const written = journal.value.append(entry);
    if (written.ok) this.emit({ kind: 'appended', file: journal.value.file, entry: written.value });
    return written;
  }

  /**
   * Appends to the journal of `file` (the current one or any other, e.g. last night's) the rebuilt
   * history it does not state yet: nothing the live watcher journaled, nor an earlier backfill, is
   * written twice (src/core/prometheus/backfill.ts). Bursts collapse as live entries do.
   */
  backfill(file: string, history: readonly JournalEntry[]): Result<{ written: number; skipped: number }> {
    const current = this.journal && resolve(this.journal.file) === resolve(file) ? this.journal : undefined;
    let journal = current;
    if (!journal) {
      const opened = Journal.open(file, { now: this.now });
      if (!opened.ok) return opened;
      journal = opened.value.journal;
    }
    const replayed = replay(journal.file);
    if (!replayed.ok) return replayed;
    const fresh = notYetJournaled(history, [...replayed.value.entries, ...replayed.value.hidden]);
    for (const entry of fresh) {
      const written = journal.append(entry);
      if (!written.ok) return written;
      this.emit({ kind: 'appended', file: journal.file, entry: written.value });
    }
    return ok({ written: fresh.length, skipped: history.length - fresh.length });
  }

  edit(id: string, text: string): Result<JournalEntry> {
    return this.change((j) => j.edit(id, text));
  }

  hide(id: string, hidden = true): Result<JournalEntry> {
    return this.change((j) => j.hide(id, hidden));
  }

  delete(id: string): Result<JournalEntry> {
    return this.change((j) => j.delete(id));
  }

  /** The current incident as it reads now (edits applied), or why it cannot be read. */
  replayCurrent(): Result<ReplayedIncident> | undefined {
    return this.journal ? replay(this.journal.file) : undefined;
  }

  list(): IncidentListing {
    return listIncidents(this.dir);
  }

  /**
   * Drops the open journal without forgetting which one is current: what a window reload does. Call
   * `restore()` to reopen it from the file.
   */
  close(): void {
    this.journal = undefined;
  }

  onDidChange(listener: (change: IncidentChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private change(apply: (journal: Journal) => Result<JournalEntry>): Result<JournalEntry> {
    const journal = this.requireCurrent();
    if (!journal.ok) return journal;
    const written = apply(journal.value);
    if (written.ok) this.emit({ kind: 'changed', file: journal.value.file, entry: written.value });
    return written;
  }

  private requireCurrent(): Result<Journal> {
    return this.journal
      ? ok(this.journal)
      : err(new UserError('No incident is open: start one first (JupyterHub: Start Incident).', 'incident-none'));
  }

  private setCurrent(journal: Journal): void {
    this.journal = journal;
    void this.memo.set(journal.file);
    this.emit({ kind: 'switched', file: journal.file });
  }

  private emit(change: IncidentChange): void {
    // The line is on disk whatever a listener does: one that throws must not stop the others.
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.options.log?.error(`Incident: a listener failed on ${change.kind}: ${messageOf(error)}`);
      }
    }
  }
}
