import { err, messageOf, ok, type Result, UserError } from '../../result';
import { classifyHubSchema, type HubSchemaInfo } from '../hubSchema';
import type { OpenedDb } from '../openHubDb';
import type { ReadableDb } from '../sqlRows';
import { BYTES_PER_CELL, HUB_BASELINE_BYTES, PAYLOAD_FACTOR, TIGHT_FRACTION } from './costModel';
import { gatherStartupStats, type ColumnWidths } from './dbStats';
import { healthSummary, type HealthSummary } from './health';
import { scanHub } from './hubScan';
import { findStaleServers, rankOffenders, type Offender, type StaleServers } from './offenders';
import { explainQueryPlan, type PlanNode } from './queryPlan';
import { remediationPlan, type RemediationPlan } from './remediation';
import { schemaColumns, startupStatements } from './startupSql';
import { startupModel, type StartupEstimate } from './startupModel';
import { verdictFor, type Verdict } from './verdict';
import {
  VERSION_FAMILIES,
  familyById,
  familyForVersion,
  worstFamilyForSchema,
  type VersionFamilyId,
} from './versionFamilies';

export interface AnalyzeOptions {
  /** The JupyterHub the hub runs ('5.3.0'); omitted: the slowest family the schema allows is assumed. */
  jupyterhubVersion?: string;
  /** The hub pod's memory limit in bytes; omitted or null: unknown. */
  memoryLimitBytes?: number | null;
  /** "Now" for idle days and expiry (default: the clock); pass the snapshot time for reproducible reports. */
  now?: Date;
  /** Named servers idle longer than this are stale (default 30). */
  staleDays?: number;
  /** How many offenders and stale servers to list (defaults 20 and 5,000). */
  offenderLimit?: number;
  staleLimit?: number;
  /** When the snapshot was taken, for the scripts' header. */
  snapshotTime?: string;
  /** false: leave the cleanup scripts empty, for a caller that shows none (default true). */
  cleanupScripts?: boolean;
}

export interface StartupQuery {
  family: VersionFamilyId;
  label: string;
  sql: string;
  plan: PlanNode[];
}

/** Everything the explorer panel, tree badge, incident journal and CLI show. JSON-serialisable. */
export interface HubDbAnalysis {
  schema: HubSchemaInfo;
  counts: {
    users: number;
    spawners: number;
    servers: number;
    running: number;
    usersWithRunning: number;
    namedServers: number;
    sumRunningTimesSpawners: number;
    spawnersOfUsersWithRunning: number;
  };
  widths: ColumnWidths;
  /** One estimate per version family, oldest first. */
  startup: StartupEstimate[];
  /** The estimate for the given --jupyterhub-version; null when none was given. */
  selected: StartupEstimate | null;
  verdict: Verdict;
  offenders: Offender[];
  stale: StaleServers;
  remediation: RemediationPlan;
  health: HealthSummary;
  queries: StartupQuery[];
  /** The model's constants, so a report states what it assumed. */
  model: { hubBaselineBytes: number; bytesPerCell: number; payloadFactor: number; tightFraction: number };
  notes: string[];
}

function isOpened(value: ReadableDb | OpenedDb<ReadableDb>): value is OpenedDb<ReadableDb> {
  return 'db' in value && 'schema' in value;
}

/**
 * Analyses a hub DB's start-up cost for every JupyterHub version family, with a verdict against the
 * hub's memory limit, the users who cause it and the safe fix. Reads only (O(N) queries; the O(N²)
 * join is never run). Fails with a UserError for a file that is not a hub DB, a version that is not a
 * version, or a DB too damaged to read.
 */
