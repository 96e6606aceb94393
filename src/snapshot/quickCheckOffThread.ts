import { Worker } from 'node:worker_threads';

/** A snapshot checker that runs `quick_check` in dist/quickCheckWorker.js, so the host stays responsive. */
export function quickCheckOffThread(workerPath: string, wasmPath: string): (file: string) => Promise<string> {
  return (file) =>
    new Promise((resolve) => {
      const worker = new Worker(workerPath, { workerData: { file, wasmPath } });
      worker.once('message', (result: unknown) => {
        resolve(typeof result === 'string' ? result : 'no answer');
        void worker.terminate();
      });
      worker.once('error', (error) => resolve(`check failed to run: ${error.message}`));
      worker.once('exit', (code) => resolve(`the check stopped (exit ${code})`)); // no-op once resolved
    });
}
