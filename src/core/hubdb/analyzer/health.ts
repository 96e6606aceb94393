import { quoteIdentifier, selectAll, selectNumber, tableColumns, type ReadableDb } from '../sqlRows';
import { integerColumn, rowBytesSql, scanHub, type HubScan } from './hubScan';

export interface TableSize {
  table: string;
  rows: number;
  /**
   * Approximate bytes of the table's values (sum of text/blob lengths and 8 per number): sql.js is
   * built without the dbstat table, so page-level sizes are not available.
   */
  approxBytes: number;
}

export type HealthSeverity = 'ok' | 'info' | 'warning' | 'error';

export interface HealthItem {
  label: string;
  value: string;
  severity: HealthSeverity;
}

export interface HealthSummary {
  tables: TableSize[];
  expiredApiTokens: number;
  expiredOAuthCodes: number;
  /** `servers` rows that no spawner or service points at. */
  orphanServers: number;
  /** Spawners whose `server_id` names a missing `servers` row (they still count as running). */
  spawnersWithMissingServer: number;
  /** Spawners whose user row is missing. */
  spawnersWithoutUser: number;
  freePages: number;
  pageSize: number;
  items: HealthItem[];
}

const tableExists = (db: ReadableDb, table: string) =>
  selectNumber(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [table]) > 0;

/**
 * Row counts, sizes and the inconsistencies a hub leaves behind when it crashes mid-way. The big tables
 * (users, spawners, servers) are measured by the analysis' one scan of each (given, or made here).
 */
export function healthSummary(db: ReadableDb, options: { now?: Date; scan?: HubScan } = {}): HealthSummary {
  const now = options.now ?? new Date();
  const scan = options.scan ?? scanHub(db);
  const scanned: Record<string, TableSize> = {
    users: { table: 'users', rows: scan.users.count, approxBytes: scan.users.tableBytes },
    spawners: { table: 'spawners', rows: scan.spawners.count, approxBytes: scan.spawners.tableBytes },
    servers: { table: 'servers', rows: scan.servers.count, approxBytes: scan.servers.tableBytes },
  };
  const tables = selectAll(
    db,
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
  ).map(([name]) => {
    const table = String(name);
    if (Object.prototype.hasOwnProperty.call(scanned, table)) return scanned[table]!;
    const [rows, bytes] = selectAll(
      db,
      `SELECT count(*), ifnull(sum(${rowBytesSql(tableColumns(db, table))}), 0) FROM ${quoteIdentifier(table)}`,
    )[0] ?? [0, 0];
    return { table, rows: Number(rows), approxBytes: Number(bytes) };
  });

  const julianNow = now.getTime() / 86_400_000 + 2440587.5;
  const expiredApiTokens =
    tableExists(db, 'api_tokens') && tableColumns(db, 'api_tokens').includes('expires_at')
      ? selectNumber(
          db,
          `SELECT count(*) FROM api_tokens WHERE expires_at IS NOT NULL AND julianday(expires_at) < ${julianNow}`,
        )
      : 0;
  const expiredOAuthCodes =
    tableExists(db, 'oauth_codes') && tableColumns(db, 'oauth_codes').includes('expires_at')
      ? selectNumber(
          db,
          `SELECT count(*) FROM oauth_codes WHERE expires_at IS NOT NULL AND expires_at < ${Math.floor(now.getTime() / 1000)}`,
        )
      : 0;

  // Servers rows no spawner points at (from the scan), less those a service points at.
  const hasServices = tableExists(db, 'services') && tableColumns(db, 'services').includes('_server_id');
  const ofServices = new Set(hasServices ? integerColumn(db, 'services', '_server_id') : []);
  const orphanServers = scan.servers.unreferencedIds.filter((id) => !ofServices.has(id)).length;
  const spawnersWithMissingServer = scan.spawners.withMissingServer;
  const spawnersWithoutUser = scan.spawners.withoutUser;
  const freePages = selectNumber(db, 'PRAGMA freelist_count');
  const pageSize = selectNumber(db, 'PRAGMA page_size');

  const items: HealthItem[] = [];
  const rowsOf = (t: string) => tables.find((x) => x.table === t)?.rows ?? 0;
  items.push({
    label: 'Users, spawners, running servers',
    value: `${rowsOf('users')} users, ${rowsOf('spawners')} spawners, ${rowsOf('servers')} servers rows`,
    severity: 'info',
  });
  items.push({
    label: 'Expired API tokens',
    value: expiredApiTokens ? `${expiredApiTokens} (JupyterHub purges them periodically; harmless)` : 'none',
    severity: expiredApiTokens > 1000 ? 'warning' : 'ok',
  });
  items.push({
    label: 'Expired OAuth codes',
    value: expiredOAuthCodes ? String(expiredOAuthCodes) : 'none',
    severity: expiredOAuthCodes > 1000 ? 'warning' : 'ok',
  });
  items.push({
    label: 'Servers rows without a spawner or service',
    value: orphanServers
      ? `${orphanServers} (left by a crash; JupyterHub 4.x deletes them at start-up, 5.x ignores them)`
      : 'none',
    severity: orphanServers ? 'warning' : 'ok',
  });
  items.push({
    label: 'Spawners pointing at a missing server',
    value: spawnersWithMissingServer
      ? `${spawnersWithMissingServer} (counted as running by the start-up query; the hub will try to poll them)`
      : 'none',
    severity: spawnersWithMissingServer ? 'error' : 'ok',
  });
  items.push({
    label: 'Spawners without a user',
    value: spawnersWithoutUser ? `${spawnersWithoutUser} (invisible to the hub; safe to ignore)` : 'none',
    severity: spawnersWithoutUser ? 'warning' : 'ok',
  });
  items.push({
    label: 'Free pages',
    value: `${freePages} (page size ${pageSize} bytes)${freePages > 1000 ? '; VACUUM would shrink the file' : ''}`,
    severity: 'info',
  });
  return {
    tables,
    expiredApiTokens,
    expiredOAuthCodes,
    orphanServers,
    spawnersWithMissingServer,
    spawnersWithoutUser,
    freePages,
    pageSize,
    items,
  };
}
