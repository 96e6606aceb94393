import { selectAll, type ReadableDb } from '../sqlRows';
import { userLoads, type UserLoadList } from './dbStats';
import { scanHub, staleWhere, type HubScan } from './hubScan';

/** A user ranked by their part of the 5.0–5.3 start-up join. */
export interface Offender {
  user: string;
  spawners: number;
  running: number;
  namedServers: number;
  /** running × spawners: this user's rows in the 5.0–5.3 main statement. */
  rows: number;
  /** Share of all those rows (0–1). */
  share: number;
}

/** The users who make the join big, largest first (ties: more spawners first, then name). */
export function rankOffenders(perUser: UserLoadList, limit = 20): Offender[] {
  const loads = userLoads(perUser);
  const rows = (i: number) => loads.running(i) * loads.spawners(i);
  let total = 0;
  const candidates: number[] = [];
  for (let i = 0; i < loads.length; i++) {
    total += rows(i);
    if (rows(i) > 0 || loads.namedServers(i) > 0) candidates.push(i);
  }
  return firstInOrder(candidates, limit, (a, b) => {
    const x = loads.name(a);
    const y = loads.name(b);
    return rows(b) - rows(a) || loads.spawners(b) - loads.spawners(a) || (x < y ? -1 : x > y ? 1 : 0);
  }).map((i) => ({
    user: loads.name(i),
    spawners: loads.spawners(i),
    running: loads.running(i),
    namedServers: loads.namedServers(i),
    rows: rows(i),
    share: total > 0 ? rows(i) / total : 0,
  }));
}

/**
 * The first `k` of `items` in the order `compare` gives, sorted, without sorting them all (a million
 * spawners can mean hundreds of thousands of candidates for a list of twenty). `items` is not changed.
 */
export function firstInOrder<T>(items: readonly T[], k: number, compare: (a: T, b: T) => number): T[] {
  const count = Math.max(0, Math.floor(k));
  if (items.length <= count) return [...items].sort(compare);
  if (count === 0) return [];
  const best = items.slice(0, count).sort(compare);
  for (let i = count; i < items.length; i++) {
    const item = items[i]!;
    if (compare(item, best[count - 1]!) >= 0) continue;
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(item, best[mid]!) < 0) hi = mid;
      else lo = mid + 1;
    }
    best.splice(lo, 0, item);
    best.pop();
  }
  return best;
}

/**
 * Text in SQLite's BINARY order (UTF-8 bytes), which is code point order: JavaScript's `<` compares
 * UTF-16 units, which puts characters above U+FFFF before U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** A named server that is not running and has not been used for a while. */
export interface StaleServer {
  user: string;
  server: string;
  /** As stored (UTC, 'YYYY-MM-DD HH:MM:SS.ffffff'); null when never used. */
  lastActivity: string | null;
  /** Whole days since last activity; null when never used. */
  idleDays: number | null;
  /**
   * Set when `user` or `server` is not exactly the text the hub stores (a BLOB, or bytes that are not
   * UTF-8): says why. Nothing may act on such a server by name; the cleanup scripts leave it out.
   */
  inexact?: string;
}

export interface StaleServers {
  /** All stale named servers in the DB. */
  count: number;
  /** Users owning them, with how many each (largest first). */
  byUser: { user: string; stale: number }[];
  /** The servers themselves, oldest first, at most `limit`. */
  servers: StaleServer[];
  days: number;
}

/**
 * Stopped named servers idle for more than `days` (default 30) before `now`: removing them shrinks
 * spawners(u) and so the join, and loses nothing running. Default servers (name '') are never listed:
 * JupyterHub recreates them on the next login anyway.
 */
