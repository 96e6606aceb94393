/**
 * A local Kubernetes API server for tests and the demo: HTTPS with a throw-away CA (or plain HTTP for
 * debugging), bearer tokens with namespace-limited RBAC, discovery, get/list/watch, logs, exec over
 * websocket, the metrics API and the hub's metrics through the service proxy — all over the real wire
 * protocol, so the real @kubernetes/client-node and the real kubectl talk to it.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { KubeConfig } from '@kubernetes/client-node';
import { authenticate, authorize, type TokenSpec } from './auth';
import { ClusterState } from './cluster';
import { ContainerRegistry } from './containerFs';
import { Faults } from './faults';
import { createExecWebSocketServer, ExecSessions, handleExecUpgrade, rejectUpgrade } from './handlers/exec';
import { serveLog } from './handlers/logs';
import { serveGet, serveList, serveWatch } from './handlers/rest';
import { createPod, deletePod, selfSubjectAccessReview } from './handlers/podWrites';
import { serveServiceProxy } from './handlers/serviceProxy';
import { queryFlag, sendJson, sendStatus, StreamRegistry, type RequestContext } from './http';
import { kubeconfigYaml, type KubeconfigOptions } from './kubeconfig';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, findResource } from './resources';
import { failure, pathNotFound, type Status } from './status';
import { makeCertificates } from './tls';

export interface TestServerOptions {
  /** HTTPS with a generated CA (default true); false serves plain HTTP (kubectl then sends no token). */
  tls?: boolean;
  /** Port on 127.0.0.1; default a free one. restart() keeps it. */
  port?: number;
  /** Accepted tokens; default one that may do everything: 'hubops-test-token'. */
  tokens?: TokenSpec[];
  /** Changes kept for watches to resume from (older resourceVersions get 410 Gone). Default 1000. */
  historyLimit?: number;
  /** Interval of BOOKMARK events on watches that allow them. Default 5000 ms. */
  bookmarkIntervalMs?: number;
}

export interface RequestRecord {
  method: string;
  /** Path and query. */
  path: string;
  status: number;
}

/** A running test server. Always `close()` it (afterEach): that ends every socket and child process. */
export interface TestServer {
  /** e.g. https://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  /** base64 PEM of the CA (kubeconfig certificate-authority-data); '' over plain HTTP. */
  readonly caData: string;
  /** The mutable cluster: objects, logs, exec file trees, metrics. */
  readonly cluster: ClusterState;
  /** The accepted tokens; push or edit entries at any time. */
  readonly tokens: TokenSpec[];
  readonly faults: Faults;
  /** Requests served, newest last (bounded), for tests that count calls. */
  readonly requests: RequestRecord[];
  /** kubeconfig YAML for this server; several contexts when given an array. */
  kubeconfig(options?: KubeconfigOptions | KubeconfigOptions[]): string;
  /** Writes kubeconfig() to a file; returns the path. */
  writeKubeconfig(file: string, options?: KubeconfigOptions | KubeconfigOptions[]): string;
  /** A client-node KubeConfig for this server (loaded from kubeconfig()). */
  kubeConfig(options?: KubeconfigOptions): KubeConfig;
  /** Ends every open watch (gracefully, or by destroying the socket); returns how many. */
  cutWatches(options?: { abrupt?: boolean }): number;
  /** Sends a BOOKMARK on every watch that allows them, now. */
  sendBookmarks(): void;
  readonly openWatches: number;
  /** Log streams (`follow=true`) still open. */
  readonly openLogFollows: number;
  /** Resolves when no exec command is running (pod-side processes have exited). */
  execIdle(): Promise<void>;
  /** Stops and starts the server on the same port, keeping the cluster (optionally forgetting history). */
  restart(options?: { compactHistory?: boolean }): Promise<void>;
  /** Closes the port at once (connection refused) for `ms`; resolves when it listens again. */
  setUnreachable(ms: number): Promise<void>;
  close(): Promise<void>;
}

const methodNotAllowed = () =>
  failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

const defaultTokens = (): TokenSpec[] => [{ token: 'hubops-test-token', user: 'hubops-admin' }];

