import { quoteIdentifier, selectAll, tableColumns, type SqlCell, type ReadableDb } from '../sqlRows';

/**
 * One read of each big table (users, spawners, servers) for everything the analysis needs per user.
 *
 * A hub DB in trouble holds a million spawners for a few hundred thousand users. Grouping them by user in
 * SQL sorts every spawner (seconds in sql.js), and reading one row per user through sql.js costs about a
 * microsecond per value. So each table is read by a single aggregate statement that returns its per-row
 * facts as a few long texts (`group_concat` of integers, one digit of flags per spawner), and the sums
 * per user are made here in typed arrays, indexed by the user's position. Only integer keys can match a
 * row id, as in SQLite's joins: a spawner whose `user_id` is NULL, text or real belongs to no user.
 */

/** Spawner flag bits, one digit per spawner in scan order. */
const RUNNING = 1;
const NAMED = 2;
const STALE = 4;

/** Which users' rows a per-user position stands for, by id. */
export class IdIndex {
  private readonly dense: Int32Array | null;
  private readonly sparse: Map<number, number> | null;

  constructor(ids: Float64Array) {
    let dense = ids.length > 0;
    let max = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (!(Number.isInteger(id) && id >= 0)) {
        dense = false;
        break;
      }
      if (id > max) max = id;
    }
    // Dense when the ids fit an array at most four times the row count: the usual autoincrement ids.
    if (dense && max <= 4 * ids.length + 1024) {
      const index = new Int32Array(max + 1).fill(-1);
      for (let i = 0; i < ids.length; i++) index[ids[i]!] = i;
      this.dense = index;
      this.sparse = null;
    } else {
      const sparse = new Map<number, number>();
      for (let i = 0; i < ids.length; i++) sparse.set(ids[i]!, i);
      this.dense = null;
      this.sparse = sparse;
    }
  }

  /** The position of `id`, or -1. */
  get(id: number): number {
    if (this.dense) return this.dense[id] ?? -1;
    return this.sparse!.get(id) ?? -1;
  }
}

/**
 * The integers of a `group_concat` over integers (comma-separated), in order; an empty item (a value the
 * statement left out as '' because it is not an integer) is NaN. `count` is how many items the statement
 * aggregated: a text that does not hold exactly that many is an error, never a silent misalignment.
 */
export function integerList(text: SqlCell, count: number): Float64Array {
  const out = new Float64Array(count);
  if (count === 0) return out;
  if (typeof text !== 'string') throw new Error(`expected ${count} integers, got ${typeof text}`);
  let k = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text.charCodeAt(i) !== 44) continue;
    if (k === count) throw new Error(`more than ${count} integers in an aggregate`);
    const digits = i - start;
    if (digits === 0) out[k++] = NaN;
    else if (digits < 16) {
      // Fast path for up to 15 characters: exact in a double.
      let value = 0;
      let j = start;
      const negative = text.charCodeAt(j) === 45;
      if (negative) j++;
      for (; j < i; j++) value = value * 10 + (text.charCodeAt(j) - 48);
      out[k++] = negative ? -value : value;
    } else out[k++] = Number(text.slice(start, i));
    start = i + 1;
  }
  if (k !== count) throw new Error(`expected ${count} integers in an aggregate, got ${k}`);
  return out;
}

/** SQL for "this value as an integer, else ''" (the items of an integer list). */
const integerOrEmpty = (expression: string) => `iif(typeof(${expression}) = 'integer', ${expression}, '')`;

/**
 * Σ of the bytes of the `candidates` that the table has, as SQL (0 when none). octet_length is the UTF-8
 * size SQLite keeps beside each text (length() would count characters, reading every byte of every state
 * JSON); for the ASCII that JupyterHub's columns hold the two are equal.
 */
export const lengthSum = (alias: string, columns: readonly string[], candidates: readonly string[]) => {
  const present = candidates.filter((c) => columns.includes(c));
  return present.length ? present.map((c) => `ifnull(octet_length(${alias}."${c}"), 0)`).join(' + ') : '0';
};

