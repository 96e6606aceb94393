/**
 * A journal file, line by line, in bounded memory: the file is read in chunks and never held whole, and a
 * line longer than `maxLineBytes` is passed over (its length reported) instead of being built up. A
 * journal of any size, or one 150 MB line, costs a chunk and one line at a time.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** The longest line a journal may hold. An entry's text is capped far below (journalReplay.ts). */
export const maxLineBytes = 1024 * 1024;
const chunkBytes = 256 * 1024;

export type JournalLine =
  /** `complete` is false for a last line without its newline (a write cut short). */
  | { number: number; text: string; complete: boolean }
  /** A line over `maxLineBytes`: only its length is known. */
  | { number: number; tooLongBytes: number; complete: boolean };

/** What a visitor returns to stop reading early (the header was not a journal's). */
export const stopReading = Symbol('stop');
export type LineVisitor = (line: JournalLine) => void | typeof stopReading;

/**
 * Calls `visit` for each line of `file` (without its newline, a trailing CR or a leading BOM). Throws
 * what the file system throws (missing file, a folder): the caller words it.
 */
export function forEachFileLine(file: string, visit: LineVisitor): void {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    const lines = new LineAssembler(visit);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunkBytes, null);
      if (n === 0) break;
      if (lines.push(chunk.subarray(0, n)) === stopReading) return;
    }
    lines.end();
  } finally {
    closeSync(fd);
  }
}

/** The same for a journal already in memory (tests, fuzzing, text from elsewhere). */
export function forEachTextLine(text: string, visit: LineVisitor): void {
  const lines = new LineAssembler(visit);
  if (lines.push(Buffer.from(text, 'utf8')) !== stopReading) lines.end();
}

/** Cuts a byte stream into lines, keeping at most `maxLineBytes` of the current line. */
class LineAssembler {
  private parts: Buffer[] = [];
  private bytes = 0;
  private tooLong = false;
  private number = 1;
  private stopped = false;

  constructor(private readonly visit: LineVisitor) {}

  push(data: Buffer): void | typeof stopReading {
    let start = 0;
    while (start < data.length) {
      const newline = data.indexOf(10, start);
      const end = newline === -1 ? data.length : newline;
      this.take(data, start, end);
      if (newline === -1) break;
      if (this.emit(true) === stopReading) return stopReading;
      start = newline + 1;
    }
  }

  end(): void {
    if (this.bytes > 0 || this.tooLong) this.emit(false);
  }

  private take(data: Buffer, start: number, end: number): void {
    const length = end - start;
    if (length === 0) return;
    this.bytes += length;
    if (this.tooLong) return;
    if (this.bytes > maxLineBytes) {
      this.tooLong = true;
      this.parts = [];
      return;
    }
    // The chunk buffer is reused by the next read: keep a copy of a line's bytes.
    this.parts.push(Buffer.from(data.subarray(start, end)));
  }

  private emit(complete: boolean): void | typeof stopReading {
    if (this.stopped) return stopReading;
    const number = this.number++;
    let line: JournalLine;
    if (this.tooLong) line = { number, tooLongBytes: this.bytes, complete };
    else {
      let text = (this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts)).toString('utf8');
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (number === 1 && text.startsWith('\ufeff')) text = text.slice(1);
      line = { number, text, complete };
    }
    this.parts = [];
    this.bytes = 0;
    this.tooLong = false;
    if (this.visit(line) === stopReading) {
      this.stopped = true;
      return stopReading;
    }
  }
}
