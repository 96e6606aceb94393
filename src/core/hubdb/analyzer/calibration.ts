import type { StartupStats } from './dbStats';
import { startupModel } from './startupModel';
import { familyForVersion } from './versionFamilies';
import { formatCount } from '../../../shared/format';

/**
 * The calibration measurements of docs/jupyterhub-startup.md, and how the model does on them.
 *
 * Two per-case inputs are not columns of the facts' table but follow from it:
 * - `spawnersOfUsersWithRunning` (S_u) from the 5.4.3 totals (main + users + S_u + side rows); the
 *   4.1.6 incident total (2·running + users + S_u = 3,056) confirms it independently.
 * - `sideRows` (roles, groups and shares of the loaded users) = 5.3 total − main rows; the 5.4.0 total
 *   (2·running + side = 1,541) confirms it independently.
 * The payload per row (text/blob bytes) is measured on this project's replica of the calibration DBs
 * (test/builders/hubDb.ts `calibrationShape`: state 200–215 bytes, user_options 5–15, no auth_state).
 */
export interface CalibrationMeasurement {
  form: string;
  sqlalchemy: '1.4' | '2.0';
  mainRows: number;
  totalRows: number;
  statements: number;
  cpuSeconds: number;
  peakDeltaMiB: number;
}

export interface CalibrationCase {
  name: string;
  dbBytes: number;
  users: number;
  spawners: number;
  running: number;
  usersWithRunning: number;
  stress: { servers: number; running: number };
  sumRunningTimesSpawners: number;
  spawnersOfUsersWithRunning: number;
  sideRows: number;
  measurements: CalibrationMeasurement[];
}

const m = (
  form: string,
  sqlalchemy: '1.4' | '2.0',
  mainRows: number,
  totalRows: number,
  statements: number,
  cpuSeconds: number,
  peakDeltaMiB: number,
): CalibrationMeasurement => ({ form, sqlalchemy, mainRows, totalRows, statements, cpuSeconds, peakDeltaMiB });

export const CALIBRATION_CASES: readonly CalibrationCase[] = [
  {
    name: 'scale-100',
    dbBytes: 385_024,
    users: 201,
    spawners: 357,
    running: 83,
    usersWithRunning: 32,
    stress: { servers: 100, running: 50 },
    sumRunningTimesSpawners: 5_059,
    spawnersOfUsersWithRunning: 149,
    sideRows: 59,
    measurements: [
      m('5.3.0', '1.4', 5_059, 5_118, 6, 0.169, 19),
      m('5.3.0', '2.0', 5_059, 5_118, 6, 0.162, 21),
      m('5.4.3', '1.4', 83, 323, 8, 0.029, 0),
    ],
  },
  {
    name: 'scale-300',
    dbBytes: 536_576,
    users: 201,
    spawners: 559,
    running: 178,
    usersWithRunning: 28,
    stress: { servers: 300, running: 150 },
    sumRunningTimesSpawners: 45_052,
    spawnersOfUsersWithRunning: 348,
    sideRows: 48,
    measurements: [
      m('5.3.0', '1.4', 45_052, 45_100, 6, 1.91, 214),
      m('5.3.0', '2.0', 45_052, 45_100, 6, 1.59, 215),
      m('5.4.3', '1.4', 178, 602, 8, 0.046, 0),
    ],
  },
  {
    name: 'scale-1000',
    dbBytes: 1_134_592,
    users: 201,
    spawners: 1_238,
    running: 538,
    usersWithRunning: 38,
    stress: { servers: 1000, running: 500 },
    sumRunningTimesSpawners: 500_057,
    spawnersOfUsersWithRunning: 1_054,
    sideRows: 63,
    measurements: [
      m('5.3.0', '1.4', 500_057, 500_120, 6, 24.4, 2_468),
      m('5.3.0', '2.0', 500_057, 500_120, 6, 21.6, 2_470),
      m('5.4.3', '1.4', 538, 1_693, 8, 0.241, 0),
    ],
  },
  {
    name: 'incident',
    dbBytes: 1_490_944,
    users: 199,
    spawners: 1_746,
    running: 736,
    usersWithRunning: 36,
    stress: { servers: 1500, running: 700 },
    sumRunningTimesSpawners: 1_050_051,
    spawnersOfUsersWithRunning: 1_548,
    sideRows: 69,
    measurements: [
      m('5.3.0', '1.4', 1_050_051, 1_050_120, 6, 55.1, 5_190),
      m('5.3.0', '2.0', 1_050_051, 1_050_120, 6, 44.1, 5_190),
      m('4.1.6', '1.4', 736, 3_056, 809, 0.7, 0),
      m('5.4.0', '1.4', 736, 1_541, 8, 0.225, 0),
      m('5.4.3', '1.4', 736, 2_389, 8, 0.447, 2),
    ],
  },
];

/** Payload bytes per row measured on the replica calibration DBs (see dbStats.ts for each shape). */
export const CALIBRATION_PAYLOAD = {
  /** 5.0–5.3 join row: user + two spawners + their servers. */
  joinRow: 666,
  /** 5.4.0–5.4.2 row: user + running spawner + server. */
  eagerRow: 380,
  /** A running spawner and its server. */
  runningSpawner: 330,
  /** A user row. */
  user: 48,
  /** One spawner of a user with a running server (with its server when running). */
  listedSpawner: 281,
} as const;

