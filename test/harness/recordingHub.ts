import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local HTTP server playing the part of JupyterHub's REST API that the cleanup scripts use, recording
 * every request exactly as it arrived on the wire:
 *
 * - `GET {base}hub/api/users/{name}[?include_stopped_servers=…]`: the user model, with `servers` as
 *   JupyterHub 3.0+ writes it (stopped servers only when asked; `stopped`, `started`, `last_activity`);
 * - `DELETE {base}hub/api/users/{name}/servers/{server}`: removes a named server (204);
 * - `DELETE {base}hub/api/users/{name}`: removes the user and all their servers, as JupyterHub does;
 * - anything else: JupyterHub's JSON 404 (and the request stays recorded, for tests to find).
 *
 * Paths are routed and decoded as tornado does for JupyterHub: the route regex runs on the raw path
 * (`[^/]+` per name), then each captured segment is percent-decoded to bytes and read as UTF-8 (400 if
 * it is not). Nothing is normalised: a `..` segment stays a segment, and is recorded as sent.
 */

export interface RecordedRequest {
  method: string;
  /** The request target as received: path and query, not decoded, not normalised. */
  rawPath: string;
  /** Header names (lower case) and values, in the order received. */
  headers: [string, string][];
  body: Buffer;
  /** What the hub did: a status code, or 'reset'. */
  answer: number | 'reset';
}

export interface HubServerState {
  stopped: boolean;
  /** ISO 8601 UTC as JupyterHub writes it (`…Z`), or null. */
  lastActivity: string | null;
  started: string | null;
}

export interface HubUserState {
  lastActivity: string | null;
  servers: Map<string, HubServerState>;
}

/** How the hub misbehaves for one request, after recording it. */
export type HubFault =
  | 'reset' // the connection is reset before any answer
  | 'error-500'
  | 'error-403'
  | 'login-page' // 200 with an HTML login page, as a hub behind an auth proxy may answer
  | 'redirect' // 302 to the login page (must not be followed)
  | 'other-user' // 200 with another user's model
  | 'proxy-404'; // 404 that is not JupyterHub's JSON (a wrong HUB_URL)

export interface HubRoute {
  kind: 'user' | 'server';
  user: string;
  /** For kind 'server'. */
  server?: string;
  query: URLSearchParams;
}

export interface RecordingHubOptions {
  token: string;
  /** The hub's base URL path; default '/'. */
  basePath?: string;
  users: Map<string, HubUserState>;
  /** A fault for this request (decoded route when it has one), or undefined to answer normally. */
  fault?: (method: string, route: HubRoute | null, rawPath: string) => HubFault | undefined;
  /** Called as each request arrives, while its client waits for the answer. */
  onRequest?: (request: RecordedRequest) => void;
}

export interface RecordingHub {
  /** The hub URL to give the scripts (base path included, trailing slash). */
  url: string;
  requests: RecordedRequest[];
  users: Map<string, HubUserState>;
  close(): Promise<void>;
}

