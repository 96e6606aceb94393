/**
 * Runs a command through client-node's real `Exec` (websocket, channel protocol) and collects the
 * result; for tests of the server and of code that uses exec.
 */
import { PassThrough, Readable, Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';

export interface ExecResult {
  stdout: Buffer;
  stderr: string;
  status: V1Status;
  /** From the status channel: 0 on Success, else the NonZeroExitCode cause. */
  exitCode: number | undefined;
  /** The sub-protocol the server chose. */
  protocol: string;
}

export async function execIn(
  kc: KubeConfig,
  target: { namespace: string; pod: string; container: string },
  command: string[],
  stdin?: string | Buffer,
): Promise<ExecResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const collect = (into: Buffer[]) =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        into.push(chunk);
        cb();
      },
    });
  let input: Readable | null = null;
  if (stdin !== undefined) {
    const p = new PassThrough();
    p.end(stdin);
    input = p;
  }
  let protocol = '';
  const status = await new Promise<V1Status>((resolve, reject) => {
    new Exec(kc)
      .exec(target.namespace, target.pod, target.container, command, collect(out), collect(err), input, false, resolve)
      .then(
        (ws) => {
          protocol = ws.protocol;
          ws.on('close', () => setImmediate(() => reject(new Error('exec websocket closed without a status'))));
        },
        (e: unknown) => reject(asError(e)),
      );
  });
  const exitCode =
    status.status === 'Success'
      ? 0
      : status.reason === 'NonZeroExitCode'
        ? Number(status.details?.causes?.[0]?.message)
        : undefined;
  return { stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), status, exitCode, protocol };
}

/** client-node rejects a failed upgrade with ws's ErrorEvent ("Unexpected server response: 403"). */
function asError(e: unknown): Error {
  if (e instanceof Error) return e;
  const event = e as { message?: string; error?: unknown };
  if (event.error instanceof Error) return event.error;
  return new Error(event.message ?? String(e));
}
