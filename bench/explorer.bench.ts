/**
 * The hub DB explorer on a 1,000,000-spawner hub DB: how long until the first page of
 * `SELECT * FROM spawners` reaches the host through the sql.js worker (open, materialise, page), how
 * paging and sorting behave, and sql.js against the sqlite3 CLI on the same queries. Figures only.
 *   node scripts/build.mjs && npx tsx bench/explorer.bench.ts [--spawners 1000000] [--ts]
 * --ts runs the worker's TypeScript entry through tsx instead of the built dist/sqlWorker.js.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import initSqlJs, { type Database } from 'sql.js';
import { SqlWorkerClient } from '../src/explorer/sqlWorkerClient';
import { buildHubDb } from '../test/builders/hubDb';
import { runScript } from '../test/harness/processes';
import { numberOption } from './support/options';

const root = join(__dirname, '..');
const spawners = numberOption('--spawners', 1_000_000);
const useTs = process.argv.includes('--ts') || !existsSync(join(root, 'dist/sqlWorker.js'));

/** A real hub DB (builder) grown to `count` spawners for 2,000 users, ~200-byte KubeSpawner states. */
async function bigHubDb(count: number): Promise<Uint8Array> {
  const users = Array.from({ length: 2000 }, (_, i) => ({ name: `user-${i}`, servers: [] }));
  const SQL = await initSqlJs();
  const db = new SQL.Database(await buildHubDb({ users }));
  db.run(`
    WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ${count})
    INSERT INTO spawners (user_id, server_id, state, name, started, last_activity, user_options)
    SELECT 1 + x % 2000, NULL,
      printf('{"pod_name": "jupyter-user-%d--srv-%d", "namespace": "jupyterhub-research-computing", "dns_name": "jupyter-user-%d--srv-%d.jupyterhub-research-computing.svc.cluster.local"}', x % 2000, x, x % 2000, x),
      printf('srv-%07d', x), NULL, printf('2025-05-%02d 10:00:00.000000', 1 + x % 28), '{"cpu": 2}'
    FROM n`);
  const bytes = db.export();
  db.close();
  return bytes;
}

const time = async <T>(run: () => Promise<T> | T): Promise<[T, number]> => {
  const start = performance.now();
  const value = await run();
  return [value, performance.now() - start];
};
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

function ok<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** The same statements in sql.js (in this process) and in the sqlite3 CLI (its own `.timer`). */
const COMPARED = [
  ['count', 'SELECT count(*) FROM spawners'],
  ['first page', 'SELECT * FROM spawners LIMIT 200'],
  ['group by user', 'SELECT user_id, count(*) FROM spawners GROUP BY user_id'],
  ['sort by name', 'SELECT * FROM spawners ORDER BY name DESC LIMIT 200'],
  ['json scan', "SELECT count(*) FROM spawners WHERE json_extract(state, '$.pod_name') LIKE '%srv-99%'"],
  ['users JOIN spawners', 'SELECT count(*) FROM users JOIN spawners ON users.id = spawners.user_id'],
] as const;

function sqlJsMs(db: Database, sql: string): number {
  const start = performance.now();
  const statement = db.prepare(sql);
  while (statement.step()) statement.get();
  statement.free();
  return performance.now() - start;
}

function cliMs(file: string, sql: string): number {
  const out = execFileSync('sqlite3', [file], { input: `.timer on\n.output /dev/null\n${sql};\n`, encoding: 'utf8' });
  const real = /Run Time: real ([\d.]+)/.exec(out);
  if (!real) throw new Error(`sqlite3 printed no timer: ${out.slice(0, 200)}`);
  return Number(real[1]) * 1000;
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'hubops-bench-explorer-'));
  try {
    console.log(`Building a hub DB with ${spawners.toLocaleString('en-US')} spawners…`);
    const [bytes, buildMs] = await time(() => bigHubDb(spawners));
    console.log(`  ${(bytes.length / 1024 / 1024).toFixed(1)} MiB in ${ms(buildMs)}\n`);

    const client = new SqlWorkerClient({
      workerPath: join(root, useTs ? 'src/explorer/sqlWorker.ts' : 'dist/sqlWorker.js'),
      wasmPath: join(root, useTs ? 'node_modules/sql.js/dist/sql-wasm.wasm' : 'dist/sql-wasm.wasm'),
      execArgv: useTs ? ['--require', 'tsx/cjs'] : [],
    });
    try {
      // The host's event loop while the worker works: the longest gap between 10 ms ticks.
      let longestGap = 0;
      let last = performance.now();
      const ticker = setInterval(() => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - last - 10);
        last = now;
      }, 10);

      const [, openMs] = await time(async () => ok(await client.open(bytes, false)));
      const [result, queryMs] = await time(async () =>
        ok(await client.request('query', { sql: 'SELECT * FROM spawners' })),
      );
      const [, pageMs] = await time(async () =>
        ok(await client.request('rows', { resultId: result.resultId, offset: 0, limit: 200 })),
      );
      const [, middleMs] = await time(async () =>
        ok(await client.request('rows', { resultId: result.resultId, offset: Math.floor(spawners / 2), limit: 200 })),
      );
      const [sorted, sortMs] = await time(async () =>
        ok(await client.request('sort', { resultId: result.resultId, column: 4, direction: 'desc' })),
      );
      const [, sortedPageMs] = await time(async () =>
        ok(await client.request('rows', { resultId: sorted.resultId, offset: 0, limit: 200 })),
      );
      clearInterval(ticker);

      console.log(`Through the worker (${useTs ? 'TypeScript entry via tsx' : 'dist/sqlWorker.js'}):`);
      console.log(`  open (copy, checks, catalog, redaction)   ${ms(openMs)}`);
      console.log(
        `  SELECT * FROM spawners: materialise ${result.rowCount.toLocaleString('en-US')} rows  ${ms(queryMs)}`,
      );
      console.log(`  first page (200 rows)                     ${ms(pageMs)}`);
      console.log(`  first page after opening, in all          ${ms(openMs + queryMs + pageMs)}`);
      console.log(`  a page in the middle                      ${ms(middleMs)}`);
      console.log(`  sort by name (re-query in the worker)     ${ms(sortMs)}, its first page ${ms(sortedPageMs)}`);
      console.log(`  longest host event-loop stall             ${ms(longestGap)}\n`);
    } finally {
      await client.dispose();
    }

    const file = join(work, 'jupyterhub.sqlite');
    writeFileSync(file, bytes);
    const SQL = await initSqlJs();
    const db = new SQL.Database(bytes);
    console.log('sql.js (in process) vs sqlite3 CLI 3.40 (.timer real), best of 3:');
    console.log(`  ${'query'.padEnd(22)} ${'sql.js'.padStart(10)} ${'sqlite3'.padStart(10)}  ratio`);
    for (const [label, sql] of COMPARED) {
      const js = Math.min(...[0, 1, 2].map(() => sqlJsMs(db, sql)));
      const cli = Math.min(...[0, 1, 2].map(() => cliMs(file, sql)));
      console.log(
        `  ${label.padEnd(22)} ${ms(js).padStart(10)} ${ms(cli).padStart(10)}  ${cli > 0 ? (js / cli).toFixed(1) : '—'}×`,
      );
    }
    db.close();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

runScript(main);