/** Tornado's `url_unescape(s, encoding=None)` then UTF-8: null when the bytes are not UTF-8 (a 400). */
export function tornadoUnquote(segment: string): string | null {
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; i++) {
    const hex = segment.slice(i + 1, i + 3);
    if (segment[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(segment[i]!, 'latin1'));
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** JupyterHub's two routes the scripts may use, matched on the raw path as tornado does. */
export function matchHubRoute(rawPath: string, basePath = '/'): HubRoute | null | 'not-utf-8' {
  const q = rawPath.indexOf('?');
  const path = q >= 0 ? rawPath.slice(0, q) : rawPath;
  const query = new URLSearchParams(q >= 0 ? rawPath.slice(q + 1) : '');
  const api = `^${escapeRegExp(basePath)}hub/api/users/([^/]+)`;
  const server = new RegExp(`${api}/servers/([^/]*)$`).exec(path);
  const user = new RegExp(`${api}$`).exec(path);
  const match = server ?? user;
  if (!match) return null;
  const names = match.slice(1).map(tornadoUnquote);
  if (names.some((n) => n === null)) return 'not-utf-8';
  return server
    ? { kind: 'server', user: names[0]!, server: names[1]!, query }
    : { kind: 'user', user: names[0]!, query };
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
const hubError = (res: ServerResponse, status: number, message: string) => json(res, status, { status, message });

export async function startRecordingHub(options: RecordingHubOptions): Promise<RecordingHub> {
  const basePath = options.basePath ?? '/';
  const requests: RecordedRequest[] = [];
  const { users } = options;
  const sockets = new Set<Socket>();

  const answer = (req: IncomingMessage, res: ServerResponse, record: RecordedRequest) => {
    const route = matchHubRoute(record.rawPath, basePath);
    const decoded = route === 'not-utf-8' ? null : route;
    const fault = options.fault?.(record.method, decoded, record.rawPath);
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    switch (fault) {
      case 'reset':
        record.answer = 'reset';
        req.socket.resetAndDestroy();
        return;
      case 'error-500':
        return hubError(res, 500, 'Internal Server Error');
      case 'error-403':
        return hubError(res, 403, 'Forbidden');
      case 'login-page':
        return res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Sign in</title><form>');
      case 'redirect':
        return res.writeHead(302, { Location: `${origin}${basePath}hub/login?next=stolen` }).end();
      case 'other-user':
        return json(res, 200, { kind: 'user', name: 'someone-else', servers: {} });
      case 'proxy-404':
        return res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>404 Not Found</h1>');
    }
    if (req.headers.authorization !== `token ${options.token}`)
      return hubError(res, 403, 'Missing or invalid credentials');
    if (route === 'not-utf-8') return hubError(res, 400, 'Invalid unicode in URL');
    if (!route) return hubError(res, 404, 'Not Found');
    const user = users.get(route.user);
    if (route.kind === 'user' && record.method === 'GET') {
      if (!user) return hubError(res, 404, 'Not Found');
      const flag = route.query.get('include_stopped_servers');
      const withStopped = flag !== null && !['0', 'false'].includes(flag.toLowerCase());
      const servers: Record<string, unknown> = {};
      for (const [name, s] of user.servers)
        if (withStopped || !s.stopped)
          servers[name] = {
            name,
            last_activity: s.lastActivity,
            started: s.started,
            pending: null,
            ready: !s.stopped,
            stopped: s.stopped,
          };
      return json(res, 200, { kind: 'user', name: route.user, last_activity: user.lastActivity, servers });
    }
    if (route.kind === 'user' && record.method === 'DELETE') {
      // What JupyterHub does with an admin's token: the user and all their servers are gone.
      if (!user) return hubError(res, 404, 'Not Found');
      users.delete(route.user);
      return res.writeHead(204).end();
    }
    if (route.kind === 'server' && record.method === 'DELETE') {
      if (!user) return hubError(res, 404, 'Not Found');
      const remove = (() => {
        try {
          return (JSON.parse(record.body.toString('utf8') || '{}') as { remove?: unknown }).remove === true;
        } catch {
          return false;
        }
      })();
      if (route.server === '' && remove) return hubError(res, 400, 'Cannot delete the default server');
      if (!user.servers.has(route.server!)) return hubError(res, 404, `no server named '${route.server}'`);
      if (remove) user.servers.delete(route.server!);
      else user.servers.get(route.server!)!.stopped = true;
      return res.writeHead(204, { 'Content-Type': 'text/plain' }).end();
    }
    return hubError(res, 405, 'Method Not Allowed');
  };

  // JupyterHub (tornado) accepts request heads up to 64 KiB; Node's default is 16 KiB.
  const server = createServer({ maxHeaderSize: 1024 * 1024 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        headers.push([req.rawHeaders[i]!.toLowerCase(), req.rawHeaders[i + 1]!]);
      const record: RecordedRequest = {
        method: req.method ?? '',
        rawPath: req.url ?? '',
        headers,
        body: Buffer.concat(chunks),
        answer: 0,
      };
      requests.push(record);
      options.onRequest?.(record);
      res.on('finish', () => (record.answer = res.statusCode));
      answer(req, res, record);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    requests,
    users,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The processes whose command line contains `text` (all of /proc this user can read). */
export function commandLinesContaining(text: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
    } catch {
      continue; // gone meanwhile
    }
    if (cmdline.includes(text)) found.push({ pid: Number(entry), cmdline: cmdline.replace(/\0/g, ' ') });
  }
  return found;
}
