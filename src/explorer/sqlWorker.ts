/**
 * Entry point of the sql.js worker thread (bundled to dist/sqlWorker.js). sql.js is synchronous: running
 * it here keeps the extension host responsive, and a runaway query is stopped by ending this thread.
 * Requests are handled one at a time, in order, so an export never races a new query for its table.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ErrorInfo } from '../protocol/explorerProtocol';
import { ExplorerDb } from './worker/explorerDb';
import { loadSqlJs } from '../core/hubdb';
import type { WorkerRequest, WorkerResponse, WorkerStart } from './worker/workerProtocol';

const port = parentPort;
if (!port) throw new Error('sqlWorker runs only as a worker thread.');
const start = workerData as WorkerStart;
const db = loadSqlJs({ wasmPath: start.wasmPath }).then((SQL) => new ExplorerDb(SQL));
let queue: Promise<unknown> = Promise.resolve();

port.on('message', (request: WorkerRequest) => {
  queue = queue.then(() => answer(request));
});

async function answer(request: WorkerRequest): Promise<void> {
  let response: WorkerResponse;
  let fatal = false;
  try {
    const result = await (await db).handle(request);
    response = result.ok
      ? { id: request.id, ok: true, value: result.value }
      : { id: request.id, ok: false, error: result.error };
  } catch (error) {
    // A wasm trap (out of memory in the module, an abort) leaves sql.js unusable: say so, then end the
    // thread so the host starts a fresh one.
    fatal = error instanceof WebAssembly.RuntimeError || /^abort/i.test(String(error));
    const info: ErrorInfo = {
      code: fatal ? 'worker-crashed' : 'internal',
      message: `The SQL engine failed: ${error instanceof Error ? error.message : String(error)}`,
    };
    response = { id: request.id, ok: false, error: info };
  }
  port!.postMessage(response);
  if (fatal) process.exit(1);
}