const serverVersion = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.6-gke.1020000',
  gitCommit: '5d1a1c6f6ff2d8e2ea5e76c14ea5e5e4d4a4c40d',
  gitTreeState: 'clean',
  buildDate: '2025-02-10T09:16:46Z',
  goVersion: 'go1.22.12 X:boringcrypto',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hubops-k8s-'));
  try {
    const impl = new TestServerImpl(dir, options);
    await impl.listen();
    return impl;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

class TestServerImpl implements TestServer {
  readonly cluster: ClusterState;
  readonly tokens: TokenSpec[];
  readonly faults = new Faults();
  readonly requests: RequestRecord[] = [];
  readonly caData: string;
  private readonly tls: boolean;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly watches = new StreamRegistry<(abrupt?: boolean) => void>();
  private readonly bookmarks = new StreamRegistry();
  private readonly logFollows = new StreamRegistry();
  private readonly execSessions = new ExecSessions();
  private readonly wss = createExecWebSocketServer();
  private readonly bookmarkIntervalMs: number;
  private portNumber: number;
  private listening = false;
  private closed = false;
  private backTimer: NodeJS.Timeout | undefined;
  private endOutage: (() => void) | undefined;

  constructor(
    private readonly dir: string,
    options: TestServerOptions,
  ) {
    this.tls = options.tls ?? true;
    this.tokens = options.tokens ?? defaultTokens();
    this.portNumber = options.port ?? 0;
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? 5000;
    this.cluster = new ClusterState(options.historyLimit ?? 1000, new ContainerRegistry(join(dir, 'containers')));
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    if (this.tls) {
      const certs = makeCertificates(dir);
      this.caData = certs.caData;
      this.server = createHttpsServer({ key: certs.serverKey, cert: certs.serverCert }, handler);
    } else {
      this.caData = '';
      this.server = createHttpServer(handler);
    }
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
  }

  get port(): number {
    return this.portNumber;
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.portNumber}`;
  }

  get openLogFollows(): number {
    return this.logFollows.size;
  }

  get openWatches(): number {
    return this.watches.size;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen(this.portNumber, '127.0.0.1', () => {
        this.server.off('error', onError);
        const address = this.server.address();
        if (address && typeof address === 'object') this.portNumber = address.port;
        this.listening = true;
        resolve();
      });
    });
  }

  /** Stops listening and drops every connection and stream at once; resolves when fully closed. */
  private stopListening(): Promise<void> {
    if (!this.listening) return Promise.resolve();
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.watches.closeAll(true);
    this.logFollows.closeAll();
    this.execSessions.killAll();
    for (const socket of this.sockets) socket.destroy();
    return closed;
  }

  async restart(options: { compactHistory?: boolean } = {}): Promise<void> {
    await this.stopListening();
    if (options.compactHistory) this.cluster.compactHistory();
    await this.listen();
  }

  setUnreachable(ms: number): Promise<void> {
    const stopped = this.stopListening();
    return new Promise((resolve, reject) => {
      stopped.then(() => {
        if (this.closed) return resolve();
        this.endOutage = resolve;
        this.backTimer = setTimeout(() => {
          this.backTimer = undefined;
          this.endOutage = undefined;
          if (this.closed) return resolve();
          this.listen().then(resolve, reject);
        }, ms);
      }, reject);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.backTimer) clearTimeout(this.backTimer);
    this.endOutage?.(); // close() during an outage: the outage is over, for good
    await this.stopListening();
    this.execSessions.killAll();
    await this.execSessions.whenIdle();
    this.wss.close();
    this.cluster.logs.endAll();
    this.cluster.containers.removeAll();
    rmSync(this.dir, { recursive: true, force: true });
  }

  cutWatches(options: { abrupt?: boolean } = {}): number {
    const n = this.watches.size;
    this.watches.closeAll(options.abrupt ?? false);
    return n;
  }

  sendBookmarks(): void {
    this.bookmarks.callAll();
  }

  execIdle(): Promise<void> {
    return this.execSessions.whenIdle();
  }

  kubeconfig(options: KubeconfigOptions | KubeconfigOptions[] = {}): string {
    const list = Array.isArray(options) ? options : [options];
    const firstToken = this.tokens[0]?.token ?? '';
    return kubeconfigYaml(
      this.url,
      this.caData || undefined,
      list.map((o) => ({ ...o, token: o.token ?? firstToken })),
    );
  }

  writeKubeconfig(file: string, options?: KubeconfigOptions | KubeconfigOptions[]): string {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, this.kubeconfig(options), { mode: 0o600 });
    return file;
  }

  kubeConfig(options?: KubeconfigOptions): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromString(this.kubeconfig(options));
    return kc;
  }

  // ---- requests -------------------------------------------------------------------------------------

  private record(req: IncomingMessage, url: URL, status: number): void {
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, status });
    if (this.requests.length > 5000) this.requests.splice(0, this.requests.length - 5000);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.on('finish', () => this.record(req, url, res.statusCode));
    res.setHeader('Audit-Id', randomUUID());
    try {
      this.route(req, res, url);
    } catch (error) {
      sendStatus(res, failure(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`));
    }
  }

  private route(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    const fault = this.faults.take(req.method ?? 'GET', url);
    if (fault) return sendStatus(res, fault);
    // /version is public, but a bad token is still rejected (authentication runs first).
    if (path === '/version' && !req.headers.authorization) return sendJson(res, 200, serverVersion);
    const token = authenticate(req, this.tokens);
    if ('kind' in token) return sendStatus(res, token);
    if (path === '/version') return sendJson(res, 200, serverVersion);

    const segments = path
      .split('/')
      .filter((s) => s.length > 0)
      .map(decodeURIComponent);
    const metrics = this.cluster.metricsEnabled;
    if (segments[0] === 'api') {
      if (segments.length === 1) return sendJson(res, 200, apiVersions(`127.0.0.1:${this.portNumber}`));
      if (segments[1] !== 'v1') return sendStatus(res, pathNotFound());
      if (segments.length === 2) return sendJson(res, 200, apiResourceList('', 'v1', metrics));
      return this.routeResource(req, res, url, token, '', 'v1', segments.slice(2));
    }
    if (segments[0] === 'apis') {
      if (segments.length === 1) return sendJson(res, 200, apiGroupList(metrics));
      const group = segments[1]!;
      if (segments.length === 2) {
        const g = apiGroup(group, metrics);
        return g ? sendJson(res, 200, g) : sendStatus(res, pathNotFound());
      }
      const version = segments[2]!;
      if (segments.length === 3) {
        const list = apiResourceList(group, version, metrics);
        return list ? sendJson(res, 200, list) : sendStatus(res, pathNotFound());
      }
      if (group === 'metrics.k8s.io' && !metrics) return sendStatus(res, pathNotFound());
      if (group === 'authorization.k8s.io' && segments[3] === 'selfsubjectaccessreviews' && segments.length === 4) {
        if (req.method !== 'POST') return sendStatus(res, methodNotAllowed());
        return void selfSubjectAccessReview(this.context(req, res, url, token));
      }
      return this.routeResource(req, res, url, token, group, version, segments.slice(3));
    }
    sendStatus(res, pathNotFound());
  }

  private routeResource(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    token: TokenSpec,
    group: string,
    version: string,
    rest: string[],
  ): void {
    let namespace: string | undefined;
    let resourceName: string;
    let name: string | undefined;
    let sub: string[];
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1]!;
      resourceName = rest[2]!;
      name = rest[3];
      sub = rest.slice(4);
    } else {
      resourceName = rest[0]!;
      name = rest[1];
      sub = rest.slice(2);
    }
    const def = findResource(group, version, resourceName);
    if (!def) return sendStatus(res, pathNotFound());
    if (!def.namespaced && namespace !== undefined) return sendStatus(res, pathNotFound());
    const subresource = sub[0];
    const ctx = this.context(req, res, url, token);
    const deny = (verb: 'get' | 'list' | 'watch' | 'create', resource: string): boolean => {
      const status: Status | undefined = authorize(token, {
        verb,
        resource,
        group,
        ...(namespace !== undefined ? { namespace } : {}),
        ...(name !== undefined ? { name } : {}),
      });
      if (status) sendStatus(res, status);
      return status !== undefined;
    };

    if (subresource !== undefined) {
      if (group !== '' || name === undefined || namespace === undefined) return sendStatus(res, pathNotFound());
      if (def.name === 'pods' && subresource === 'log' && sub.length === 1) {
        if (deny('get', 'pods/log')) return;
        return serveLog(ctx, namespace, name);
      }
      if (def.name === 'pods' && subresource === 'exec') {
        if (deny('create', 'pods/exec')) return;
        return sendStatus(res, failure(400, 'BadRequest', 'Upgrade request required'));
      }
      if (def.name === 'services' && subresource === 'proxy') {
        if (deny('get', 'services/proxy')) return;
        return serveServiceProxy(ctx, namespace, name, sub.slice(1).join('/'));
      }
      return sendStatus(res, pathNotFound());
    }
    if (def.name === 'pods' && group === '' && namespace !== undefined) {
      if (req.method === 'POST' && name === undefined) return void createPod(ctx, namespace);
      if (req.method === 'DELETE' && name !== undefined) return deletePod(ctx, namespace, name);
    }
    if (req.method !== 'GET') return sendStatus(res, methodNotAllowed());
    if (name !== undefined) {
      if (deny('get', def.name)) return;
      return serveGet(ctx, def, namespace, name);
    }
    const watch = queryFlag(url, 'watch');
    if (deny(watch ? 'watch' : 'list', def.name)) return;
    return watch ? serveWatch(ctx, def, namespace) : serveList(ctx, def, namespace);
  }

  private context(req: IncomingMessage, res: ServerResponse, url: URL, token: TokenSpec): RequestContext {
    return {
      req,
      res,
      url,
      cluster: this.cluster,
      token,
      watches: this.watches,
      bookmarks: this.bookmarks,
      logFollows: this.logFollows,
      bookmarkIntervalMs: this.bookmarkIntervalMs,
    };
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {});
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec\/?$/.exec(url.pathname);
    const fault = this.faults.take(req.method ?? 'GET', url);
    if (fault || !m) return this.record(req, url, rejectUpgrade(socket, fault ?? pathNotFound()));
    const code = handleExecUpgrade(
      { cluster: this.cluster, tokens: this.tokens, sessions: this.execSessions, wss: this.wss },
      req,
      socket,
      head,
      url,
      decodeURIComponent(m[1]!),
      decodeURIComponent(m[2]!),
    );
    this.record(req, url, code);
  }
}
