/** Where a report goes and how it is written: never half a file, even if the editor dies mid-write. */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { err, messageOf, ok, UserError, type Result } from '../result';
import type { ReportMeta } from './reportDraft';
import { slugify } from './slug';
import { zoned } from './zonedTime';

export const reportFolder = 'incident-reports';

/** `incident-reports/YYYY-MM-DD-<slug>.md`, dated in the report's timezone (relative to the workspace). */
export function defaultReportPath(meta: Pick<ReportMeta, 'startedAt' | 'timezone' | 'title'>): string {
  const date = zoned(Date.parse(meta.startedAt), meta.timezone).date;
  return `${reportFolder}/${date}-${slugify(meta.title)}.md`;
}

/**
 * Writes `text` to `file` atomically: a temporary file in the same folder (so the rename stays on one
 * file system), fsynced, then renamed over the target. Readers see the old file or the new one.
 */
export function writeFileAtomic(file: string, text: string): Result<void> {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(temp, 'wx', 0o644);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
    return ok(undefined);
  } catch (error) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // The folder itself is unusable: there is no temp file to clean up.
    }
    return err(new UserError(`Cannot write ${file}: ${messageOf(error)}.`, 'report-unwritable', { cause: error }));
  }
}
