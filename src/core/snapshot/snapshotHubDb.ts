/**
 * A consistent, read-only snapshot of a hub's SQLite database, taken over exec: the container makes an
 * online-backup copy (backupScript.ts) and streams it here into `<dest>.partial`, which is checked
 * (`PRAGMA quick_check`) and then renamed into place with a JSON sidecar. On any failure or cancel,
 * nothing is left in the destination folder; the container's trap removes its temp file.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { describeKubeError } from '../cluster/kubeErrors';
import { ContextClient } from '../cluster/contextClient';
import { err, ok, UserError, type Result } from '../result';
import { BackupExit, backupCommand, methodFrom } from './backupScript';
import { execToSink, exitCodeOf, type ExecOutcome, type Sink } from './execStream';
import { containerProblem } from './hubContainer';
import { quickCheck } from './quickCheck';
import { writeSidecar, type SnapshotInfo } from './snapshotFiles';

export const DEFAULT_HUB_DB_PATH = '/srv/jupyterhub/jupyterhub.sqlite';

export interface SnapshotRequest {
  /** Holds credentials: never logged. */
  kubeConfig: KubeConfig;
  /** Default: the kubeconfig's current context. */
  context?: string;
  namespace: string;
  pod: string;
  /** Default 'hub'. */
  container?: string;
  /** Default /srv/jupyterhub/jupyterhub.sqlite (z2jh's sqlite-pvc). */
  dbPath?: string;
  /** Where the snapshot goes; its folder must exist. */
  destFile: string;
  signal?: AbortSignal;
  /** Called as bytes arrive (at most every 200 ms, and once at the end). */
  onProgress?(bytes: number, bytesPerSecond: number): void;
  /** sql.js wasm location in a bundle (see core/hubdb/sqlJs.ts). */
  wasmPath?: string;
  /**
   * Runs `PRAGMA quick_check` on the copy: 'ok' or SQLite's complaint. Default: sql.js in this thread,
   * fine for the CLI; the extension passes one that runs off the host's main thread.
   */
  check?(file: string): Promise<string>;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const PROGRESS_EVERY_MS = 200;

export async function snapshotHubDb(request: SnapshotRequest): Promise<Result<SnapshotInfo, UserError>> {
  const context = request.context ?? request.kubeConfig.getCurrentContext();
  const container = request.container ?? 'hub';
  const dbPath = request.dbPath ?? DEFAULT_HUB_DB_PATH;
  const where = { context, namespace: request.namespace, pod: request.pod, container };
  const cancelled = () => err(new UserError('Snapshot cancelled; nothing was saved.', 'cancelled'));

  const opened = ContextClient.open(request.kubeConfig, context);
  if (!opened.ok) return opened;
  const client = opened.value;
  // Cancelling aborts the pod read in flight (the exec has its own handling).
  const abortRead = () => client.dispose();
  request.signal?.addEventListener('abort', abortRead, { once: true });
  try {
    // 1. The pod must be there with its container running.
    let pod: V1Pod;
    try {
      pod = await client.core.readNamespacedPod({ name: request.pod, namespace: request.namespace });
    } catch (error) {
      if (request.signal?.aborted) return cancelled();
      return err(podReadError(error, client, where));
    }
    const problem = containerProblem(pod, where);
    if (problem) return err(problem);
    if (request.signal?.aborted) return cancelled();

    // 2. Stream the container's backup into <dest>.partial.
    const partial = `${request.destFile}.partial`;
    const result = await streamBackup(client.kubeConfig, request, where, dbPath, partial);
    if (!result.ok) {
      await rm(partial, { force: true });
      return result;
    }

    // 3. Check the copy, then put it in place.
    const runCheck =
      request.check ?? ((file: string) => quickCheck(file, request.wasmPath ? { wasmPath: request.wasmPath } : {}));
    const check = await runCheck(partial).catch((error: unknown) => `check failed to run: ${(error as Error).message}`);
    if (check !== 'ok') {
      await rm(partial, { force: true });
      return err(
        new UserError(
          `The copy of ${dbPath} failed its integrity check (quick_check: ${check}); it was deleted. Retry the snapshot; if it fails again, the hub's database itself may be damaged.`,
          'quick-check-failed',
        ),
      );
    }
    if (request.signal?.aborted) {
      await rm(partial, { force: true });
      return cancelled();
    }
    const info: SnapshotInfo = {
      file: request.destFile,
      context,
      namespace: request.namespace,
      pod: request.pod,
      container,
      dbPath,
      takenAt: new Date().toISOString(),
      bytes: result.value.bytes,
      sha256: result.value.sha256,
      quickCheck: check,
      method: result.value.method,
    };
    try {
      await rename(partial, request.destFile);
      await writeSidecar(info);
    } catch (error) {
      await rm(partial, { force: true });
      await rm(request.destFile, { force: true });
      return err(localWriteError(request.destFile, error));
    }
    return ok(info);
  } finally {
    request.signal?.removeEventListener('abort', abortRead);
    client.dispose();
  }
}

