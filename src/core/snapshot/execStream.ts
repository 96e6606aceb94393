/**
 * Runs one command through client-node's `Exec` (websocket, channel protocol), streaming stdout into a
 * sink with backpressure (the websocket pauses while the sink is full), collecting stderr, and
 * closing the websocket on abort.
 */
import { Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';

/** client-node's websocket (ws's WebSocket under Node), named without importing its package. */
type ExecSocket = Awaited<ReturnType<Exec['exec']>>;

export interface ExecTarget {
  namespace: string;
  pod: string;
  container: string;
}

/** Where stdout goes: write() returns false when full, then 'drain'. */
export interface Sink {
  write(chunk: Buffer): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

export type ExecOutcome =
  /** The command ran; status is what the status channel said (exit code for non-zero exits). */
  | { kind: 'finished'; status: V1Status; stderr: string }
  /** The connection closed before a status arrived (cluster unreachable mid-stream, cut, restart). */
  | { kind: 'interrupted'; stderr: string }
  /** The upgrade was refused with this HTTP status (403 exec forbidden, 404 pod, 400 not running…). */
  | { kind: 'refused'; httpStatus: number; message: string }
  /** No connection at all (DNS, refused, TLS). */
  | { kind: 'unreachable'; error: unknown }
  | { kind: 'aborted' };

/** The exit code a status carries: 0 on Success, the NonZeroExitCode cause, else undefined. */
export function exitCodeOf(status: V1Status): number | undefined {
  if (status.status === 'Success') return 0;
  if (status.reason === 'NonZeroExitCode') {
    const code = Number(status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message);
    return Number.isInteger(code) ? code : undefined;
  }
  return undefined;
}

export async function execToSink(
  kubeConfig: KubeConfig,
  target: ExecTarget,
  command: string[],
  sink: Sink,
  signal?: AbortSignal,
): Promise<ExecOutcome> {
  if (signal?.aborted) return { kind: 'aborted' };
  let socket: ExecSocket | undefined;
  const stderrChunks: Buffer[] = [];
  let stderrBytes = 0;

  let settle!: (outcome: ExecOutcome) => void;
  const settled = new Promise<ExecOutcome>((resolve) => (settle = resolve));
  let done = false;
  const finish = (outcome: ExecOutcome) => {
    if (done) return;
    done = true;
    signal?.removeEventListener('abort', onAbort);
    settle(outcome);
  };
  const onAbort = () => {
    finish({ kind: 'aborted' });
    socket?.close();
  };
  signal?.addEventListener('abort', onAbort);

  const stdout = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!done && !sink.write(chunk) && socket) {
        // The disk is behind: stop reading the websocket until the sink drains.
        const paused = socket;
        paused.pause();
        sink.once('drain', () => paused.resume());
      }
      callback();
    },
  });
  const stderr = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      // Keep the first 64 KiB: enough for any message, bounded for a chatty command.
      if (stderrBytes < 65536) stderrChunks.push(chunk);
      stderrBytes += chunk.length;
      callback();
    },
  });
  const stderrText = () => Buffer.concat(stderrChunks).toString('utf8');

  try {
    socket = await new Exec(kubeConfig).exec(
      target.namespace,
      target.pod,
      target.container,
      command,
      stdout,
      stderr,
      null,
      false,
      (status) => finish({ kind: 'finished', status, stderr: stderrText() }),
    );
  } catch (error) {
    finish(refusalOrUnreachable(error));
    return settled;
  }
  if (done) socket.close(); // aborted while connecting
  socket.on('close', () => {
    // The status message is handled before the close event: anything still open here was cut.
    setImmediate(() => finish({ kind: 'interrupted', stderr: stderrText() }));
  });
  return settled;
}

/** client-node rejects a failed upgrade with ws's ErrorEvent: "Unexpected server response: 403". */
function refusalOrUnreachable(error: unknown): ExecOutcome {
  const event = (typeof error === 'object' && error !== null ? error : {}) as { message?: unknown; error?: unknown };
  const message = typeof event.message === 'string' ? event.message : String(error);
  const m = /Unexpected server response: (\d{3})/.exec(message);
  if (m) return { kind: 'refused', httpStatus: Number(m[1]), message };
  return { kind: 'unreachable', error: event.error ?? error };
}
