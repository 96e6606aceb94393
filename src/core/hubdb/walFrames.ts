/**
 * Applies a SQLite write-ahead log to a copy of its database file, as a checkpoint would
 * (https://www.sqlite.org/fileformat2.html#the_write_ahead_log). sql.js reads a WAL-mode file but not
 * its `-wal`: a live hub's recent commits sit in the WAL until SQLite checkpoints, so a copy of the
 * main file alone can miss them. Only frames with valid salts and checksums up to the last commit
 * frame count, exactly what SQLite itself would replay; the rest is ignored, never guessed.
 */
const WAL_HEADER = 32;
const FRAME_HEADER = 24;

export interface WalApplied {
  /** The database bytes with every committed frame applied (a new array; the input is untouched). */
  bytes: Uint8Array;
  /** Committed transactions replayed, and frames written. */
  commits: number;
  frames: number;
  /** Frames after the last valid commit (an unfinished transaction, or a stale tail): ignored. */
  ignoredFrames: number;
}

export type WalProblem = 'too-short' | 'bad-magic' | 'page-size-mismatch' | 'bad-header-checksum';

const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

/** SQLite's WAL checksum: pairs of 32-bit words in the byte order the magic number names. */
function checksum(
  data: Uint8Array,
  start: number,
  end: number,
  bigEndian: boolean,
  s: [number, number],
): [number, number] {
  let [s0, s1] = s;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = start; i < end; i += 8) {
    s0 = (s0 + view.getUint32(i, !bigEndian) + s1) >>> 0;
    s1 = (s1 + view.getUint32(i + 4, !bigEndian) + s0) >>> 0;
  }
  return [s0, s1];
}

export function applyWal(
  database: Uint8Array,
  wal: Uint8Array,
  pageSize: number,
): { ok: true; value: WalApplied } | { ok: false; problem: WalProblem } {
  if (wal.length < WAL_HEADER) return { ok: false, problem: 'too-short' };
  const magic = u32(wal, 0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return { ok: false, problem: 'bad-magic' };
  const bigEndian = (magic & 1) === 1;
  const walPageSize = u32(wal, 8) === 1 ? 65536 : u32(wal, 8);
  if (walPageSize !== pageSize) return { ok: false, problem: 'page-size-mismatch' };
  const headerSum = checksum(wal, 0, 24, bigEndian, [0, 0]);
  if (headerSum[0] !== u32(wal, 24) || headerSum[1] !== u32(wal, 28))
    return { ok: false, problem: 'bad-header-checksum' };
  const salt1 = u32(wal, 16);
  const salt2 = u32(wal, 20);

  // First pass: find the frames that belong to committed transactions.
  const frameSize = FRAME_HEADER + pageSize;
  let running = headerSum;
  let frames = 0;
  let committedFrames = 0;
  let commits = 0;
  let committedSize = 0;
  for (let at = WAL_HEADER; at + frameSize <= wal.length; at += frameSize) {
    if (u32(wal, at + 8) !== salt1 || u32(wal, at + 12) !== salt2) break;
    const afterHeader = checksum(wal, at, at + 8, bigEndian, running);
    const sum = checksum(wal, at + FRAME_HEADER, at + frameSize, bigEndian, afterHeader);
    if (sum[0] !== u32(wal, at + 16) || sum[1] !== u32(wal, at + 20)) break;
    if (u32(wal, at) === 0) break;
    running = sum;
    frames += 1;
    const commitSize = u32(wal, at + 4);
    if (commitSize > 0) {
      committedFrames = frames;
      committedSize = commitSize;
      commits += 1;
    }
  }
  const totalFrames = Math.floor(Math.max(0, wal.length - WAL_HEADER) / frameSize);
  if (committedFrames === 0)
    return { ok: true, value: { bytes: database.slice(), commits: 0, frames: 0, ignoredFrames: totalFrames } };

  // Second pass: replay the committed frames in order (later frames of a page win).
  const pages = Math.max(committedSize, 1);
  const out = new Uint8Array(pages * pageSize);
  out.set(database.subarray(0, Math.min(database.length, out.length)));
  for (let i = 0; i < committedFrames; i++) {
    const at = WAL_HEADER + i * frameSize;
    const page = u32(wal, at);
    if (page > pages) continue;
    out.set(wal.subarray(at + FRAME_HEADER, at + frameSize), (page - 1) * pageSize);
  }
  return {
    ok: true,
    value: { bytes: out, commits, frames: committedFrames, ignoredFrames: totalFrames - committedFrames },
  };
}
