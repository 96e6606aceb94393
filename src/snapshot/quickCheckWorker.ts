/**
 * Entry point of a one-shot worker thread (bundled to dist/quickCheckWorker.js): `PRAGMA quick_check` on a
 * fresh snapshot with sql.js, off the extension host's main thread (a large DB takes seconds to check).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { quickCheck } from '../core/snapshot/quickCheck';

const { file, wasmPath } = workerData as { file: string; wasmPath: string };
quickCheck(file, { wasmPath }).then(
  (result) => parentPort!.postMessage(result),
  (error: unknown) => parentPort!.postMessage(`check failed to run: ${String(error)}`),
);
