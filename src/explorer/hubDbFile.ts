import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Result } from '../core/result';
import type { ErrorInfo, FileInfo } from '../protocol/explorerProtocol';
import { formatBytes } from '../shared/format';

/** sql.js holds the whole DB in memory; past this the explorer says so instead of freezing. */
export const MAX_DB_BYTES = 1024 * 1024 * 1024;

export interface HubDbFile {
  info: FileInfo;
  /** The bytes, or why they cannot be read (the editor shows that instead of a blank page). */
  content: Result<Uint8Array, ErrorInfo>;
  /**
   * The `-wal` file beside it: a live or uncleanly stopped hub keeps its latest commits there, and
   * the core applies them (src/core/hubdb/walFrames.ts). null when there is none.
   */
  wal: Uint8Array | null;
}

/** Reads a DB file for the explorer, and the `-wal` beside it. Never writes either. */
export async function readHubDbFile(path: string): Promise<HubDbFile> {
  const wal = await readWal(path);
  const info: FileInfo = { name: basename(path), bytes: 0, walBytes: wal?.length ?? null };
  try {
    const size = (await stat(path)).size;
    info.bytes = size;
    if (size > MAX_DB_BYTES)
      return {
        info,
        wal,
        content: {
          ok: false,
          error: {
            code: 'too-large',
            message: `The file is ${formatBytes(size)}; the explorer reads files up to ${formatBytes(MAX_DB_BYTES)}. Use the sqlite3 command line for this one.`,
          },
        },
      };
    const buffer = await readFile(path);
    info.bytes = buffer.length;
    return { info, wal, content: { ok: true, value: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length) } };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a folder'
            : String(code ?? error);
    return {
      info,
      wal,
      content: { ok: false, error: { code: 'unreadable', message: `Cannot read ${info.name}: ${why}.` } },
    };
  }
}

async function readWal(path: string): Promise<Uint8Array | null> {
  try {
    const wal = `${path}-wal`;
    if ((await stat(wal)).size === 0) return null;
    const buffer = await readFile(wal);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  } catch {
    return null;
  }
}
