import type { Database } from '../sqlJs';
import { selectAll, selectNumber } from '../sqlRows';
import type { UserLoad } from './dbStats';

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
export function rankOffenders(perUser: readonly UserLoad[], limit = 20): Offender[] {
  const total = perUser.reduce((sum, u) => sum + u.running * u.spawners, 0);
  return perUser
    .map((u) => ({
      user: u.name,
      spawners: u.spawners,
      running: u.running,
      namedServers: u.namedServers,
      rows: u.running * u.spawners,
      share: total > 0 ? (u.running * u.spawners) / total : 0,
    }))
    .filter((o) => o.rows > 0 || o.namedServers > 0)
    .sort((a, b) => b.rows - a.rows || b.spawners - a.spawners || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0))
    .slice(0, limit);
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
  db: Database,
  options: { days?: number; now?: Date; limit?: number } = {},
): StaleServers {
  const days = options.days ?? 30;
  const now = options.now ?? new Date();
  const limit = options.limit ?? 10_000;
  const cutoff = now.getTime() / 86_400_000 + 2440587.5 - days; // Julian day number of the cutoff
  const nowJulian = now.getTime() / 86_400_000 + 2440587.5;
  // CROSS JOIN keeps spawners as the outer loop (users found by primary key): spawners.user_id has no
  // index, and the other order would scan all spawners once per user.
  const where = `s.server_id IS NULL AND ifnull(s.name, '') != ''
    AND (s.last_activity IS NULL OR julianday(s.last_activity) < ${cutoff})`;
  const count = selectNumber(
    db,
    `SELECT count(*) FROM spawners s CROSS JOIN users u ON u.id = s.user_id WHERE ${where}`,
  );
  const byUser = selectAll(
    db,
    `SELECT u.name, count(*) AS n FROM spawners s CROSS JOIN users u ON u.id = s.user_id WHERE ${where} GROUP BY u.id ORDER BY n DESC, u.name LIMIT 100`,
  ).map(([user, stale]) => ({ user: String(user ?? ''), stale: Number(stale) }));
  // Names are read as hex and decoded here: sql.js reads TEXT only up to a NUL byte and turns bytes that are
  // not UTF-8 into U+FFFD, so reading them directly could name another user's server.
  const encoding = databaseEncoding(db);
  const servers = selectAll(
    db,
    `SELECT typeof(u.name), hex(u.name), typeof(s.name), hex(s.name), s.last_activity, ${nowJulian} - julianday(s.last_activity)
       FROM spawners s CROSS JOIN users u ON u.id = s.user_id WHERE ${where}
      ORDER BY s.last_activity IS NOT NULL, julianday(s.last_activity), u.name, s.name LIMIT ${Math.max(0, Math.floor(limit))}`,
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
function databaseEncoding(db: Database): TextEncoding {
  const pragma = String(selectAll(db, 'PRAGMA encoding')[0]?.[0] ?? 'UTF-8').toLowerCase();
  return pragma === 'utf-16le' || pragma === 'utf-16be' ? pragma : 'utf-8';
}

/** A name column read from its hex digits: the exact text, or what it shows and why it is not exact. */
function exactName(type: unknown, hex: unknown, encoding: TextEncoding): { text: string; inexact?: string } {
  const bytes = Uint8Array.from(String(hex ?? '').match(/../g) ?? [], (h) => Number.parseInt(h, 16));
  // ignoreBOM keeps a leading U+FEFF: it is part of the name.
  const shown = new TextDecoder(type === 'text' ? encoding : 'utf-8', { ignoreBOM: true }).decode(bytes);
  if (type === 'null') return { text: '' };
  if (type === 'blob')
    return { text: shown, inexact: 'is stored as a BLOB, not text (the hub cannot find it by name)' };
  if (type !== 'text') return { text: shown, inexact: `is stored as ${String(type)}, not text` };
  try {
    return { text: new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { text: shown, inexact: `is not valid ${encoding.toUpperCase()}` };
  }
}