/** The model's input for a calibration case, as dbStats would have gathered it from that DB. */
export function calibrationStats(c: CalibrationCase): StartupStats {
  const pay = CALIBRATION_PAYLOAD;
  return {
    users: c.users,
    spawners: c.spawners,
    servers: c.running,
    running: c.running,
    usersWithRunning: c.usersWithRunning,
    sumRunningTimesSpawners: c.sumRunningTimesSpawners,
    spawnersOfUsersWithRunning: c.spawnersOfUsersWithRunning,
    sideRows: c.sideRows,
    // The 6 statements of 5.3.0 include Group.roles and Group.shared_with_me: some loaded user was in a group.
    loadedGroups: 1,
    columns: { users: 8, spawners: 9, servers: 6 },
    payload: {
      join: c.sumRunningTimesSpawners * pay.joinRow,
      eager: c.running * pay.eagerRow,
      runningSpawners: c.running * pay.runningSpawner,
      runningUsers: c.usersWithRunning * pay.user,
      spawnerLists: c.spawnersOfUsersWithRunning * pay.listedSpawner,
    },
  };
}

export interface CalibrationRow {
  case: string;
  form: string;
  sqlalchemy: string;
  measured: CalibrationMeasurement;
  predicted: { mainRows: number; totalRows: number; statements: number; cpuSeconds: number; peakDeltaMiB: number };
  /** (predicted − measured) / measured; null when the measurement is 0. */
  cpuError: number;
  memoryErrorMiB: number;
  memoryError: number | null;
}

export interface CalibrationReport {
  rows: CalibrationRow[];
  /** Every main-statement row count matches the measurement. */
  rowsExact: boolean;
  /** Largest |CPU error| of the 5.0–5.3 SQLAlchemy 1.4 runs (the model's basis). */
  maxCpuError5053: number;
  /** Largest |memory error| of the 5.0–5.3 runs above 100 MiB (small runs are dominated by RSS noise). */
  maxMemoryError5053: number;
  /** Largest |memory error| in MiB of the linear forms (4.x, 5.4.x). */
  maxMemoryErrorLinearMiB: number;
}

const MiB = 1024 * 1024;

/** The model against every calibration measurement. */
export function calibrationReport(): CalibrationReport {
  const rows: CalibrationRow[] = [];
  for (const c of CALIBRATION_CASES) {
    const stats = calibrationStats(c);
    for (const measured of c.measurements) {
      const family = familyForVersion(measured.form)!.family;
      const estimate = startupModel(family, stats);
      const predictedMiB = estimate.queryPeakBytes / MiB;
      rows.push({
        case: c.name,
        form: measured.form,
        sqlalchemy: measured.sqlalchemy,
        measured,
        predicted: {
          mainRows: estimate.rows,
          totalRows: estimate.totalRows,
          statements: estimate.statements,
          cpuSeconds: estimate.seconds,
          peakDeltaMiB: Math.round(predictedMiB * 10) / 10,
        },
        cpuError: (estimate.seconds - measured.cpuSeconds) / measured.cpuSeconds,
        memoryErrorMiB: predictedMiB - measured.peakDeltaMiB,
        memoryError: measured.peakDeltaMiB > 0 ? (predictedMiB - measured.peakDeltaMiB) / measured.peakDeltaMiB : null,
      });
    }
  }
  const join = rows.filter((r) => r.form === '5.3.0');
  return {
    rows,
    rowsExact: rows.every((r) => r.predicted.mainRows === r.measured.mainRows),
    maxCpuError5053: Math.max(...join.filter((r) => r.sqlalchemy === '1.4').map((r) => Math.abs(r.cpuError))),
    maxMemoryError5053: Math.max(
      ...join.filter((r) => r.measured.peakDeltaMiB > 100).map((r) => Math.abs(r.memoryError ?? 0)),
    ),
    maxMemoryErrorLinearMiB: Math.max(...rows.filter((r) => r.form !== '5.3.0').map((r) => Math.abs(r.memoryErrorMiB))),
  };
}

/** The report as a Markdown table (for the README and incident reports). */
export function calibrationMarkdown(report: CalibrationReport = calibrationReport()): string {
  const pct = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`);
  const lines = [
    '| case | JupyterHub | SQLAlchemy | main rows | all rows / statements | CPU s (model vs measured) | peak Δ MiB (model vs measured) |',
    '|---|---|---|---|---|---|---|',
    ...report.rows.map(
      (r) =>
        `| ${r.case} | ${r.form} | ${r.sqlalchemy} | ${formatCount(r.predicted.mainRows)} ${r.predicted.mainRows === r.measured.mainRows ? '(exact)' : `(measured ${r.measured.mainRows})`} ` +
        `| ${formatCount(r.predicted.totalRows)} / ${r.predicted.statements} | ${r.predicted.cpuSeconds} vs ${r.measured.cpuSeconds} (${pct(r.cpuError)}) ` +
        `| ${r.predicted.peakDeltaMiB} vs ${r.measured.peakDeltaMiB} (${pct(r.memoryError)}) |`,
    ),
  ];
  return lines.join('\n') + '\n';
}
