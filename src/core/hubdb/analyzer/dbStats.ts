import type { Database } from '../sqlJs';
import { selectAll, selectNumber, tableColumns } from '../sqlRows';

/**
 * What the start-up model needs from a hub DB, gathered with O(N) reads only: one pass over users, one
 * GROUP BY over spawners, one over the running spawners, and the small role/group maps. The O(N²) join
 * itself is never run; its row count and payload are computed in closed form from per-user counts:
 *
 *   rows(5.0–5.3) = Σ_u running(u) × spawners(u)
 *
 * because every running spawner of u is joined with every spawner of u.
 */

/** Per user, what drives the start-up cost. */
export interface UserLoad {
  id: number;
  name: string;
  spawners: number;
  running: number;
  namedServers: number;
  /** Bytes of the user's own wide columns (name, cookie_id, state, encrypted_auth_state). */
  userBytes: number;
  /**
   * Bytes of the wide columns of all the user's spawners, of the running ones, and of their servers
   * (measured for users with a running server only: the others carry no start-up rows; 0 for them).
   */
  spawnerBytes: number;
  runningSpawnerBytes: number;
  serverBytes: number;
}

/** Payload bytes (text and blob lengths) the start-up statements carry, by statement shape. */
export interface StartupPayload {
  /** 5.0–5.3 main join: Σ_u R·S·W_u + S·(B_u + C_u) + R·(A_u + C_u). */
  join: number;
  /** 5.4.0–5.4.2 main: one row per running spawner with its user and server. */
  eager: number;
  /** Running spawners and their servers (5.4.3+ main statement; 4.x per-server loads). */
  runningSpawners: number;
  /** The user rows of users with a running server. */
  runningUsers: number;
  /** All spawners (and servers) of users with a running server (selectin / lazy spawner lists). */
  spawnerLists: number;
}

export interface StartupStats {
  users: number;
  spawners: number;
  servers: number;
  /** Spawners with `server_id` set (what JupyterHub's WHERE clause selects). */
  running: number;
  usersWithRunning: number;
  /** Σ_u running(u) × spawners(u): the 5.0–5.3 main statement's rows. */
  sumRunningTimesSpawners: number;
  /** Spawners owned by users with a running server (the selectin / lazy spawner lists). */
  spawnersOfUsersWithRunning: number;
  /** Rows of the small selectin loads (roles, groups, shares) for the loaded users and groups. */
  sideRows: number;
  /** Groups those users belong to (their roles and shares are loaded too). */
  loadedGroups: number;
  /** Columns of each table, as the start-up statements select them. */
  columns: { users: number; spawners: number; servers: number };
  payload: StartupPayload;
}

export interface ColumnWidths {
  avgSpawnerState: number;
  maxSpawnerState: number;
  avgUserOptions: number;
  usersWithAuthState: number;
  avgAuthState: number;
  maxAuthState: number;
}

export interface GatheredStats {
  startup: StartupStats;
  widths: ColumnWidths;
  /** Users with at least one spawner, in id order. Internal: large, not part of the analysis JSON. */
  perUser: UserLoad[];
  /** Spawners whose user row is missing (JupyterHub's joins skip them). */
  spawnersWithoutUser: number;
}

const lengthSum = (alias: string, columns: string[], candidates: string[]) => {
  const present = candidates.filter((c) => columns.includes(c));
  return present.length ? present.map((c) => `ifnull(length(${alias}."${c}"), 0)`).join(' + ') : '0';
};

