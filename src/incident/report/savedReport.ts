/**
 * The report as the operator edits it, saved next to its journal (`<journal>.report.json`) on every
 * change, so edits survive closing the panel and reloading the window. Written atomically: a crash
 * leaves the previous version, never half a file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseReportDocument, type ReportDocument } from '../../core/incident/reportDocument';
import { writeFileAtomic } from '../../core/incident/reportFile';
import { err, messageOf, ok, UserError, type Result } from '../../core/result';

export interface SavedReport {
  /** The timezone the sections were drafted in (a later change of the setting applies on Re-draft). */
  timezone: string;
  /** Whether the timeline has a UTC column. */
  utc: boolean;
  /** The short form (sections edited here) or 2i2c's postmortem shape (drafted; edited after export). */
  template?: 'short' | 'postmortem';
  document: ReportDocument;
}

/** `…/2026-05-14-hub-oom-1a2b3c4d.jsonl` → `…/2026-05-14-hub-oom-1a2b3c4d.report.json`. */
export function savedReportFile(journalFile: string): string {
  return journalFile.replace(/\.jsonl$/, '') + '.report.json';
}

/** The saved report, null when there is none yet, or why the file cannot be used (then draft afresh). */
export function loadSavedReport(file: string): Result<SavedReport | null> {
  if (!existsSync(file)) return ok(null);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return err(
      new UserError(
        `The saved report ${file} cannot be read (${messageOf(error)}); it was drafted again.`,
        'report-saved-invalid',
      ),
    );
  }
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const document = parseReportDocument(JSON.stringify(v.document ?? null));
  if (!document.ok || typeof v.timezone !== 'string')
    return err(
      new UserError(
        `The saved report ${file} is not in the expected shape; it was drafted again.`,
        'report-saved-invalid',
      ),
    );
  return ok({
    timezone: v.timezone,
    utc: v.utc === true,
    template: v.template === 'postmortem' ? 'postmortem' : 'short',
    document: document.value,
  });
}

export function saveReport(file: string, saved: SavedReport): Result<void> {
  return writeFileAtomic(file, JSON.stringify({ version: 1, ...saved }, null, 1) + '\n');
}
