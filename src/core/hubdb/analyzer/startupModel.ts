import {
  CPU_DICT_ENTRY,
  CPU_EAGER_ROW,
  CPU_LAZY_STATEMENT,
  CPU_LINEAR_ROW,
  HUB_BASELINE_BYTES,
  joinSeconds,
  rowsBytes,
  selectinStatements,
} from './costModel';
import type { StartupStats } from './dbStats';
import { familyById, type VersionFamily, type VersionFamilyId } from './versionFamilies';

/** What `init_spawners` costs on this DB under one version family. JSON-serialisable. */
export interface StartupEstimate {
  family: VersionFamilyId;
  /** Release range, e.g. '5.0.0-5.3.0'. */
  jupyterhub: string;
  form: string;
  quadratic: boolean;
  /** Rows of the main statement. */
  rows: number;
  /** Rows of every statement (main plus the selectin / lazy loads). */
  totalRows: number;
  statements: number;
  /** Memory the start-up query adds at its peak. */
  queryPeakBytes: number;
  /** The hub process at that peak: HUB_BASELINE_BYTES + queryPeakBytes. */
  peakBytes: number;
  /** CPU seconds of the start-up query (the hub is single-threaded: roughly wall time too). */
  seconds: number;
}

/**
 * The start-up cost of one version family from the DB's O(N) statistics. Row and statement counts are
 * exact for JupyterHub's statements (the unit tests run the real SQL on small DBs and count); memory
 * and CPU follow costModel.ts.
 */
export function startupModel(familyOrId: VersionFamily | VersionFamilyId, stats: StartupStats): StartupEstimate {
  const family = typeof familyOrId === 'string' ? familyById(familyOrId) : familyOrId;
  const { running, usersWithRunning: uwr, sumRunningTimesSpawners: sum, spawnersOfUsersWithRunning: lists } = stats;
  const { users: u, spawners: sp, servers: sv } = stats.columns;
  const p = stats.payload;
  const side = stats.sideRows;
  // Selectin loads of User.roles/groups/shared_with_me per chunk of users, Group.roles/shared_with_me per chunk of groups.
  const userSelectins = uwr > 0 ? 3 * selectinStatements(uwr) : 0;
  const groupSelectins = stats.loadedGroups > 0 ? 2 * selectinStatements(stats.loadedGroups) : 0;
  const sideBytes = rowsBytes(side, 6, 0);

  let rows: number;
  let totalRows: number;
  let statements: number;
  let queryPeakBytes: number;
  let seconds: number;
  switch (family.id) {
    case '4.x':
      // One query for all servers rows, then per server its spawner, per user the user and its spawner
      // list. In a healthy DB servers = running; orphan and service servers add a row and a lookup each.
      rows = stats.servers;
      totalRows = stats.servers + running + uwr + lists;
      statements = 1 + stats.servers + 2 * uwr;
      queryPeakBytes =
        rowsBytes(running, sp + sv, p.runningSpawners) +
        rowsBytes(uwr, u, p.runningUsers) +
        rowsBytes(lists, sp, p.spawnerLists);
      seconds = (totalRows * CPU_LINEAR_ROW + statements * CPU_LAZY_STATEMENT) / 1e6;
      break;
    case '5.0-5.3':
      rows = sum;
      totalRows = sum + side;
      statements = 1 + userSelectins + groupSelectins;
      queryPeakBytes = rowsBytes(sum, u + 2 * sp + 2 * sv, p.join) + sideBytes;
      seconds = joinSeconds(sum) + (side * CPU_LINEAR_ROW) / 1e6;
      break;
    case '5.4.0-5.4.2':
      // Measured: the main join plus one more statement of one row per running server.
      rows = running;
      totalRows = 2 * running + side;
      statements = running > 0 ? 3 + userSelectins + groupSelectins : 1;
      queryPeakBytes =
        rowsBytes(running, u + sp + sv, p.eager) + rowsBytes(running, sp + sv, p.runningSpawners) + sideBytes;
      seconds = (totalRows * CPU_EAGER_ROW) / 1e6;
      break;
    case '5.4.3+':
    case '6.x':
      rows = running;
      totalRows = running + uwr + lists + side;
      statements = running > 0 ? 1 + 2 * selectinStatements(uwr) + userSelectins + groupSelectins : 1;
      queryPeakBytes =
        rowsBytes(running, sp + sv, p.runningSpawners) +
        rowsBytes(uwr, u, p.runningUsers) +
        rowsBytes(lists, 1 + sp + sv, p.spawnerLists) +
        sideBytes;
      seconds = (totalRows * CPU_LINEAR_ROW + sum * CPU_DICT_ENTRY) / 1e6;
      break;
  }
  return {
    family: family.id,
    jupyterhub: family.jupyterhub,
    form: family.form,
    quadratic: family.quadratic,
    rows,
    totalRows,
    statements,
    queryPeakBytes: Math.round(queryPeakBytes),
    peakBytes: Math.round(HUB_BASELINE_BYTES + queryPeakBytes),
    seconds: Math.round(seconds * 1000) / 1000,
  };
}