interface Streamed {
  bytes: number;
  sha256: string;
  method: 'python3' | 'sqlite3';
}

async function streamBackup(
  kubeConfig: KubeConfig,
  request: SnapshotRequest,
  where: { context: string; namespace: string; pod: string; container: string },
  dbPath: string,
  partial: string,
): Promise<Result<Streamed, UserError>> {
  let file;
  try {
    // A large buffer: the websocket pauses only when the disk is really behind, not every 16 KiB.
    file = createWriteStream(partial, { mode: 0o600, highWaterMark: 8 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      file!.once('open', () => resolve());
      file!.once('error', reject);
    });
  } catch (error) {
    return err(localWriteError(partial, error));
  }
  let diskError: unknown;
  file.on('error', (error) => (diskError ??= error));

  const hash = createHash('sha256');
  let bytes = 0;
  const started = Date.now();
  let lastProgress = 0;
  const report = (force = false) => {
    const now = Date.now();
    if (!request.onProgress || (!force && now - lastProgress < PROGRESS_EVERY_MS)) return;
    lastProgress = now;
    const seconds = Math.max((now - started) / 1000, 0.001);
    request.onProgress(bytes, bytes / seconds);
  };
  // Counts and hashes on the way to the file.
  const sink: Sink = {
    write(chunk: Buffer): boolean {
      bytes += chunk.length;
      hash.update(chunk);
      const more = file!.write(chunk);
      report();
      return more;
    },
    once: (event, listener) => file!.once(event, listener),
  };

  const outcome = await execToSink(kubeConfig, where, backupCommand(dbPath), sink, request.signal);
  await new Promise<void>((resolve) => file!.end(() => resolve()));
  if (diskError) return err(localWriteError(partial, diskError));
  if (outcome.kind === 'aborted' || request.signal?.aborted)
    return err(new UserError('Snapshot cancelled; nothing was saved.', 'cancelled'));
  const failure = outcomeError(outcome, where, dbPath, bytes);
  if (failure) return err(failure);
  const method = methodFrom(outcome.kind === 'finished' ? outcome.stderr : '') ?? 'python3';
  if (!(await startsWithSqliteMagic(partial)))
    return err(
      new UserError(
        `The hub container sent ${bytes} bytes that are not a SQLite database; nothing was saved. Retry; if it happens again, run the copy by hand to see what the container prints.`,
        'backup-failed',
      ),
    );
  report(true);
  return ok({ bytes, sha256: hash.digest('hex'), method });
}

