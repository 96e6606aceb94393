/**
 * The 100-byte SQLite file header (https://www.sqlite.org/fileformat2.html#the_database_header), read
 * before sql.js sees the bytes so that a wrong or damaged file gets a precise sentence instead of
 * SQLite's "file is not a database".
 */
export const SQLITE_MAGIC = 'SQLite format 3\u0000';
export const HEADER_BYTES = 100;

export interface SqliteHeader {
  pageSize: number;
  /** 1 = rollback journal, 2 = WAL (bytes 18 and 19). */
  writeVersion: number;
  readVersion: number;
  /** The page count the header records, when it is trustworthy (SQLite ≥ 3.7.0 keeps it valid). */
  pageCount: number | null;
  /** Bytes the header says the file holds, when it is trustworthy. */
  expectedBytes: number | null;
  textEncoding: number;
}

export type HeaderProblem =
  | { kind: 'empty' }
  | { kind: 'truncated-header'; bytes: number }
  | { kind: 'not-sqlite'; looksLike: string | null }
  | { kind: 'bad-header'; detail: string };

const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

export function readSqliteHeader(
  bytes: Uint8Array,
): { ok: true; header: SqliteHeader } | { ok: false; problem: HeaderProblem } {
  if (bytes.length === 0) return { ok: false, problem: { kind: 'empty' } };
  const magicLength = Math.min(bytes.length, 16);
  let magicMatches = true;
  for (let i = 0; i < magicLength; i++) if (bytes[i] !== SQLITE_MAGIC.charCodeAt(i)) magicMatches = false;
  if (!magicMatches) return { ok: false, problem: { kind: 'not-sqlite', looksLike: sniff(bytes) } };
  if (bytes.length < HEADER_BYTES) return { ok: false, problem: { kind: 'truncated-header', bytes: bytes.length } };

  const rawPageSize = u16(bytes, 16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0)
    return {
      ok: false,
      problem: { kind: 'bad-header', detail: `page size ${rawPageSize} is not a power of two between 512 and 65536` },
    };
  const writeVersion = bytes[18]!;
  const readVersion = bytes[19]!;
  if (![1, 2].includes(writeVersion) || ![1, 2].includes(readVersion))
    return {
      ok: false,
      problem: { kind: 'bad-header', detail: `file format versions ${writeVersion}/${readVersion} are not 1 or 2` },
    };
  if (bytes[21] !== 64 || bytes[22] !== 32 || bytes[23] !== 32)
    return {
      ok: false,
      problem: { kind: 'bad-header', detail: 'the payload fractions (bytes 21–23) are not 64/32/32' },
    };
  const textEncoding = u32(bytes, 56);
  if (textEncoding > 3)
    return { ok: false, problem: { kind: 'bad-header', detail: `text encoding ${textEncoding} is not 1, 2 or 3` } };

  // The in-header page count is valid only when "version-valid-for" equals the change counter.
  const changeCounter = u32(bytes, 24);
  const validFor = u32(bytes, 92);
  const headerPages = u32(bytes, 28);
  const pageCount = headerPages > 0 && validFor === changeCounter ? headerPages : null;
  return {
    ok: true,
    header: {
      pageSize,
      writeVersion,
      readVersion,
      pageCount,
      expectedBytes: pageCount === null ? null : pageCount * pageSize,
      textEncoding,
    },
  };
}

/** What a non-SQLite file most likely is, from its first bytes (for the operator's sentence). */
function sniff(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((v, i) => bytes[i] === v);
  if (starts(0x1f, 0x8b)) return 'a gzip-compressed file (decompress it first: gunzip)';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'a zip archive (extract the .sqlite file from it first)';
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'a zstd-compressed file (decompress it first: unzstd)';
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'an xz-compressed file (decompress it first: unxz)';
  if (starts(0x37, 0x7f, 0x06, 0x82) || starts(0x37, 0x7f, 0x06, 0x83))
    return 'a SQLite write-ahead log (-wal file), not the database itself: open the file without "-wal"';
  if (bytes.length > 262 && String.fromCharCode(...bytes.subarray(257, 262)) === 'ustar')
    return 'a tar archive (extract the .sqlite file from it first)';
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 256)).trimStart();
  if (head.startsWith('PGDMP')) return 'a PostgreSQL dump (this hub uses PostgreSQL: query it with psql instead)';
  if (/^(PRAGMA|BEGIN TRANSACTION|CREATE TABLE|INSERT INTO|--)/i.test(head))
    return 'a SQL text dump (load it first: sqlite3 hub.sqlite < dump.sql)';
  if (/^\s*[{[]/.test(head)) return 'a JSON document';
  if (/^(apiVersion|kind):/m.test(head)) return 'a YAML document (perhaps a Kubernetes manifest)';
  return null;
}
