import { CELL_PREVIEW_CHARS, type Cell } from '../../protocol/explorerProtocol';
import { shownValue } from './redactInPlace';

/** A value as sql.js hands it over when asked for big integers as bigint. */
export type RawValue = number | bigint | string | Uint8Array | null;

const BLOB_PREFIX_BYTES = 32;

/** Turns a SQLite value into what one grid cell carries: exact numbers, bounded text, described blobs. */
export function toCell(value: RawValue): Cell {
  if (value === null) return null;
  if (typeof value === 'bigint')
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  // NaN and infinities have no JSON form; SQLite shows them as text too.
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') {
    value = shownValue(value);
    return value.length > CELL_PREVIEW_CHARS
      ? { kind: 'longText', preview: value.slice(0, CELL_PREVIEW_CHARS), length: value.length }
      : value;
  }
  return { kind: 'blob', bytes: value.length, hexPrefix: hex(value.subarray(0, BLOB_PREFIX_BYTES)) };
}

/** The whole value as text, for "Copy cell": blobs as hex, like sqlite3's X'…' without the quotes. */
export function fullText(value: RawValue): string {
  if (value === null) return '';
  if (value instanceof Uint8Array) return hex(value);
  return typeof value === 'string' ? shownValue(value) : String(value);
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
