/**
 * `pods/{name}/exec` over websocket with the channel sub-protocols (v5 … v1.channel.k8s.io): stdin 0,
 * stdout 1, stderr 2, status 3 (a Status JSON with the exit code in v4+), resize 4, close 255 (v5).
 * The command runs for real on this machine in the container's file tree (see containerFs.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { authenticate, authorize, type TokenSpec } from '../auth';
import type { ClusterState } from '../cluster';
import { badRequest, execNonZeroExit, execSuccess, failure, notFound, type Status } from '../status';
import type { Pod } from '../wireTypes';
import { containerStatusOf, resolveContainer } from './podContainers';

/** Sub-protocols in the server's preference; the client's offer order wins among these. */
const supportedProtocols = [
  'v5.channel.k8s.io',
  'v4.channel.k8s.io',
  'v3.channel.k8s.io',
  'v2.channel.k8s.io',
  'channel.k8s.io',
];
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;
const CLOSE = 255;
/** Output is paused while this much is queued on the websocket (backpressure for big files). */
const HIGH_WATER = 4 * 1024 * 1024;

interface Session {
  child: ChildProcess | undefined;
  ws: WebSocket;
}

/** Running exec sessions: tests wait for them to finish; close() kills them. */
export class ExecSessions {
  private readonly sessions = new Set<Session>();
  private idleWaiters: (() => void)[] = [];

  add(s: Session): void {
    this.sessions.add(s);
  }

