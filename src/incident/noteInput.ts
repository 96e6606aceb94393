/**
 * A timeline note typed in one line, as an operator writes it mid-incident:
 *   "14:05 scaled the hub to 4Gi #resolution"
 *   "2026-11-23 14:05 Helm upgrade started"
 * An optional time first (read by parseNoteTime in the report's timezone), an optional tag anywhere
 * (#resolution, #learned, #action, #cause), the rest is the note.
 */
import type { NoteTag } from '../core/incident/journalEntry';
import { parseNoteTime } from '../core/incident/noteTime';
import { err, ok, UserError, type Result } from '../core/result';

export const noteTags: readonly NoteTag[] = ['resolution', 'learned', 'action', 'cause'];

export interface TypedNote {
  text: string;
  /** Absent: now. */
  time?: Date;
  tag?: NoteTag;
}

const leadingTime =
  /^(\d{4}-\d{2}-\d{2}T\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?|\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}|\d{1,2}:\d{2})(?:\s+|$)/i;
const tagPattern = new RegExp(`(^|\\s)#(${noteTags.join('|')})\\b`, 'gi');

export function parseNoteInput(input: string, timezone: string, now: Date = new Date()): Result<TypedNote> {
  let rest = input.trim();
  let time: Date | undefined;
  const at = leadingTime.exec(rest);
  if (at) {
    const parsed = parseNoteTime(at[1]!, timezone, now);
    if (!parsed.ok) return parsed;
    time = parsed.value;
    rest = rest.slice(at[0].length);
  }
  let tag: NoteTag | undefined;
  rest = rest.replace(tagPattern, (_m, space: string, name: string) => {
    tag ??= name.toLowerCase() as NoteTag;
    return space;
  });
  const text = rest.replace(/\s{2,}/g, ' ').trim();
  if (text === '') return err(new UserError('The note is empty: write what happened.', 'note-empty'));
  return ok({ text, ...(time ? { time } : {}), ...(tag ? { tag } : {}) });
}

export function isNoteTag(value: unknown): value is NoteTag {
  return typeof value === 'string' && (noteTags as readonly string[]).includes(value);
}
