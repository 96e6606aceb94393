/** `PRAGMA quick_check` on a snapshot file, with sql.js (no native SQLite needed in the editor). */
import { readFile } from 'node:fs/promises';

/** 'ok', or SQLite's first complaints (joined), or the reason the file would not open. */
export async function quickCheck(file: string, options: { wasmPath?: string } = {}): Promise<string> {
  // The hub DB code: in the extension a bundle of its own (the analyzer), loaded with the first DB read.
  const { loadSqlJs } = await import('../hubdb');
  const SQL = await loadSqlJs(options);
  const bytes = await readFile(file);
  let db;
  try {
    db = new SQL.Database(bytes);
  } catch (error) {
    return `cannot open: ${(error as Error).message}`;
  }
  try {
    const rows = db.exec('PRAGMA quick_check(20)');
    const lines = rows.flatMap((r) => r.values.map((v) => String(v[0])));
    return lines.length === 1 && lines[0] === 'ok' ? 'ok' : lines.join('; ').slice(0, 500) || 'no answer';
  } catch (error) {
    return (error as Error).message;
  } finally {
    db.close();
  }
}