  remove(s: Session): void {
    this.sessions.delete(s);
    if (this.sessions.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Resolves when no exec command is running any more (the pod-side processes have exited). */
  whenIdle(): Promise<void> {
    if (this.sessions.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Kills every running command (its whole process group) and closes its websocket. */
  killAll(): void {
    for (const s of this.sessions) {
      s.ws.terminate();
      killGroup(s.child);
    }
  }
}

function killGroup(child: ChildProcess | undefined): void {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Answers a failed upgrade with an HTTP response carrying a Status, as the API server does. */
export function rejectUpgrade(socket: Duplex, status: Status): number {
  const body = JSON.stringify(status);
  socket.end(
    `HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
  return status.code;
}

export interface ExecDeps {
  cluster: ClusterState;
  tokens: TokenSpec[];
  sessions: ExecSessions;
  wss: WebSocketServer;
}

export function createExecWebSocketServer(): WebSocketServer {
  return new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 64 * 1024 * 1024,
    handleProtocols: (offered) => [...offered].find((p) => supportedProtocols.includes(p)) ?? false,
  });
}

/** Handles an upgrade request for `/api/v1/namespaces/{ns}/pods/{pod}/exec`; returns the HTTP status. */
export function handleExecUpgrade(
  deps: ExecDeps,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  url: URL,
  namespace: string,
  podName: string,
): number {
  const spec = authenticate(req, deps.tokens);
  if ('kind' in spec) return rejectUpgrade(socket, spec);
  const denied = authorize(spec, { verb: 'create', resource: 'pods/exec', group: '', namespace, name: podName });
  if (denied) return rejectUpgrade(socket, denied);
  const pod = deps.cluster.get<Pod>('Pod', namespace, podName);
  if (!pod) return rejectUpgrade(socket, notFound('pods', podName));
  const container = resolveContainer(pod, url.searchParams.get('container'));
  if (typeof container !== 'string') return rejectUpgrade(socket, container);
  if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed')
    return rejectUpgrade(
      socket,
      badRequest(`cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`),
    );
  if (!containerStatusOf(pod, container)?.state.running)
    return rejectUpgrade(socket, badRequest(`unable to upgrade connection: container not found ("${container}")`));
  const command = url.searchParams.getAll('command');
  if (command.length === 0) return rejectUpgrade(socket, badRequest('you must specify at least 1 command'));
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket')
    // kubectl falls back to SPDY only when the websocket upgrade failed; by then the error is above.
    return rejectUpgrade(
      socket,
      failure(400, 'BadRequest', 'this test server serves exec over websocket only, not SPDY/3.1'),
    );

  deps.wss.handleUpgrade(req, socket, head, (ws) => runSession(deps, ws, url, namespace, podName, container, command));
  return 101;
}

function runSession(
  deps: ExecDeps,
  ws: WebSocket,
  url: URL,
  namespace: string,
  podName: string,
  container: string,
  command: string[],
): void {
  const flag = (name: string) => ['true', '1'].includes(url.searchParams.get(name) ?? '');
  const wantStdin = flag('stdin');
  const tty = flag('tty');
  const v4plus = ws.protocol === 'v4.channel.k8s.io' || ws.protocol === 'v5.channel.k8s.io';
  const fs = deps.cluster.containers.get(namespace, podName, container);
  const argv = command.map((a) => fs.rewriteArg(a));

  const session: Session = { child: undefined, ws };
  deps.sessions.add(session);

  const sendFrame = (channel: number, data: Buffer | string) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    const payload = typeof data === 'string' ? Buffer.from(data) : data;
    ws.send(Buffer.concat([Buffer.from([channel]), payload]), { binary: true }, () => {
      if (ws.bufferedAmount < HIGH_WATER / 4) resume();
    });
    if (ws.bufferedAmount > HIGH_WATER) pause();
  };
  const finish = (status: object | string) => {
    if (ws.readyState === WebSocket.OPEN) {
      sendFrame(STATUS, typeof status === 'string' ? status : JSON.stringify(status));
      ws.close(1000);
    }
  };

  let child: ChildProcess;
  try {
    child = spawn(argv[0]!, argv.slice(1), {
      cwd: fs.root,
      env: fs.env(),
      detached: true, // its own process group, so cancel/close can kill what the shell started
      stdio: [wantStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    finish(startFailure(command[0]!, error, v4plus));
    deps.sessions.remove(session);
    return;
  }
  session.child = child;
  const pause = () => {
    child.stdout?.pause();
    child.stderr?.pause();
  };
  const resume = () => {
    child.stdout?.resume();
    child.stderr?.resume();
  };

  child.stdout!.on('data', (d: Buffer) => sendFrame(STDOUT, d));
  child.stderr!.on('data', (d: Buffer) => sendFrame(tty ? STDOUT : STDERR, d));
  child.stdin?.on('error', () => {}); // EPIPE when the command exits before reading all input
  child.stdout!.on('error', () => {});
  child.stderr!.on('error', () => {});

  let started = true;
  child.on('error', (error) => {
    started = false;
    finish(startFailure(command[0]!, error, v4plus));
    deps.sessions.remove(session);
  });
  child.on('close', (code, signal) => {
    if (started) {
      const exitCode = code ?? 128 + signalNumber(signal);
      if (exitCode === 0) finish(v4plus ? execSuccess() : '');
      else {
        const status = execNonZeroExit(command, exitCode);
        finish(v4plus ? status : status.message);
      }
    }
    deps.sessions.remove(session);
  });

  ws.on('message', (data: Buffer) => {
    if (data.length === 0) return;
    const channel = data[0];
    if (channel === STDIN) child.stdin?.write(data.subarray(1));
    else if (channel === CLOSE && data[1] === STDIN) child.stdin?.end();
    // RESIZE (4) is ignored: there is no terminal.
  });
  ws.on('close', () => {
    // The client went away: like the container runtime, close the command's pipes (its next write gets
    // SIGPIPE/EPIPE) but do not kill it: its own traps decide what happens.
    child.stdin?.destroy();
    child.stdout?.destroy();
    child.stderr?.destroy();
  });
  ws.on('error', () => {});
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGKILL: 9,
    SIGPIPE: 13,
    SIGTERM: 15,
  };
  return (signal && numbers[signal]) || 0;
}

/** The runtime's error when the executable does not exist (status 500 on the status channel). */
function startFailure(executable: string, error: unknown, v4plus: boolean): object | string {
  const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
  const message = missing
    ? `OCI runtime exec failed: exec failed: unable to start container process: exec: "${executable}": executable file not found in $PATH: unknown`
    : `OCI runtime exec failed: ${(error as Error).message}: unknown`;
  if (!v4plus) return message;
  // The status channel carries a Status without kind/apiVersion.
  const {
    kind: _kind,
    apiVersion: _apiVersion,
    ...status
  } = failure(500, 'InternalError', `Internal error occurred: error executing command in container: ${message}`);
  return status;
}