export function gatherStartupStats(db: Database): GatheredStats {
  const userColumns = tableColumns(db, 'users');
  const spawnerColumns = tableColumns(db, 'spawners');
  const serverColumns = tableColumns(db, 'servers');
  const has = (table: string) =>
    selectNumber(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [table]) > 0;

  const users = new Map<number, UserLoad>();
  for (const [id, name, bytes] of selectAll(
    db,
    `SELECT u.id, u.name, ${lengthSum('u', userColumns, ['name', 'cookie_id', 'state', 'encrypted_auth_state'])} FROM users u`,
  ))
    users.set(Number(id), {
      id: Number(id),
      name: name === null ? '' : String(name),
      spawners: 0,
      running: 0,
      namedServers: 0,
      userBytes: Number(bytes),
      spawnerBytes: 0,
      runningSpawnerBytes: 0,
      serverBytes: 0,
    });

  const spawnerWidth = lengthSum('s', spawnerColumns, [
    'state',
    'name',
    'user_options',
    'oauth_client_id',
    'display_name',
  ]);
  let spawnersWithoutUser = 0;
  // Counts per user: the GROUP BY sorts only the key and two small columns.
  for (const [userId, count, running, named] of selectAll(
    db,
    `SELECT s.user_id, count(*), sum(s.server_id IS NOT NULL), sum(ifnull(s.name, '') != '')
       FROM spawners s GROUP BY s.user_id`,
  )) {
    const user = userId === null ? undefined : users.get(Number(userId));
    if (!user) {
      spawnersWithoutUser += Number(count);
      continue;
    }
    user.spawners = Number(count);
    user.running = Number(running);
    user.namedServers = Number(named);
  }
  // Widths matter only for users with a running server (every payload term has a running factor):
  // computing them first in a materialised table keeps the wide state text out of the sort.
  for (const [userId, all, runningBytes] of selectAll(
    db,
    `WITH r AS MATERIALIZED (SELECT DISTINCT user_id FROM spawners WHERE server_id IS NOT NULL),
          w AS MATERIALIZED (SELECT s.user_id AS user_id, s.server_id IS NOT NULL AS running, ${spawnerWidth} AS bytes
                               FROM spawners s WHERE s.user_id IN r)
     SELECT user_id, sum(bytes), sum(running * bytes) FROM w GROUP BY user_id`,
  )) {
    const user = userId === null ? undefined : users.get(Number(userId));
    if (!user) continue;
    user.spawnerBytes = Number(all);
    user.runningSpawnerBytes = Number(runningBytes);
  }

  // Server widths joined in memory: a SQL join here could pick a plan that scans spawners per server.
  const serverBytes = new Map<number, number>();
  for (const [id, bytes] of selectAll(
    db,
    `SELECT v.id, ${lengthSum('v', serverColumns, ['proto', 'ip', 'base_url', 'cookie_name'])} FROM servers v`,
  ))
    serverBytes.set(Number(id), Number(bytes));
  for (const [userId, serverId] of selectAll(
    db,
    'SELECT user_id, server_id FROM spawners WHERE server_id IS NOT NULL',
  )) {
    const user = userId === null ? undefined : users.get(Number(userId));
    if (user) user.serverBytes += serverBytes.get(Number(serverId)) ?? 0;
  }

  const perUser = [...users.values()].filter((u) => u.spawners > 0);
  const withRunning = new Set(perUser.filter((u) => u.running > 0).map((u) => u.id));

  let running = 0;
  let sum = 0;
  let lists = 0;
  const payload: StartupPayload = { join: 0, eager: 0, runningSpawners: 0, runningUsers: 0, spawnerLists: 0 };
  for (const u of perUser) {
    running += u.running;
    sum += u.running * u.spawners;
    const runningPart = u.runningSpawnerBytes + u.serverBytes;
    payload.join +=
      u.running * u.spawners * u.userBytes + u.spawners * runningPart + u.running * (u.spawnerBytes + u.serverBytes);
    payload.eager += u.running * u.userBytes + runningPart;
    payload.runningSpawners += runningPart;
    if (u.running > 0) {
      lists += u.spawners;
      payload.runningUsers += u.userBytes;
      payload.spawnerLists += u.spawnerBytes + u.serverBytes;
    }
  }

  // The selectin loads of User.roles, User.groups, User.shared_with_me, Group.roles, Group.shared_with_me.
  let sideRows = 0;
  const loadedGroups = new Set<number>();
  if (has('user_role_map'))
    for (const [userId, count] of selectAll(db, 'SELECT user_id, count(*) FROM user_role_map GROUP BY user_id'))
      if (withRunning.has(Number(userId))) sideRows += Number(count);
  if (has('user_group_map'))
    for (const [userId, groupId] of selectAll(db, 'SELECT user_id, group_id FROM user_group_map'))
      if (withRunning.has(Number(userId))) {
        sideRows += 1;
        loadedGroups.add(Number(groupId));
      }
  if (has('group_role_map'))
    for (const [groupId, count] of selectAll(db, 'SELECT group_id, count(*) FROM group_role_map GROUP BY group_id'))
      if (loadedGroups.has(Number(groupId))) sideRows += Number(count);
  if (has('shares') && tableColumns(db, 'shares').includes('group_id'))
    for (const [userId, groupId] of selectAll(db, 'SELECT user_id, group_id FROM shares'))
      if (withRunning.has(Number(userId)) || loadedGroups.has(Number(groupId))) sideRows += 1;

  const stat = (sql: string) => selectAll(db, sql)[0] ?? [];
  const [avgState, maxState, avgOptions] = spawnerColumns.includes('state')
    ? stat(
        `SELECT avg(length(state)), max(length(state)), ${spawnerColumns.includes('user_options') ? 'avg(length(user_options))' : '0'} FROM spawners`,
      )
    : [0, 0, 0];
  const [authUsers, avgAuth, maxAuth] = userColumns.includes('encrypted_auth_state')
    ? stat(
        'SELECT count(encrypted_auth_state), avg(length(encrypted_auth_state)), max(length(encrypted_auth_state)) FROM users',
      )
    : [0, 0, 0];

  return {
    startup: {
      users: users.size,
      spawners: selectNumber(db, 'SELECT count(*) FROM spawners'),
      servers: serverBytes.size,
      running,
      usersWithRunning: withRunning.size,
      sumRunningTimesSpawners: sum,
      spawnersOfUsersWithRunning: lists,
      sideRows,
      loadedGroups: loadedGroups.size,
      columns: { users: userColumns.length, spawners: spawnerColumns.length, servers: serverColumns.length },
      payload,
    },
    widths: {
      avgSpawnerState: Number(avgState ?? 0),
      maxSpawnerState: Number(maxState ?? 0),
      avgUserOptions: Number(avgOptions ?? 0),
      usersWithAuthState: Number(authUsers ?? 0),
      avgAuthState: Number(avgAuth ?? 0),
      maxAuthState: Number(maxAuth ?? 0),
    },
    perUser,
    spawnersWithoutUser,
  };
}