/**
 * Approximate bytes of a row (text/blob lengths, 8 per number), as the health summary measures tables.
 * Numbers sort before any text in SQLite, so `c < ''` is true exactly for integers and reals (NULL for
 * NULL): cheaper than typeof() per column and row, which matters on a million spawners.
 */
export const rowBytesSql = (columns: readonly string[], alias?: string) =>
  columns.length
    ? columns
        .map((c) => {
          const column = alias ? `${alias}.${quoteIdentifier(c)}` : quoteIdentifier(c);
          return `ifnull(iif(${column} < '', 8, octet_length(${column})), 0)`;
        })
        .join(' + ')
    : '0';

export interface StaleCriteria {
  days: number;
  now: Date;
}

/** Julian day number of the stale cutoff, and the SQL that says a spawner (alias `s`) is stale. */
export function staleWhere(criteria: StaleCriteria): { cutoff: number; sql: string } {
  const cutoff = criteria.now.getTime() / 86_400_000 + 2440587.5 - criteria.days;
  return {
    cutoff,
    sql: `s.server_id IS NULL AND ifnull(s.name, '') != ''
    AND (s.last_activity IS NULL OR julianday(s.last_activity) < ${cutoff})`,
  };
}

export interface HubScan {
  tables: Set<string>;
  columns: { users: string[]; spawners: string[]; servers: string[] };
  users: {
    count: number;
    ids: Float64Array;
    index: IdIndex;
    /** Names as the analysis shows them ('' for NULL). */
    names: string[];
    /** SQLite's order of the names' types: 0 NULL, 1 text, 2 blob (ORDER BY name puts them so). */
    nameTypes: Uint8Array;
    /** Bytes of the user's own wide columns (name, cookie_id, state, encrypted_auth_state). */
    bytes: Float64Array;
    /** Health: approximate bytes of the whole table. */
    tableBytes: number;
    authState: { users: number; avg: number; max: number };
  };
  /** Per user position. Byte sums are kept for users with a running server only (0 for the others). */
  perUser: {
    spawners: Int32Array;
    running: Int32Array;
    named: Int32Array;
    /** Stale named servers (when the scan was given stale criteria). */
    stale: Int32Array;
    spawnerBytes: Float64Array;
    runningSpawnerBytes: Float64Array;
    serverBytes: Float64Array;
  };
  spawners: {
    count: number;
    /** Spawners whose user_id names no users row (NULL, not an integer, or a missing id). */
    withoutUser: number;
    /** Running spawners (server_id set) whose server_id names no servers row. */
    withMissingServer: number;
    /** Stale named servers whose user exists, and the criteria they were counted with. */
    stale: { criteria: StaleCriteria; count: number } | null;
    widths: { avgState: number; maxState: number; avgUserOptions: number };
    tableBytes: number;
  };
  servers: {
    count: number;
    /** Servers rows no spawner points at (services are not looked at here). */
    unreferencedIds: number[];
    tableBytes: number;
  };
}

const num = (value: SqlCell | undefined) => (value === null || value === undefined ? 0 : Number(value));

/**
 * Reads users, spawners and servers once each. `stale` adds the stale-server count per user (one date
 * comparison per stopped named server); without it those counts are 0 and `spawners.stale` is null.
 */
