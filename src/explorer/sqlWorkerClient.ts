import { Worker } from 'node:worker_threads';
import type { Result } from '../core/result';
import type { ErrorInfo } from '../protocol/explorerProtocol';
import type { WorkerOp, WorkerOps, WorkerRequest, WorkerResponse, WorkerStart } from './worker/workerProtocol';

export interface SqlWorkerOptions {
  /** The worker's entry: dist/sqlWorker.js in the extension, the TypeScript entry under tsx in tests. */
  workerPath: string;
  /** sql-wasm.wasm (dist/sql-wasm.wasm in the extension). */
  wasmPath: string;
  /** e.g. ['--import', 'tsx'] to run the TypeScript entry directly. */
  execArgv?: string[];
}

type Reply<Op extends WorkerOp> = Result<WorkerOps[Op]['reply'], ErrorInfo>;

const cancelled: ErrorInfo = { code: 'cancelled', message: 'Cancelled.' };

/**
 * The host's handle on one sql.js worker thread: request/response by id, with typed errors back.
 * `cancel()` ends the thread (the only way to stop a statement inside sql.js), answers everything in
 * flight with 'cancelled', and opens the same bytes in a fresh thread. A thread that dies on its own
 * (a wasm trap) is replaced the same way on the next request.
 */
export class SqlWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (response: WorkerResponse) => void>();
  private lastOpen: WorkerOps['open']['request'] | undefined;
  private disposed = false;

  constructor(private readonly options: SqlWorkerOptions) {}

  /** Opens DB bytes and its -wal, if any (kept, to re-open after a cancel or a crash). */
  async open(bytes: Uint8Array, revealSecrets: boolean, walBytes: Uint8Array | null = null): Promise<Reply<'open'>> {
    this.lastOpen = { bytes, walBytes, revealSecrets };
    return this.send('open', this.lastOpen);
  }

  async setSecretsRevealed(revealed: boolean): Promise<Reply<'setSecretsRevealed'>> {
    const reply = await this.request('setSecretsRevealed', { revealed });
    if (reply.ok && this.lastOpen) this.lastOpen = { ...this.lastOpen, revealSecrets: revealed };
    return reply;
  }

  /** Any other request; the DB must have been opened. */
  request<Op extends Exclude<WorkerOp, 'open'>>(op: Op, args: WorkerOps[Op]['request']): Promise<Reply<Op>> {
    return this.send(op, args);
  }

  /** True while a request waits for its answer (the webview shows Cancel then). */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /**
   * Stops whatever runs: ends the thread, answers pending requests with 'cancelled', and re-opens the
   * last DB in a new thread. Returns how that re-open went (undefined when nothing was open).
   */
  async cancel(): Promise<Reply<'open'> | undefined> {
    await this.stopWorker(cancelled);
    if (this.disposed || !this.lastOpen) return undefined;
    return this.send('open', this.lastOpen);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.lastOpen = undefined;
    await this.stopWorker({ code: 'disposed', message: 'The editor was closed.' });
  }

  private send<Op extends WorkerOp>(op: Op, args: WorkerOps[Op]['request']): Promise<Reply<Op>> {
    if (this.disposed)
      return Promise.resolve({ ok: false, error: { code: 'disposed', message: 'The editor was closed.' } });
    const worker = this.ensureWorker(op);
    const id = this.nextId++;
    return new Promise<Reply<Op>>((resolve) => {
      this.pending.set(id, (response) =>
        resolve(
          response.ok
            ? { ok: true, value: response.value as WorkerOps[Op]['reply'] }
            : { ok: false, error: response.error },
        ),
      );
      worker.postMessage({ id, op, ...args } as WorkerRequest);
    });
  }

  /** The running thread, or a new one; a replacement first re-opens the DB the old one had. */
  private ensureWorker(op: WorkerOp): Worker {
    if (this.worker) return this.worker;
    const start: WorkerStart = { wasmPath: this.options.wasmPath };
    const worker = new Worker(this.options.workerPath, { workerData: start, execArgv: this.options.execArgv });
    this.worker = worker;
    let failure: string | undefined;
    worker.on('message', (response: WorkerResponse) => {
      const settle = this.pending.get(response.id);
      this.pending.delete(response.id);
      settle?.(response);
    });
    worker.on('error', (error) => (failure = error.message));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failPending({
        code: 'worker-crashed',
        message: `The SQL engine stopped (${failure ?? `exit code ${code}`}). It restarts on the next request.`,
      });
    });
    // Re-opening goes first in the new thread's queue, so the request after it sees the DB.
    if (op !== 'open' && this.lastOpen) {
      const id = this.nextId++;
      this.pending.set(id, () => undefined);
      worker.postMessage({ id, op: 'open', ...this.lastOpen } as WorkerRequest);
    }
    return worker;
  }

  private async stopWorker(reason: ErrorInfo): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failPending(reason);
    if (worker) await worker.terminate();
  }

  private failPending(error: ErrorInfo): void {
    const settles = [...this.pending.values()];
    this.pending.clear();
    for (const settle of settles) settle({ id: 0, ok: false, error });
  }
}