export function analyzeHubDb(
  source: ReadableDb | OpenedDb<ReadableDb>,
  options: AnalyzeOptions = {},
): Result<HubDbAnalysis, UserError> {
  const db = isOpened(source) ? source.db : source;
  const notes: string[] = isOpened(source) ? [...source.notes] : [];
  let schema: HubSchemaInfo;
  try {
    schema = isOpened(source) ? source.schema : classifyHubSchema(db);
  } catch (error) {
    return err(
      new UserError(`Cannot read the database's tables: ${messageOf(error)}`, 'hubdb.corrupt', { cause: error }),
    );
  }
  if (schema.kind === 'not-hub') return err(new UserError(schema.summary, 'hubdb.not-hub'));
  if (schema.series !== '5.x' && schema.series !== '4.x' && schema.series !== '6.x') notes.push(schema.summary);

  let given: StartupEstimate['family'] | null = null;
  if (options.jupyterhubVersion !== undefined) {
    const mapped = familyForVersion(options.jupyterhubVersion);
    if (!mapped)
      return err(
        new UserError(
          `'${options.jupyterhubVersion.slice(0, 40)}' is not a JupyterHub version (expected e.g. 5.3.0).`,
          'hubdb.bad-version',
        ),
      );
    given = mapped.family.id;
    if (mapped.note) notes.push(mapped.note);
  }

  try {
    const now = options.now ?? new Date();
    const staleDays = options.staleDays ?? 30;
    // One read of each big table serves the statistics, the stale servers and the health summary.
    const scan = scanHub(db, { stale: { days: staleDays, now } });
    const gathered = gatherStartupStats(db, scan);
    const stats = gathered.startup;
    const startup = VERSION_FAMILIES.map((family) => startupModel(family, stats));
    const estimate = (id: VersionFamilyId) => startup.find((e) => e.family === id)!;
    const verdictFamily = given ?? worstFamilyForSchema(schema.series).id;
    if (!given)
      notes.push(
        `No JupyterHub version given: the verdict assumes ${familyById(verdictFamily).jupyterhub}, the slowest start-up a ${schema.series} schema allows. Pass the hub's version for its own verdict.`,
      );
    const limit = options.memoryLimitBytes ?? null;
    const verdict = verdictFor(estimate(verdictFamily), limit, given === null);
    const stale = findStaleServers(db, { days: staleDays, now, limit: options.staleLimit ?? 5_000 }, scan);
    const columns = schemaColumns(db);
    const queries: StartupQuery[] = VERSION_FAMILIES.flatMap((family) =>
      startupStatements(family.id, columns).map((statement) => ({
        family: family.id,
        label: statement.label,
        sql: statement.sql,
        plan: safePlan(db, statement.sql),
      })),
    );
    let namedServers = 0;
    for (let i = 0; i < gathered.perUser.length; i++) namedServers += gathered.perUser.namedServers(i);
    if (gathered.spawnersWithoutUser > 0)
      notes.push(
        `${gathered.spawnersWithoutUser} spawner(s) belong to no user: JupyterHub's start-up ignores them, so does this analysis.`,
      );

    return ok({
      schema,
      counts: {
        users: stats.users,
        spawners: stats.spawners,
        servers: stats.servers,
        running: stats.running,
        usersWithRunning: stats.usersWithRunning,
        namedServers,
        sumRunningTimesSpawners: stats.sumRunningTimesSpawners,
        spawnersOfUsersWithRunning: stats.spawnersOfUsersWithRunning,
      },
      widths: gathered.widths,
      startup,
      selected: given ? estimate(given) : null,
      verdict,
      offenders: rankOffenders(gathered.perUser, options.offenderLimit ?? 20),
      stale,
      remediation: remediationPlan({
        selected: estimate(verdictFamily),
        fixed: estimate(schema.series === '6.x' ? '6.x' : '5.4.3+'),
        quadratic: estimate('5.0-5.3'),
        verdict,
        perUser: gathered.perUser,
        stale,
        ...(options.snapshotTime ? { snapshotTime: options.snapshotTime } : {}),
        scripts: options.cleanupScripts !== false,
      }),
      health: healthSummary(db, { now, scan }),
      queries,
      model: {
        hubBaselineBytes: HUB_BASELINE_BYTES,
        bytesPerCell: BYTES_PER_CELL,
        payloadFactor: PAYLOAD_FACTOR,
        tightFraction: TIGHT_FRACTION,
      },
      notes,
    });
  } catch (error) {
    const detail = messageOf(error).slice(0, 300);
    const damaged = /malformed|corrupt|not a database|disk image/i.test(detail);
    return err(
      new UserError(
        damaged
          ? `The database is damaged where the analysis reads it (${detail}). Take a fresh snapshot.`
          : `The analysis cannot read this schema (${detail}): the tables do not have the columns JupyterHub's do.`,
        damaged ? 'hubdb.corrupt' : 'hubdb.schema',
        { cause: error },
      ),
    );
  }
}

function safePlan(db: ReadableDb, sql: string): PlanNode[] {
  try {
    return explainQueryPlan(db, sql);
  } catch (error) {
    return [{ id: 0, parent: 0, detail: `No plan: ${messageOf(error).slice(0, 200)}`, children: [] }];
  }
}
