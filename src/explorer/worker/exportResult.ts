import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { Result } from '../../core/result';
import type { ErrorInfo } from '../../protocol/explorerProtocol';
import { rowFormat, type SqlValue } from './hubDbSeam';
import { shownValue } from './redactInPlace';
import type { ResultStore } from './resultStore';

/** Bytes gathered before one write: big enough to keep syscalls few, small enough to keep memory flat. */
const CHUNK_CHARS = 256 * 1024;

/** Where an export is written until it is complete; a cancelled export leaves only this behind. */
export const partialPath = (path: string): string => `${path}.partial`;

/**
 * Streams a result to a CSV or JSON file row by row, waiting for the disk when it falls behind, so a
 * million rows never become one string. Writes beside the target and renames at the end, so an
 * existing file is only replaced by a complete export.
 */
export async function exportResult(
  store: ResultStore,
  resultId: number,
  format: 'csv' | 'json',
  path: string,
): Promise<Result<{ rows: number; bytes: number }, ErrorInfo>> {
  const found = store.find(resultId);
  if (!found.ok) return found;
  const { columns } = found.value.info;
  const formatter = rowFormat(format, columns);
  const temporary = partialPath(path);
  const out = createWriteStream(temporary);
  const failed = once(out, 'error').then(([error]) => error as Error);
  let rows = 0;
  let pending = formatter.header(columns);
  const flush = async () => {
    const chunk = pending;
    pending = '';
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
  };
  try {
    for (const row of store.iterate(resultId)) {
      pending += formatter.row(row.map(asSqlValue), rows++);
      if (pending.length >= CHUNK_CHARS) await flush();
    }
    pending += formatter.footer();
    await flush();
    out.end();
    const outcome = await Promise.race([once(out, 'finish').then(() => undefined), failed]);
    if (outcome instanceof Error) throw outcome;
    await rename(temporary, path);
    return { ok: true, value: { rows, bytes: out.bytesWritten } };
  } catch (error) {
    out.destroy();
    await rm(temporary, { force: true });
    return {
      ok: false,
      error: {
        code: 'export',
        message: `Cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`,
      },
    };
  }
}

const asSqlValue = (value: SqlValue | bigint): SqlValue =>
  typeof value === 'bigint' ? value.toString() : typeof value === 'string' ? shownValue(value) : value;
