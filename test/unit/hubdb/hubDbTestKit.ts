/** Shared by the hub DB tests: open builder output, and run JupyterHub's real start-up SQL to count rows. */
import assert from 'node:assert/strict';
import { analyzeHubDb, openHubDb, type HubDbAnalysis, type OpenedDb } from '../../../src/core/hubdb';
import { schemaColumns, startupStatements, withKeys } from '../../../src/core/hubdb/analyzer/startupSql';
import type { VersionFamilyId } from '../../../src/core/hubdb/analyzer/versionFamilies';
import { selectAll } from '../../../src/core/hubdb/sqlRows';
import type { Database } from '../../../src/core/hubdb/sqlJs';
import { buildCalibrationDb, buildHubDb, DEFAULT_NOW, type HubDbSpec } from '../../builders/hubDb';

export async function openBuilt(spec: HubDbSpec): Promise<OpenedDb> {
  const opened = await openHubDb(await buildHubDb(spec));
  if (!opened.ok) assert.fail(opened.error.userMessage);
  return opened.value;
}

/** Opens the built DB for `use`, and closes it afterwards whatever happens. */
export async function withBuilt<T>(spec: HubDbSpec, use: (opened: OpenedDb) => T | Promise<T>): Promise<T> {
  const opened = await openBuilt(spec);
  try {
    return await use(opened);
  } finally {
    opened.close();
  }
}

export async function openBytes(bytes: Uint8Array): Promise<OpenedDb> {
  const opened = await openHubDb(bytes);
  if (!opened.ok) assert.fail(opened.error.userMessage);
  return opened.value;
}

/**
 * The analyzer's real result on an incident-shaped DB (one stress user with `stressServers` named servers,
 * `stressRunning` of them running) for JupyterHub 5.3.0 under a 2 GiB limit, at the builders' clock.
 */
export async function analyzeCalibrationDb(shape: {
  stressServers: number;
  stressRunning: number;
}): Promise<HubDbAnalysis> {
  const opened = await openBytes(await buildCalibrationDb(shape));
  try {
    const result = analyzeHubDb(opened, {
      jupyterhubVersion: '5.3.0',
      memoryLimitBytes: 2 * 2 ** 30,
      now: DEFAULT_NOW,
    });
    if (!result.ok) assert.fail(result.error.userMessage);
    return result.value;
  } finally {
    opened.close();
  }
}

/** Steps through every row of a statement (really runs it) and counts them. */
export function countRows(db: Database, sql: string): number {
  const statement = db.prepare(sql);
  let rows = 0;
  try {
    while (statement.step()) rows += 1;
  } finally {
    statement.free();
  }
  return rows;
}

const ids = (db: Database, sql: string) => selectAll(db, sql).map((r) => Number(r[0]));
const chunks = (keys: number[], size = 500) =>
  Array.from({ length: Math.ceil(keys.length / size) }, (_, i) => keys.slice(i * size, (i + 1) * size));

/**
 * What JupyterHub's start-up statements of one family return on this DB, by running them: selectin
 * loads once per chunk of 500 keys (none when there are no keys), lazy loads once per key.
 */
export function runStartupSql(
  db: Database,
  family: VersionFamilyId,
): { mainRows: number; totalRows: number; statements: number } {
  const runningUsers = ids(
    db,
    'SELECT DISTINCT s.user_id FROM spawners s JOIN users u ON u.id = s.user_id WHERE s.server_id IS NOT NULL ORDER BY 1',
  );
  const loadedGroups = runningUsers.length
    ? ids(db, `SELECT DISTINCT group_id FROM user_group_map WHERE user_id IN (${runningUsers.join(',')}) ORDER BY 1`)
    : [];
  const servers = ids(db, 'SELECT id FROM servers ORDER BY 1');
  let mainRows = -1;
  let totalRows = 0;
  let statements = 0;
  for (const statement of startupStatements(family, schemaColumns(db))) {
    let runs: string[];
    switch (statement.keys) {
      case undefined:
        runs = [statement.sql];
        break;
      case 'running-users':
        runs = chunks(runningUsers).map((k) => withKeys(statement, k));
        break;
      case 'loaded-groups':
        runs = chunks(loadedGroups).map((k) => withKeys(statement, k));
        break;
      case 'each-server':
        runs = servers.map((k) => withKeys(statement, [k]));
        break;
      case 'each-running-user':
        runs = runningUsers.map((k) => withKeys(statement, [k]));
        break;
    }
    for (const sql of runs) {
      let rows: number;
      try {
        rows = countRows(db, sql);
      } catch (error) {
        // A pre-5.0 DB has no shares table until --upgrade-db creates it empty: the statement still runs.
        if (!/no such table: shares/.test(String(error))) throw error;
        rows = 0;
      }
      if (mainRows < 0) mainRows = rows;
      totalRows += rows;
      statements += 1;
    }
  }
  return { mainRows, totalRows, statements };
}
