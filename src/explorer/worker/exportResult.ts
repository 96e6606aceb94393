import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { exportCsv, exportJson } from '../../core/hubdb';
import type { Result } from '../../core/result';
import type { ErrorInfo } from '../../protocol/explorerProtocol';
import type { RawValue } from './cells';
import { shownValue } from './redactInPlace';
import type { ResultStore } from './resultStore';

/** Where an export is written until it is complete; a cancelled export leaves only this behind. */
export const partialPath = (path: string): string => `${path}.partial`;

/**
 * Streams a result to a CSV or JSON file row by row (src/core/hubdb/exportRows.ts waits for the disk
 * when it falls behind), so a million rows never become one string. Writes beside the target and
 * renames at the end, so an existing file is only replaced by a complete export.
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
  const temporary = partialPath(path);
  const out = createWriteStream(temporary);
  try {
    await once(out, 'open');
    const rows = shown(store.iterate(resultId));
    const count = format === 'csv' ? await exportCsv(rows, columns, out) : await exportJson(rows, columns, out);
    out.end();
    await once(out, 'finish');
    await rename(temporary, path);
    return { ok: true, value: { rows: count, bytes: out.bytesWritten } };
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

function* shown(rows: Iterable<RawValue[]>): Generator<RawValue[]> {
  for (const row of rows) yield row.map((v) => (typeof v === 'string' ? shownValue(v) : v));
}