export function findStaleServers(
  db: ReadableDb,
  options: { days?: number; now?: Date; limit?: number } = {},
  scan?: HubScan,
): StaleServers {
  const days = options.days ?? 30;
  const now = options.now ?? new Date();
  const limit = options.limit ?? 10_000;
  // The count per user comes from the one scan of spawners (given, when it counted the same criteria).
  const counted = scan?.spawners.stale;
  const s =
    scan && counted && counted.criteria.days === days && counted.criteria.now.getTime() === now.getTime()
      ? scan
      : scanHub(db, { stale: { days, now } });
  const count = s.spawners.stale!.count;
  const owners: number[] = [];
  s.perUser.stale.forEach((n, i) => {
    if (n > 0) owners.push(i);
  });
  const { names, nameTypes } = s.users;
  // Largest first, then by name as SQLite orders it (NULL, text, blob), then by id.
  const byUser = firstInOrder(
    owners,
    100,
    (a, b) =>
      s.perUser.stale[b]! - s.perUser.stale[a]! ||
      nameTypes[a]! - nameTypes[b]! ||
      compareCodePoints(names[a]!, names[b]!) ||
      a - b,
  ).map((i) => ({ user: names[i]!, stale: s.perUser.stale[i]! }));

  const nowJulian = now.getTime() / 86_400_000 + 2440587.5;
  // CROSS JOIN keeps spawners as the outer loop (users found by primary key): spawners.user_id has no
  // index, and the other order would scan all spawners once per user.
  // Names are read as hex and decoded here: sql.js reads TEXT only up to a NUL byte and turns bytes that are
  // not UTF-8 into U+FFFD, so reading them directly could name another user's server.
  const rows = Math.max(0, Math.floor(limit));
  const encoding = count === 0 || rows === 0 ? 'utf-8' : databaseEncoding(db);
  const servers =
    count === 0 || rows === 0
      ? []
      : selectAll(
          db,
          `SELECT typeof(u.name), hex(u.name), typeof(s.name), hex(s.name), s.last_activity, ${nowJulian} - julianday(s.last_activity)
             FROM spawners s CROSS JOIN users u ON u.id = s.user_id WHERE ${staleWhere({ days, now }).sql}
            ORDER BY s.last_activity IS NOT NULL, julianday(s.last_activity), u.name, s.name LIMIT ${rows}`,
        ).map(([userType, userHex, serverType, serverHex, last, idle]) => {
          const user = exactName(userType, userHex, encoding);
          const server = exactName(serverType, serverHex, encoding);
          const inexact = [
            user.inexact && `the user name ${user.inexact}`,
            server.inexact && `the server name ${server.inexact}`,
          ]
            .filter(Boolean)
            .join('; ');
          return {
            user: user.text,
            server: server.text,
            lastActivity: last === null ? null : String(last),
            idleDays: idle === null ? null : Math.floor(Number(idle)),
            ...(inexact ? { inexact } : {}),
          };
        });
  return { count, byUser, servers, days };
}

type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** How the file stores text (hex() gives a TEXT value's bytes in this encoding). */
function databaseEncoding(db: ReadableDb): TextEncoding {
  const pragma = String(selectAll(db, 'PRAGMA encoding')[0]?.[0] ?? 'UTF-8').toLowerCase();
  return pragma === 'utf-16le' || pragma === 'utf-16be' ? pragma : 'utf-8';
}

const decoders = new Map<string, TextDecoder>();

/** One decoder per encoding and mode, made once (thousands of names are decoded per analysis). */
function decoder(encoding: TextEncoding, fatal: boolean): TextDecoder {
  const key = `${encoding} ${fatal}`;
  let made = decoders.get(key);
  if (!made) decoders.set(key, (made = new TextDecoder(encoding, { fatal, ignoreBOM: true })));
  return made;
}

const HEX_DIGIT = new Int8Array(128).fill(0);
for (let i = 0; i < 16; i++)
  HEX_DIGIT['0123456789ABCDEF'.charCodeAt(i)] = HEX_DIGIT['0123456789abcdef'.charCodeAt(i)] = i;

/** The bytes of SQLite's hex(): pairs of hex digits (a trailing odd digit is ignored). */
function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = (HEX_DIGIT[hex.charCodeAt(2 * i) & 127]! << 4) | HEX_DIGIT[hex.charCodeAt(2 * i + 1) & 127]!;
  return bytes;
}

/** A name column read from its hex digits: the exact text, or what it shows and why it is not exact. */
function exactName(type: unknown, hex: unknown, encoding: TextEncoding): { text: string; inexact?: string } {
  const bytes = hexBytes(String(hex ?? ''));
  // ignoreBOM keeps a leading U+FEFF: it is part of the name.
  const shown = decoder(type === 'text' ? encoding : 'utf-8', false).decode(bytes);
  if (type === 'null') return { text: '' };
  if (type === 'blob')
    return { text: shown, inexact: 'is stored as a BLOB, not text (the hub cannot find it by name)' };
  if (type !== 'text') return { text: shown, inexact: `is stored as ${String(type)}, not text` };
  try {
    return { text: decoder(encoding, true).decode(bytes) };
  } catch {
    return { text: shown, inexact: `is not valid ${encoding.toUpperCase()}` };
  }
}