/** undefined for a clean exit, else what went wrong in the operator's words. */
function outcomeError(
  outcome: Exclude<ExecOutcome, { kind: 'aborted' }>,
  where: { context: string; namespace: string; pod: string; container: string },
  dbPath: string,
  bytes: number,
): UserError | undefined {
  const inPod = `${where.pod} (${where.namespace})`;
  if (outcome.kind === 'unreachable')
    return new UserError(
      `Cannot reach the Kubernetes API of context "${where.context}" to exec into ${inPod}: ${networkWords(outcome.error)}. Check the network (VPN) and the context, then retry.`,
      'unreachable',
      { cause: outcome.error },
    );
  if (outcome.kind === 'refused') {
    const s = outcome.httpStatus;
    if (s === 401)
      return new UserError(
        `Context "${where.context}": the API server rejected the credentials (401) for exec. The token may have expired: refresh the kubeconfig's credentials.`,
        'unauthorized',
      );
    if (s === 403)
      return new UserError(
        `Context "${where.context}" may read ${inPod} but not exec into it (pods/exec is forbidden in namespace "${where.namespace}"). Ask for "create" on pods/exec in that namespace, or copy the database another way.`,
        'exec-forbidden',
      );
    if (s === 404)
      return new UserError(
        `Pod ${inPod} is gone (404): the hub may have restarted under a new name. Refresh and snapshot the current hub pod.`,
        'pod-not-found',
      );
    if (s === 400)
      return new UserError(
        `The ${where.container} container of ${inPod} is not running any more (the API refused exec with 400). Wait for the container to start, then retry.`,
        'container-not-running',
      );
    return new UserError(
      `The API server refused exec into ${inPod} (HTTP ${s}). Retry; if it persists, check the API server's health.`,
      'exec-refused',
    );
  }
  if (outcome.kind === 'interrupted')
    return new UserError(
      `The connection to the cluster dropped after ${bytes} bytes of the copy of ${dbPath}; nothing was saved. Retry the snapshot.`,
      'interrupted',
    );
  const code = exitCodeOf(outcome.status);
  if (code === 0) return undefined;
  const said = lastLine(outcome.stderr);
  const dbHint =
    "z2jh keeps it there when hub.db.type is sqlite-pvc; a hub with hub.db.type postgres or mysql (hub.db.url) has no SQLite file to snapshot: use that database's own tools.";
  switch (code) {
    case BackupExit.missing:
      return new UserError(`There is no hub database at ${dbPath} in ${inPod}. ${dbHint}`, 'db-missing');
    case BackupExit.notSqlite:
      return new UserError(`${dbPath} in ${inPod} is not a SQLite database. ${dbHint}`, 'not-sqlite');
    case BackupExit.unreadable:
      return new UserError(`${dbPath} in ${inPod} exists but the exec user cannot read it.`, 'db-unreadable');
    case BackupExit.noTool:
      return new UserError(
        `The ${where.container} container of ${inPod} has neither python3 nor sqlite3, so it cannot make a consistent copy. Copy the database from the hub-db-dir volume with a helper pod instead.`,
        'exec-unavailable',
      );
    case BackupExit.noTemp:
      return new UserError(
        `The container could not create a temporary file (its /tmp may be full or read-only): ${said}`,
        'backup-failed',
      );
    case BackupExit.backupFailed:
      return new UserError(
        `SQLite's backup failed inside ${inPod}: ${said || 'no message'}. Retry; a busy or locked database usually succeeds on a second try.`,
        'backup-failed',
      );
  }
  if (code === undefined) {
    // A Failure without an exit code: the runtime could not start the command (no sh in the image…).
    return new UserError(
      `Exec into ${inPod} could not run the copy: ${outcome.status.message ?? 'no message'}. The image may lack a shell; copy the database from the hub-db-dir volume with a helper pod instead.`,
      'exec-unavailable',
    );
  }
  return new UserError(
    `The copy in ${inPod} ended with exit code ${code}${said ? `: ${said}` : ''}. Nothing was saved; retry.`,
    'backup-failed',
  );
}

function podReadError(
  error: unknown,
  client: ContextClient,
  where: { context: string; namespace: string; pod: string },
): UserError {
  const problem = describeKubeError(error, {
    context: where.context,
    server: client.server,
    action: `read pod ${where.pod}`,
    namespace: where.namespace,
  });
  const code =
    problem.code === 'not-found'
      ? 'pod-not-found'
      : problem.code === 'timeout' || problem.code === 'tls'
        ? 'unreachable'
        : problem.code;
  const message =
    problem.code === 'not-found'
      ? `Pod ${where.pod} is not in namespace "${where.namespace}" (context "${where.context}"): the hub may have restarted under a new name. Refresh and snapshot the current hub pod.`
      : problem.code === 'unreachable'
        ? `${problem.message} Check the network (VPN) and the context, then retry.`
        : problem.message;
  return new UserError(message, code, { cause: error });
}

function localWriteError(file: string, error: unknown): UserError {
  const e = error as NodeJS.ErrnoException;
  const why =
    e.code === 'ENOSPC'
      ? 'the disk is full'
      : e.code === 'EACCES'
        ? 'permission denied'
        : e.code === 'ENOENT'
          ? 'the folder does not exist'
          : e.message;
  return new UserError(`Could not write the snapshot ${file}: ${why}. Nothing was saved.`, 'write-failed', {
    cause: error,
  });
}

function networkWords(error: unknown): string {
  let current: unknown = error;
  for (let i = 0; i < 5 && current; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code === 'ECONNREFUSED' ? 'connection refused' : code;
    current = (current as { cause?: unknown }).cause;
  }
  return (error as { message?: string })?.message ?? 'connection failed';
}

const lastLine = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('hubops-method:'))
    .at(-1)
    ?.slice(0, 300) ?? '';

async function startsWithSqliteMagic(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await handle.read(head, 0, 16, 0);
    return bytesRead === 16 && head.equals(SQLITE_MAGIC);
  } finally {
    await handle.close();
  }
}
