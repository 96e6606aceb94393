import assert from 'node:assert/strict';
import {
  calibrationMarkdown,
  CALIBRATION_CASES,
  CALIBRATION_PAYLOAD,
  calibrationReport,
} from '../../../src/core/hubdb/analyzer/calibration';
import { gatherStartupStats } from '../../../src/core/hubdb/analyzer/dbStats';
import { buildCalibrationDb } from '../../builders/hubDb';
import { openBytes } from './hubDbTestKit';

describe("calibration: the model against the facts' measurements", () => {
  const report = calibrationReport();

  it('predicts every main-statement row count, total row count and statement count exactly', () => {
    assert.equal(report.rows.length, 14);
    assert.ok(report.rowsExact);
    for (const row of report.rows)
      assert.deepEqual(
        [row.predicted.mainRows, row.predicted.totalRows, row.predicted.statements],
        [row.measured.mainRows, row.measured.totalRows, row.measured.statements],
        `${row.case} ${row.form} ${row.sqlalchemy}`,
      );
  });

  it('keeps 5.0–5.3 CPU within the documented error (±5% on SQLAlchemy 1.4, +25% on 2.0)', () => {
    assert.ok(report.maxCpuError5053 <= 0.05, String(report.maxCpuError5053));
    for (const row of report.rows.filter((r) => r.form === '5.3.0' && r.sqlalchemy === '2.0'))
      assert.ok(row.cpuError >= 0 && row.cpuError <= 0.25, `${row.case}: ${row.cpuError}`);
  });

  it('keeps 5.0–5.3 memory within 5% above 100 MiB and within 7 MiB below it, never under-estimating by more than 1%', () => {
    assert.ok(report.maxMemoryError5053 <= 0.05, String(report.maxMemoryError5053));
    for (const row of report.rows.filter((r) => r.form === '5.3.0')) {
      if (row.measured.peakDeltaMiB < 100)
        assert.ok(Math.abs(row.memoryErrorMiB) <= 7, `${row.case}: ${row.memoryErrorMiB} MiB`);
      assert.ok((row.memoryError ?? 0) > -0.01, `${row.case} under-estimates: ${row.memoryError}`);
    }
  });

  it('keeps the linear forms within 5 MiB and their CPU within 15 ms or 5%', () => {
    assert.ok(report.maxMemoryErrorLinearMiB <= 5, String(report.maxMemoryErrorLinearMiB));
    for (const row of report.rows.filter((r) => r.form !== '5.3.0')) {
      const absolute = Math.abs(row.predicted.cpuSeconds - row.measured.cpuSeconds);
      assert.ok(absolute <= 0.015 || Math.abs(row.cpuError) <= 0.05, `${row.case} ${row.form}: ${row.cpuError}`);
    }
  });

  it('predicts the incident: > 5 GiB and about a minute on 5.3, under 10 MiB and a second on 5.4.3', () => {
    const incident = report.rows.filter((r) => r.case === 'incident');
    const join = incident.find((r) => r.form === '5.3.0')!;
    const fixed = incident.find((r) => r.form === '5.4.3')!;
    assert.ok(join.predicted.peakDeltaMiB > 5 * 1024);
    assert.ok(join.predicted.cpuSeconds > 40 && join.predicted.cpuSeconds < 70);
    assert.ok(fixed.predicted.peakDeltaMiB < 10 && fixed.predicted.cpuSeconds < 1);
  });

  it('renders the report as a Markdown table for the README', () => {
    const markdown = calibrationMarkdown(report);
    const lines = markdown.trimEnd().split('\n');
    assert.equal(lines.length, 2 + report.rows.length);
    assert.match(
      lines[2]!,
      /^\| scale-100 \| 5\.3\.0 \| 1\.4 \| 5,059 \(exact\) \| 5,118 \/ 6 \| 0\.175 vs 0\.169 \(\+3\.6%\) \| 25\.1 vs 19 \(\+32\.\d%\) \|$/,
    );
  });

  it('replicates the calibration DBs: same shape, and the payload per row the model was calibrated with', async () => {
    for (const c of CALIBRATION_CASES) {
      const opened = await openBytes(
        await buildCalibrationDb({ stressServers: c.stress.servers, stressRunning: c.stress.running }),
      );
      try {
        const stats = gatherStartupStats(opened.db).startup;
        const near = (actual: number, expected: number, tolerance: number, what: string) =>
          assert.ok(Math.abs(actual - expected) <= tolerance * expected, `${c.name} ${what}: ${actual} vs ${expected}`);
        near(stats.sumRunningTimesSpawners, c.sumRunningTimesSpawners, 0.01, 'Σ running × spawners');
        near(stats.spawners, c.spawners, 0.05, 'spawners');
        near(stats.running, c.running, 0.15, 'running');
        near(
          stats.payload.join / stats.sumRunningTimesSpawners,
          CALIBRATION_PAYLOAD.joinRow,
          0.01,
          'join payload per row',
        );
        near(
          stats.payload.runningSpawners / stats.running,
          CALIBRATION_PAYLOAD.runningSpawner,
          0.03,
          'running payload',
        );
        near(
          stats.payload.spawnerLists / stats.spawnersOfUsersWithRunning,
          CALIBRATION_PAYLOAD.listedSpawner,
          0.03,
          'list payload',
        );
      } finally {
        opened.close();
      }
    }
  });
});
