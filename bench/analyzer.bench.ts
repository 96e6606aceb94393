/**
 * The hub DB analyzer's cost against what it predicts, on two DBs generated here (figures only, no
 * assertions; medians of interleaved runs, with their spread, and each peer measured in the same run):
 *  1. the incident-shaped calibration DB (≈ 1,750 spawners, 736 running, 201 users): the whole
 *     `hubops analyze` process, production (minified) CLI bundle, against `node -e 0` and against the
 *     sqlite3 CLI running JupyterHub 5.0–5.3's start-up statement on the same file (every row fetched and
 *     printed to /dev/null); then, in a fresh process, where the analyzer's own time goes;
 *  2. a DB with 1,000,000 spawners and 200,000 users (generated with the sqlite3 CLI): the whole
 *     `hubops analyze --json` process against the sqlite3 CLI counting spawners per user (GROUP BY, the
 *     least any per-user analysis reads), its peak memory, and what it predicts for the 5.0–5.3 join it
 *     never runs.
 * Where the user's Node is older and has no node:sqlite (Node 20: the CLI then runs on sql.js), it also
 * times sql.js alone on that Node: load its wasm, open the DB, run exactly the statements the analysis runs
 * (recorded here), and nothing else. That is the floor the analysis's own JavaScript stands on.
 *
 *   npx tsx bench/analyzer.bench.ts [--runs 5] [--skip-large]
 * Writes .bench-output/analyzer.json too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeHubDb, formatBytes, nodeSqlite, openHubDbFile } from '../src/core/hubdb';
import type { BindParams } from 'sql.js';
import { compileWasmForShortRun } from '../src/cli/sqlWasm';
import { loadSqlJs } from '../src/core/hubdb/sqlJs';
import { gatherStartupStats } from '../src/core/hubdb/analyzer/dbStats';
import { startupModel } from '../src/core/hubdb/analyzer/startupModel';
import { startupStatements } from '../src/core/hubdb/analyzer/startupSql';
import { verdictFor } from '../src/core/hubdb/analyzer/verdict';
import { familyForVersion, VERSION_FAMILIES } from '../src/core/hubdb/analyzer/versionFamilies';
import { buildCalibrationDb, hubSchemaDdl } from '../test/builders/hubDb';
import { runScript } from '../test/harness/processes';
import { numberOption } from './support/options';
import { median } from './support/stats';

interface ChildResult {
  /** 'node:sqlite' (the file read in place) or 'sql.js' (read into memory), as openHubDbFile chose. */
  engine: string;
  openMs: number;
  /** The verdict alone: the O(N) statistics, the model of every version family, the verdict (cold). */
  verdictMs: number;
  analyseMs: number;
  /** Peak RSS above the child's RSS when it started (Node itself and the bench's modules). */
  growthMiB: number;
  totalMs: number;
  maxRssMiB: number;
  headline: string;
  predicted: { jupyterhub: string; rows: number; peak: string; seconds: number }[];
}

/** Child mode: open (as the CLI does) and analyse one file in a fresh process, report times and peak RSS. */
async function child(file: string, version: string | undefined): Promise<void> {
  const startRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const opened = await openHubDbFile(file);
  if (!opened.ok) throw opened.error;
  const tOpened = performance.now();
  const family = version ? familyForVersion(version)!.family : VERSION_FAMILIES.find((f) => f.id === '5.0-5.3')!;
  const stats = gatherStartupStats(opened.value.db).startup;
  verdictFor(startupModel(family, stats), 2 * 2 ** 30, !version);
  const verdictMs = performance.now() - tOpened;
  // The full analysis (offenders, stale servers, DB health, query plans) after the verdict's queries.
  const t1 = performance.now();
  const result = analyzeHubDb(opened.value, {
    memoryLimitBytes: 2 * 2 ** 30,
    ...(version ? { jupyterhubVersion: version } : {}),
  });
  if (!result.ok) throw result.error;
  const t2 = performance.now();
  const out: ChildResult = {
    engine: nodeSqlite() ? 'node:sqlite' : 'sql.js',
    openMs: tOpened - t0,
    verdictMs,
    analyseMs: t2 - t1,
    growthMiB: (process.resourceUsage().maxRSS * 1024 - startRss) / 2 ** 20,
    totalMs: t2 - t0,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    headline: result.value.verdict.headline,
    predicted: result.value.startup.map((s) => ({
      jupyterhub: s.jupyterhub,
      rows: s.rows,
      peak: formatBytes(s.peakBytes),
      seconds: s.seconds,
    })),
  };
  process.stdout.write(JSON.stringify(out));
}

