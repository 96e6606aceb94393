import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Result } from '../core/result';
import type { ErrorInfo, FileInfo } from '../protocol/explorerProtocol';

/** sql.js holds the whole DB in memory; past this the explorer says so instead of freezing. */
export const MAX_DB_BYTES = 1024 * 1024 * 1024;

export interface HubDbFile {
  info: FileInfo;
  /** The bytes, or why they cannot be read (the editor shows that instead of a blank page). */
  content: Result<Uint8Array, ErrorInfo>;
}

/**
 * Reads a DB file for the explorer (never writes it), and notes a `-wal` file beside it: a live or
 * uncleanly stopped hub keeps recent changes there, and sql.js reads only the main file.
 */
export async function readHubDbFile(path: string): Promise<HubDbFile> {
  const info: FileInfo = { name: basename(path), bytes: 0, walBytes: await walSize(path) };
  try {
    const size = (await stat(path)).size;
    info.bytes = size;
    if (size > MAX_DB_BYTES)
      return {
        info,
        content: {
          ok: false,
          error: {
            code: 'too-large',
            message: `The file is ${formatMiB(size)}; the explorer reads files up to ${formatMiB(MAX_DB_BYTES)}. Use the sqlite3 command line for this one.`,
          },
        },
      };
    const buffer = await readFile(path);
    info.bytes = buffer.length;
    return { info, content: { ok: true, value: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length) } };
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
      content: { ok: false, error: { code: 'unreadable', message: `Cannot read ${info.name}: ${why}.` } },
    };
  }
}

/** What the operator should know about a `-wal` file beside the DB, or undefined when there is none. */
export function walNotice(info: FileInfo): string | undefined {
  if (!info.walBytes) return undefined;
  return (
    `${info.name}-wal (${info.walBytes} bytes) is beside this file: the hub's latest changes are in it, not in ` +
    `what you see here. For a complete copy, run \`sqlite3 ${info.name} ".backup copy.sqlite"\` where the hub ` +
    `runs, or stop the hub first.`
  );
}

async function walSize(path: string): Promise<number | null> {
  try {
    const size = (await stat(`${path}-wal`)).size;
    return size > 0 ? size : null;
  } catch {
    return null;
  }
}

const formatMiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