export function scanHub(db: ReadableDb, options: { stale?: StaleCriteria } = {}): HubScan {
  const tables = new Set(
    selectAll(db, "SELECT name FROM sqlite_master WHERE type = 'table'").map(([name]) => String(name)),
  );
  const columns = {
    users: tableColumns(db, 'users'),
    spawners: tableColumns(db, 'spawners'),
    servers: tableColumns(db, 'servers'),
  };

  // Users: ids, names (JSON keeps any text intact), their wide columns' bytes.
  const userBytesSql = lengthSum('u', columns.users, ['name', 'cookie_id', 'state', 'encrypted_auth_state']);
  const hasAuth = columns.users.includes('encrypted_auth_state');
  const [userCount, userIds, userNames, userBytes, blobNames, usersWidth, authUsers, authAvg, authMax] = selectAll(
    db,
    `SELECT count(*), group_concat(u.id), json_group_array(iif(typeof(u.name) = 'blob', NULL, u.name)),
            group_concat(${userBytesSql}), count(*) FILTER (WHERE typeof(u.name) = 'blob'),
            ifnull(sum(${rowBytesSql(columns.users, 'u')}), 0),
            ${hasAuth ? 'count(u.encrypted_auth_state), avg(octet_length(u.encrypted_auth_state)), max(octet_length(u.encrypted_auth_state))' : '0, 0, 0'}
       FROM users u`,
  )[0]!;
  const usersN = num(userCount);
  const ids = integerList(userIds!, usersN);
  const index = new IdIndex(ids);
  const nameTypes = new Uint8Array(usersN).fill(1);
  const names = (usersN ? (JSON.parse(String(userNames)) as (string | null)[]) : []).map((n, i) => {
    if (n !== null) return n;
    nameTypes[i] = 0;
    return '';
  });
  if (num(blobNames) > 0)
    // A name stored as a blob (not by JupyterHub): shown as sql.js renders the bytes, like any other read.
    for (const [id, name] of selectAll(db, "SELECT id, name FROM users WHERE typeof(name) = 'blob'")) {
      const i = index.get(Number(id));
      if (i < 0) continue;
      names[i] = String(name);
      nameTypes[i] = 2;
    }
  const bytesOfUser = integerList(userBytes!, usersN);

  // Servers: ids and their wide columns' bytes.
  const serverBytesSql = lengthSum('v', columns.servers, ['proto', 'ip', 'base_url', 'cookie_name']);
  const [serverCount, serverIdText, serverBytesText, serversWidth] = tables.has('servers')
    ? selectAll(
        db,
        `SELECT count(*), group_concat(v.id), group_concat(${serverBytesSql}), ifnull(sum(${rowBytesSql(columns.servers, 'v')}), 0) FROM servers v`,
      )[0]!
    : [0, null, null, 0];
  const serversN = num(serverCount);
  const serverIds = integerList(serverIdText!, serversN);
  const serverIndex = new IdIndex(serverIds);
  const bytesOfServer = integerList(serverBytesText!, serversN);

  // Spawners, one row of facts each, computed once per spawner in a subquery (its LIMIT keeps SQLite from
  // folding it into the aggregate, which would evaluate each shared expression once per use): the user
  // id if it is an integer, one digit of flags, the payload width, the server id of a running one.
  const s = columns.spawners;
  const restColumns = ['name', 'oauth_client_id', 'display_name'];
  const rest = lengthSum('s', s, restColumns);
  // The table's approximate size (see rowBytesSql) adds the text lengths already taken (ls, lo, lr) to the
  // other columns' bytes, and counts JupyterHub's integer columns 8 when set: measured again per column, the
  // size took 0.34 s of the 0.94 s this statement takes on a million spawners; this way, 0.20 s.
  const measured = new Set(['state', 'user_options', ...restColumns]);
  const integers: string[] = s.filter((c) => c === 'id' || c === 'user_id' || c === 'server_id');
  const otherBytes = [
    ...(integers.length ? [`8 * (${integers.map((c) => `(s.${quoteIdentifier(c)} IS NOT NULL)`).join(' + ')})`] : []),
    rowBytesSql(
      s.filter((c) => !measured.has(c) && !integers.includes(c)),
      's',
    ),
  ].join(' + ');
  const stale = options.stale ? staleWhere(options.stale) : null;
  const flags = `${RUNNING} * (s.server_id IS NOT NULL) + ${NAMED} * (ifnull(s.name, '') != '')${
    stale ? ` + CASE WHEN ${stale.sql} THEN ${STALE} ELSE 0 END` : ''
  }`;
  const state = s.includes('state') ? 'octet_length(s.state)' : 'NULL';
  const options_ = s.includes('user_options') ? 'octet_length(s.user_options)' : 'NULL';
  const [
    spawnerCount,
    userIdText,
    flagText,
    widthText,
    runningCount,
    serverText,
    avgState,
    maxState,
    avgOptions,
    spawnersWidth,
  ] = selectAll(
    db,
    `SELECT count(*), group_concat(uid), group_concat(flags, ''), group_concat(ifnull(ls, 0) + ifnull(lo, 0) + lr),
              count(sid), group_concat(sid), avg(ls), max(ls), avg(lo), total(hb) + total(ls) + total(lo) + total(lr)
         FROM (SELECT ${integerOrEmpty('s.user_id')} AS uid, ${flags} AS flags, ${state} AS ls, ${options_} AS lo,
                      ${rest} AS lr, iif(s.server_id IS NULL, NULL, ${integerOrEmpty('s.server_id')}) AS sid,
                      ${otherBytes} AS hb
                 FROM spawners s LIMIT -1)`,
  )[0]!;
  const rows = num(spawnerCount);
  const owners = integerList(userIdText!, rows);
  const widths = integerList(widthText!, rows);
  const runningServers = integerList(serverText!, num(runningCount));
  if (rows > 0 && (typeof flagText !== 'string' || flagText.length !== rows))
    throw new Error(`expected ${rows} spawner flags, got ${typeof flagText === 'string' ? flagText.length : 0}`);
  const flagCodes = rows > 0 ? String(flagText) : '';

  const perUser = {
    spawners: new Int32Array(usersN),
    running: new Int32Array(usersN),
    named: new Int32Array(usersN),
    stale: new Int32Array(usersN),
    spawnerBytes: new Float64Array(usersN),
    runningSpawnerBytes: new Float64Array(usersN),
    serverBytes: new Float64Array(usersN),
  };
  const owner = new Int32Array(rows);
  let matched = 0;
  let staleCount = 0;
  for (let r = 0; r < rows; r++) {
    const u = Number.isNaN(owners[r]!) ? -1 : index.get(owners[r]!);
    owner[r] = u;
    if (u < 0) continue;
    matched++;
    const f = flagCodes.charCodeAt(r) - 48;
    perUser.spawners[u]!++;
    if (f & RUNNING) perUser.running[u]!++;
    if (f & NAMED) perUser.named[u]!++;
    if (f & STALE) {
      perUser.stale[u]!++;
      staleCount++;
    }
  }
  // Bytes only matter for users with a running server (every payload term has a running factor).
  let withMissingServer = 0;
  let k = 0;
  const referenced = new Uint8Array(serversN);
  for (let r = 0; r < rows; r++) {
    const f = flagCodes.charCodeAt(r) - 48;
    if (!(f & RUNNING)) {
      const u = owner[r]!;
      if (u >= 0 && perUser.running[u]! > 0) perUser.spawnerBytes[u]! += widths[r]!;
      continue;
    }
    const id = runningServers[k++]!;
    const server = Number.isNaN(id) ? -1 : serverIndex.get(id);
    if (server < 0) withMissingServer++;
    else referenced[server] = 1;
    const u = owner[r]!;
    if (u < 0) continue;
    perUser.spawnerBytes[u]! += widths[r]!;
    perUser.runningSpawnerBytes[u]! += widths[r]!;
    if (server >= 0) perUser.serverBytes[u]! += bytesOfServer[server]!;
  }
  const unreferencedIds: number[] = [];
  referenced.forEach((seen, i) => {
    if (!seen) unreferencedIds.push(serverIds[i]!);
  });

  return {
    tables,
    columns,
    users: {
      count: usersN,
      ids,
      index,
      names,
      nameTypes,
      bytes: bytesOfUser,
      tableBytes: num(usersWidth),
      authState: { users: num(authUsers), avg: num(authAvg), max: num(authMax) },
    },
    perUser,
    spawners: {
      count: num(spawnerCount),
      withoutUser: num(spawnerCount) - matched,
      withMissingServer,
      stale: options.stale ? { criteria: options.stale, count: staleCount } : null,
      widths: { avgState: num(avgState), maxState: num(maxState), avgUserOptions: num(avgOptions) },
      tableBytes: num(spawnersWidth),
    },
    servers: { count: serversN, unreferencedIds, tableBytes: num(serversWidth) },
  };
}

/** The integers of one column of a table (non-integers as NaN), read in one statement. */
export function integerColumn(db: ReadableDb, table: string, column: string): Float64Array {
  const [count, text] = selectAll(
    db,
    `SELECT count(*), group_concat(${integerOrEmpty(quoteIdentifier(column))}) FROM ${quoteIdentifier(table)}`,
  )[0]!;
  return integerList(text!, num(count));
}