function runChild(file: string): ChildResult {
  const result = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', file], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`analyzer child failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as ChildResult;
}

interface Timed {
  seconds: number;
  /** User + system CPU seconds (less sensitive than wall time to other work on a shared machine). */
  cpuSeconds: number;
  maxRssMiB: number;
}

/** Wall and CPU seconds and peak RSS of one command, from GNU time (its output to /dev/null). */
function timed(command: string[]): Timed {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', ...command], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const last = result.stderr.trim().split('\n').at(-1)!;
  const [seconds, user, system, kib] = last.split(' ').map(Number);
  if (result.status !== 0 || !Number.isFinite(seconds)) throw new Error(`${command[0]} failed: ${result.stderr}`);
  return { seconds: seconds!, cpuSeconds: user! + system!, maxRssMiB: kib! / 1024 };
}

const min = <T>(runs: T[], key: (t: T) => number) => runs.reduce((a, b) => (key(b) < key(a) ? b : a));

/** Median and spread of a set of runs. */
interface Summary {
  runs: Timed[];
  seconds: number;
  minSeconds: number;
  maxSeconds: number;
  cpuSeconds: number;
  maxRssMiB: number;
}
function summary(runs: Timed[]): Summary {
  const wall = runs.map((r) => r.seconds);
  return {
    runs,
    seconds: median(wall),
    minSeconds: Math.min(...wall),
    maxSeconds: Math.max(...wall),
    cpuSeconds: median(runs.map((r) => r.cpuSeconds)),
    maxRssMiB: median(runs.map((r) => r.maxRssMiB)),
  };
}

/** Runs the commands in turn, `runs` times (interleaved, so load on the machine falls on all alike). */
function interleaved(runs: number, commands: Record<string, string[]>): Record<string, Summary> {
  const results: Record<string, Timed[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < runs; i++)
    for (const [name, command] of Object.entries(commands)) results[name]!.push(timed(command));
  return Object.fromEntries(Object.entries(results).map(([k, v]) => [k, summary(v)]));
}

const ms = (seconds: number) => `${(seconds * 1000).toFixed(0)} ms`;
const line = (label: string, s: Summary, unit = ms) =>
  `  ${label.padEnd(44)} ${unit(s.seconds).padStart(8)} median (${unit(s.minSeconds)}–${unit(s.maxSeconds)}), ` +
  `CPU ${unit(s.cpuSeconds)}, peak RSS ${s.maxRssMiB.toFixed(0)} MiB`;

/** The user's own Node, when it is not the one running the bench (the CLI runs on Node 20 too). */
function usersNode(): string | undefined {
  const node = '/usr/bin/node';
  if (!existsSync(node)) return undefined;
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return version && version !== process.version ? node : undefined;
}

interface Recorded {
  sql: string;
  params?: BindParams;
  /** Run with Database.run (no rows), not prepared and stepped. */
  run?: true;
}

/** Every statement `hubops analyze FILE` runs on sql.js (open's checks included), in order, with its parameters. */
async function analysisStatements(file: string): Promise<Recorded[]> {
  const proto = (await loadSqlJs()).Database.prototype;
  const { prepare, run } = proto;
  const recorded: Recorded[] = [];
  proto.prepare = function (this: typeof proto, sql, params) {
    const entry: Recorded = { sql, ...(params ? { params } : {}) };
    recorded.push(entry);
    const statement = prepare.call(this, sql, params);
    const bind = statement.bind;
    statement.bind = (values) => {
      if (values) entry.params = values;
      return bind.call(statement, values);
    };
    return statement;
  };
  proto.run = function (this: typeof proto, sql, params) {
    recorded.push({ sql, ...(params ? { params } : {}), run: true });
    return run.call(this, sql, params);
  };
  try {
    const opened = await openHubDbFile(file, { engine: 'sql.js' });
    if (!opened.ok) throw opened.error;
    // As the CLI's text report asks for it (src/cli/analyze.ts).
    const result = analyzeHubDb(opened.value, {
      memoryLimitBytes: null,
      staleDays: 30,
      snapshotTime: statSync(file).mtime.toISOString(),
      cleanupScripts: false,
    });
    opened.value.close();
    if (!result.ok) throw result.error;
    return recorded;
  } finally {
    proto.prepare = prepare;
    proto.run = run;
  }
}

