import { tableColumns, type ReadableDb } from '../sqlRows';
import { integerColumn, scanHub, type HubScan } from './hubScan';

/**
 * What the start-up model needs from a hub DB, gathered with O(N) reads only: one pass over users, one
 * over spawners, one over servers (hubScan.ts), and the small role/group maps. The O(N²) join itself is
 * never run; its row count and payload are computed in closed form from per-user counts:
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

/**
 * Users' loads as columns: a million spawners make hundreds of thousands of users, and an object for each
 * costs more than the analysis that reads them. `at(i)` makes one user's object when it is wanted.
 */
export interface UserLoads {
  readonly length: number;
  spawners(i: number): number;
  running(i: number): number;
  namedServers(i: number): number;
  name(i: number): string;
  at(i: number): UserLoad;
}

/** What the ranking and the advice read users' loads from: objects, or the analysis' columns. */
export type UserLoadList = readonly UserLoad[] | UserLoads;

export function userLoads(list: UserLoadList): UserLoads {
  if (!Array.isArray(list)) return list as UserLoads;
  const users = list as readonly UserLoad[];
  return {
    length: users.length,
    spawners: (i) => users[i]!.spawners,
    running: (i) => users[i]!.running,
    namedServers: (i) => users[i]!.namedServers,
    name: (i) => users[i]!.name,
    at: (i) => users[i]!,
  };
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
  perUser: UserLoads;
  /** Spawners whose user row is missing (JupyterHub's joins skip them). */
  spawnersWithoutUser: number;
}

/**
 * The start-up statistics from one read of each big table (see hubScan.ts), or from a scan the caller
 * already made (the analysis shares one between the statistics, the stale servers and the health summary).
 */
export function gatherStartupStats(db: ReadableDb, scan: HubScan = scanHub(db)): GatheredStats {
  const { users, perUser: load } = scan;
  const withRunning = new Uint8Array(users.count);
  const positions = new Int32Array(users.count);
  let count = 0;
  let running = 0;
  let sum = 0;
  let lists = 0;
  let usersWithRunning = 0;
  const payload: StartupPayload = { join: 0, eager: 0, runningSpawners: 0, runningUsers: 0, spawnerLists: 0 };
  for (let i = 0; i < users.count; i++) {
    const spawners = load.spawners[i]!;
    if (spawners === 0) continue;
    positions[count++] = i;
    const r = load.running[i]!;
    const userBytes = users.bytes[i]!;
    const spawnerBytes = load.spawnerBytes[i]!;
    const serverBytes = load.serverBytes[i]!;
    running += r;
    sum += r * spawners;
    const runningPart = load.runningSpawnerBytes[i]! + serverBytes;
    payload.join += r * spawners * userBytes + spawners * runningPart + r * (spawnerBytes + serverBytes);
    payload.eager += r * userBytes + runningPart;
    payload.runningSpawners += runningPart;
    if (r > 0) {
      withRunning[i] = 1;
      usersWithRunning++;
      lists += spawners;
      payload.runningUsers += userBytes;
      payload.spawnerLists += spawnerBytes + serverBytes;
    }
  }
  const at = (k: number) => positions[k]!;
  const perUser: UserLoads = {
    length: count,
    spawners: (k) => load.spawners[at(k)]!,
    running: (k) => load.running[at(k)]!,
    namedServers: (k) => load.named[at(k)]!,
    name: (k) => users.names[at(k)]!,
    at: (k) => {
      const i = at(k);
      return {
        id: users.ids[i]!,
        name: users.names[i]!,
        spawners: load.spawners[i]!,
        running: load.running[i]!,
        namedServers: load.named[i]!,
        userBytes: users.bytes[i]!,
        spawnerBytes: load.spawnerBytes[i]!,
        runningSpawnerBytes: load.runningSpawnerBytes[i]!,
        serverBytes: load.serverBytes[i]!,
      };
    },
  };

  // The selectin loads of User.roles, User.groups, User.shared_with_me, Group.roles, Group.shared_with_me,
  // counted from each map's integer keys (read in one statement per column).
  const isLoadedUser = (id: number) => {
    const i = users.index.get(id);
    return i >= 0 && withRunning[i] === 1;
  };
  let sideRows = 0;
  const loadedGroups = new Set<number>();
  const has = (table: string) => scan.tables.has(table);
  if (has('user_role_map'))
    for (const id of integerColumn(db, 'user_role_map', 'user_id')) if (isLoadedUser(id)) sideRows++;
  if (has('user_group_map')) {
    const userIds = integerColumn(db, 'user_group_map', 'user_id');
    const groupIds = integerColumn(db, 'user_group_map', 'group_id');
    userIds.forEach((id, i) => {
      if (!isLoadedUser(id)) return;
      sideRows++;
      if (!Number.isNaN(groupIds[i]!)) loadedGroups.add(groupIds[i]!);
    });
  }
  if (has('group_role_map'))
    for (const id of integerColumn(db, 'group_role_map', 'group_id')) if (loadedGroups.has(id)) sideRows++;
  if (has('shares') && tableColumns(db, 'shares').includes('group_id')) {
    const userIds = integerColumn(db, 'shares', 'user_id');
    const groupIds = integerColumn(db, 'shares', 'group_id');
    userIds.forEach((id, i) => {
      if (isLoadedUser(id) || loadedGroups.has(groupIds[i]!)) sideRows++;
    });
  }

  const widths = scan.spawners.widths;
  return {
    startup: {
      users: users.count,
      spawners: scan.spawners.count,
      servers: scan.servers.count,
      running,
      usersWithRunning,
      sumRunningTimesSpawners: sum,
      spawnersOfUsersWithRunning: lists,
      sideRows,
      loadedGroups: loadedGroups.size,
      columns: {
        users: scan.columns.users.length,
        spawners: scan.columns.spawners.length,
        servers: scan.columns.servers.length,
      },
      payload,
    },
    widths: {
      avgSpawnerState: widths.avgState,
      maxSpawnerState: widths.maxState,
      avgUserOptions: widths.avgUserOptions,
      usersWithAuthState: users.authState.users,
      avgAuthState: users.authState.avg,
      maxAuthState: users.authState.max,
    },
    perUser,
    spawnersWithoutUser: scan.spawners.withoutUser,
  };
}
