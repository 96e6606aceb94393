import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';

/** A background process the harness started, in its own process group so stopping it stops its children. */
export interface ManagedProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

const running = new Set<ManagedProcess>();

export function startProcess(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; logFile: string },
): ManagedProcess {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(command, args, {
    env: options.env,
    cwd: options.cwd,
    detached: true, // own process group: kill(-pid) reaches the extension hosts and watchers it forks
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const managed: ManagedProcess = {
    pid: child.pid!,
    child,
    exited,
    async stop() {
      running.delete(managed);
      killGroup(child.pid!, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      killGroup(child.pid!, 'SIGKILL'); // stragglers in the group that ignored SIGTERM
      log.end();
    },
  };
  running.add(managed);
  return managed;
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Stops everything still running: called on exit so a failed or interrupted run leaves nothing behind. */
export function stopAllSync() {
  for (const p of running) killGroup(p.pid, 'SIGKILL');
  running.clear();
}
process.once('exit', stopAllSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopAllSync();
    // A script with its own handler (the demo) finishes its clean-up itself; otherwise stop here.
    if (process.listenerCount(signal) === 0) process.exit(130);
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Polls an HTTP URL until it answers (any status), or fails after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number, exited?: Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  exited?.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the server exited before ${url} answered`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/**
 * Runs a harness script (a bench, the demo, the in-host runner): exits with the code `main` returns (0 when
 * none), or 1 with the error printed, after stopping every process the harness started.
 */
export function runScript(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      stopAllSync();
      process.exit(code ?? 0);
    },
    (error: unknown) => {
      console.error(error);
      stopAllSync();
      process.exit(1);
    },
  );
}