/**
 * A script for the user's Node that does what the CLI's sql.js path does to the SQLite engine and nothing
 * else: the same wasm, the recorded statements with every row read. (The DB generated here is in rollback
 * mode, so the CLI patches no header byte either; its V8 flags are given on the command line, see below.)
 */
function sqlJsFloorScript(wasm: string): string {
  return `'use strict';
const fs = require('node:fs');
const initSqlJs = require(${JSON.stringify(require.resolve('sql.js'))});
const wasm = fs.readFileSync(${JSON.stringify(wasm)});
initSqlJs({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) }).then((SQL) => {
  const db = new SQL.Database(fs.readFileSync(process.argv[2]));
  for (const { sql, params, run } of JSON.parse(fs.readFileSync(process.argv[3], 'utf8'))) {
    if (run) {
      db.run(sql, params);
      continue;
    }
    const statement = db.prepare(sql);
    if (params) statement.bind(params);
    while (statement.step()) statement.get();
    statement.free();
  }
  db.close();
});
`;
}

/** 1,000,000 spawners for 200,000 users, written by the sqlite3 CLI (seconds, not minutes). */
function generateLarge(file: string): void {
  const state = (pod: string) =>
    `printf('{"pod_name": "%s", "namespace": "jupyterhub-research-computing", "dns_name": "%s.jupyterhub-research-computing.svc.cluster.local"}', ${pod}, ${pod})`;
  const sql = [
    'PRAGMA journal_mode = OFF;',
    'PRAGMA synchronous = OFF;',
    'BEGIN;',
    ...hubSchemaDdl('5.x').map((s) => `${s};`),
    "INSERT INTO alembic_version VALUES ('4621fec11365');",
    "INSERT INTO roles (id, name, description, scopes, managed_by_auth) VALUES (2, 'user', 'Default user role', '[\"self\"]', 0);",
    'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)',
    "INSERT INTO users (id, name, admin, created, last_activity, cookie_id) SELECT i, printf('user-%06d', i), 0, '2024-01-01 00:00:00.000000', '2025-05-01 00:00:00.000000', printf('fake-secret-cookie-%020d', i) FROM n;",
    'INSERT INTO user_role_map (user_id, role_id, managed_by_auth) SELECT id, 2, 0 FROM users;',
    // Default servers: one per user, every tenth running.
    'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)',
    `INSERT INTO spawners (id, user_id, server_id, state, name, started, last_activity, user_options) SELECT i, i, CASE WHEN i % 10 = 0 THEN i END, ${state("printf('jupyter-user-%06d', i)")}, '', '2025-05-30 08:00:00.000000', '2025-05-31 10:00:00.000000', '{"cpu": 2}' FROM n;`,
    // One heavy user with 50,000 named servers, 5,000 running.
    'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)',
    `INSERT INTO spawners (id, user_id, server_id, state, name, started, last_activity, user_options) SELECT 200000 + i, 1, CASE WHEN i <= 5000 THEN 200000 + i END, ${state("printf('jupyter-user-000001--srv-%05d', i)")}, printf('srv-%05d', i), NULL, '2025-01-01 00:00:00.000000', '{"gpu": 1}' FROM n;`,
    // 750,000 more named servers spread over everyone else, all stopped.
    'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 750000)',
    `INSERT INTO spawners (id, user_id, server_id, state, name, started, last_activity, user_options) SELECT 250000 + i, 2 + i % 199999, NULL, ${state("printf('jupyter-user-%06d--n%d', 2 + i % 199999, i)")}, printf('n%d', i), NULL, '2024-11-01 00:00:00.000000', '{"x": 1}' FROM n;`,
    "INSERT INTO servers (id, proto, ip, port, base_url, cookie_name) SELECT server_id, 'http', '10.1.2.3', 8888, printf('/user/%d/', user_id), 'jupyterhub-user' FROM spawners WHERE server_id IS NOT NULL;",
    'COMMIT;',
  ].join('\n');
  execFileSync('sqlite3', [file], { input: sql, maxBuffer: 16 * 1024 * 1024 });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1]!, args[2]);
  if (args[0] === '--generate') return generateLarge(args[1]!);
  const runs = numberOption('--runs', 5);
  const work = mkdtempSync(join(tmpdir(), 'hubops-bench-analyzer-'));
  const report: Record<string, unknown> = {};
  try {
    // The production CLI, as npm pack ships it.
    const dist = join(work, 'dist');
    execFileSync(process.execPath, ['scripts/build.mjs', '--only=cli', `--out=${dist}`, '--production'], {
      cwd: resolve(__dirname, '..'),
    });
    const cli = join(dist, 'cli.js');
    const node = process.execPath;

    // 1. Incident-shaped DB: the whole hubops analyze process vs node -e 0 and vs the 5.0–5.3 statement.
    const incident = join(work, 'incident.sqlite');
    writeFileSync(incident, await buildCalibrationDb({ stressServers: 1500, stressRunning: 700 }));
    const join53 = startupStatements('5.0-5.3')[0]!.sql;
    const oldNode = usersNode();
    // sql.js alone on the user's Node, when that Node has no node:sqlite (its analyze runs on sql.js).
    const floor = oldNode && spawnSync(oldNode, ['-e', 'require("node:sqlite")']).status !== 0 ? oldNode : undefined;
    const statements = join(work, 'statements.json');
    const floorScript = join(work, 'sqljs-floor.cjs');
    // The V8 flags the CLI sets for itself on that Node (src/cli/sqlWasm.ts), given to the floor's process.
    const floorFlags: string[] = [];
    let floorStatements = 0;
    if (floor) {
      const recorded = await analysisStatements(incident);
      floorStatements = recorded.length;
      writeFileSync(statements, JSON.stringify(recorded));
      writeFileSync(floorScript, sqlJsFloorScript(join(dist, 'sql-wasm.wasm')));
      const v8 = spawnSync(floor, ['-p', 'process.versions.v8'], { encoding: 'utf8' }).stdout.trim();
      compileWasmForShortRun(v8, (flag) => floorFlags.push(flag));
      report.sqlJsFloor = { statements: floorStatements, v8Flags: floorFlags };
    }
    const t = interleaved(runs, {
      nodeE0: [node, '-e', '0'],
      analyze: [node, cli, 'analyze', incident],
      version: [node, cli, '--version'],
      sqlite3: ['sqlite3', incident, join53],
      ...(oldNode ? { analyzeOldNode: [oldNode, cli, 'analyze', incident], oldNodeE0: [oldNode, '-e', '0'] } : {}),
      ...(floor ? { sqlJsFloor: [floor, ...floorFlags, floorScript, incident, statements] } : {}),
    });
    const ratio = (a: Summary, b: Summary) => (a.seconds / b.seconds).toFixed(1);
    console.log(
      `Incident-shaped DB (${formatBytes(statSync(incident).size)}), ${runs} interleaved runs of each, Node ${process.version}:`,
    );
    console.log(line('hubops analyze FILE (whole process, minified)', t.analyze!));
    console.log(line('node -e 0', t.nodeE0!));
    console.log(line('hubops --version', t.version!));
    console.log(line('sqlite3 CLI, the 5.0–5.3 statement', t.sqlite3!, (x) => `${x.toFixed(2)} s`));
    console.log(
      `  ratios: hubops analyze = ${ratio(t.analyze!, t.nodeE0!)}× node -e 0 (wall; CPU ${(t.analyze!.cpuSeconds / t.nodeE0!.cpuSeconds).toFixed(1)}×); ` +
        `the 5.0–5.3 statement in sqlite3 takes ${ratio(t.sqlite3!, t.analyze!)}× hubops analyze`,
    );
    if (oldNode && t.analyzeOldNode && t.oldNodeE0) {
      const version = spawnSync(oldNode, ['--version'], { encoding: 'utf8' }).stdout.trim();
      console.log(line(`on the user's Node ${version} (sql.js)`, t.analyzeOldNode));
      console.log(line(`node -e 0 on ${version}`, t.oldNodeE0));
      console.log(`  ratio on ${version}: ${ratio(t.analyzeOldNode, t.oldNodeE0)}× node -e 0`);
      if (t.sqlJsFloor) {
        console.log(line(`sql.js alone on ${version}, ${floorStatements} statements`, t.sqlJsFloor));
        console.log(
          `  ratio on ${version}: hubops analyze = ${ratio(t.analyzeOldNode, t.sqlJsFloor)}× sql.js alone ` +
            `(load its wasm, open the DB, run the analysis's statements, read every row; no analysis)`,
        );
      }
    }

    const analyzer = min(
      Array.from({ length: runs }, () => runChild(incident)),
      (r) => r.totalMs,
    );
    console.log(
      `  in a fresh process (${analyzer.engine}, best of ${runs}): open ${analyzer.openMs.toFixed(0)} ms, ` +
        `verdict ${analyzer.verdictMs.toFixed(0)} ms cold, full analysis ${analyzer.analyseMs.toFixed(0)} ms; ` +
        `peak RSS ${analyzer.maxRssMiB.toFixed(0)} MiB (+${analyzer.growthMiB.toFixed(0)} MiB over the process's start)`,
    );
    console.log(`  verdict: ${analyzer.headline}`);
    report.incident = { dbBytes: statSync(incident).size, runs, processes: t, analyzer };

    // 2. A million spawners.
    if (!args.includes('--skip-large')) {
      const large = join(work, 'large.sqlite');
      const t0 = performance.now();
      generateLarge(large);
      const generateSeconds = (performance.now() - t0) / 1000;
      const largeRuns = Math.max(3, Math.ceil(runs / 2));
      const l = interleaved(largeRuns, {
        analyze: [node, cli, 'analyze', large, '--json'],
        groupBy: [
          'sqlite3',
          large,
          'SELECT user_id, count(*), sum(server_id IS NOT NULL) FROM spawners GROUP BY user_id',
        ],
      });
      const result = runChild(large);
      console.log(
        `\n1,000,000 spawners / 200,000 users (${formatBytes(statSync(large).size)}, generated in ${generateSeconds.toFixed(1)} s), ${largeRuns} interleaved runs:`,
      );
      console.log(line('hubops analyze FILE --json (whole process)', l.analyze!, (x) => `${x.toFixed(2)} s`));
      console.log(line('sqlite3 CLI, spawners per user (GROUP BY)', l.groupBy!, (x) => `${x.toFixed(2)} s`));
      console.log(
        `  ratio: hubops analyze = ${(l.analyze!.seconds / l.groupBy!.seconds).toFixed(1)}× the GROUP BY alone`,
      );
      console.log(
        `  in a fresh process (${result.engine}): ${(result.totalMs / 1000).toFixed(2)} s (open ${(result.openMs / 1000).toFixed(2)} s, ` +
          `analyse ${(result.analyseMs / 1000).toFixed(2)} s), peak RSS ${result.maxRssMiB.toFixed(0)} MiB`,
      );
      for (const p of result.predicted)
        console.log(
          `  predicted ${p.jupyterhub.padEnd(12)} ${p.rows.toLocaleString('en-US').padStart(13)} main rows, ${p.peak.padStart(7)}, ${p.seconds} s`,
        );
      console.log(`  verdict: ${result.headline}`);
      report.large = {
        dbBytes: statSync(large).size,
        generateSeconds,
        runs: largeRuns,
        processes: l,
        analyzer: result,
      };
    }
    mkdirSync('.bench-output', { recursive: true });
    writeFileSync('.bench-output/analyzer.json', JSON.stringify(report, null, 2));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

runScript(main);
