import { join } from 'node:path';
import { SqlWorkerClient, type SqlWorkerOptions } from '../../../src/explorer/sqlWorkerClient';

const root = join(__dirname, '..', '..', '..');

/** The real worker entry in TypeScript, run through tsx's CommonJS hook inside the thread. */
export const workerOptions = (): SqlWorkerOptions => ({
  workerPath: join(root, 'src/explorer/sqlWorker.ts'),
  wasmPath: join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'),
  execArgv: ['--require', 'tsx/cjs'],
});

/** A real sql.js worker thread. */
export const startWorkerClient = (): SqlWorkerClient => new SqlWorkerClient(workerOptions());

/** A SELECT that yields `count` rows without a table holding them: x, a name and a padded text. */
export const countingQuery = (count: number) =>
  `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ${count}) ` +
  `SELECT x, printf('user-%07d', (x * 7919) % ${count}) AS name, x % 3 AS bucket FROM n`;

/** Never ends on its own: only a cancel stops it. */
export const runawayQuery = 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n';

/** Unwraps a Result in a test, failing with the error it carries. */
export function expectOk<T>(
  result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } },
): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}
