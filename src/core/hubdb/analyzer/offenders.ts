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
  const servers = selectAll(
    db,
    `SELECT u.name, s.name, s.last_activity, ${nowJulian} - julianday(s.last_activity)
       FROM spawners s CROSS JOIN users u ON u.id = s.user_id WHERE ${where}
      ORDER BY s.last_activity IS NOT NULL, julianday(s.last_activity), u.name, s.name LIMIT ${Math.max(0, Math.floor(limit))}`,
  ).map(([user, server, last, idle]) => ({
    user: String(user ?? ''),
    server: String(server ?? ''),
    lastActivity: last === null ? null : String(last),
    idleDays: idle === null ? null : Math.floor(Number(idle)),
  }));
  return { count, byUser, servers, days };
}
