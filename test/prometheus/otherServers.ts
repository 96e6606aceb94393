/**
 * HTTP servers that are not Prometheus, for the bad-input tests: one that answers like a web page, one
 * that never answers in time, one that records what it was sent. Real servers on loopback; each test
 * closes its own.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface LocalServer {
  url: string;
  /** Requests received: path with query, and headers. */
  requests: { path: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startLocalServer(
  handle: (path: string, respond: (status: number, contentType: string, body: string) => void) => void,
): Promise<LocalServer> {
  const requests: LocalServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url ?? '/', headers: req.headers });
    handle(req.url ?? '/', (status, contentType, body) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'Content-Type': contentType });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Grafana-like web app: HTML for every path. */
export const webPage = () =>
  startLocalServer((_path, respond) =>
    respond(
      200,
      'text/html; charset=utf-8',
      '<!DOCTYPE html><html><head><title>Grafana</title></head><body>Loading…</body></html>',
    ),
  );

/** A server that takes `ms` to answer anything (longer than a client's timeout). */
export const slowServer = (ms: number) =>
  startLocalServer((_path, respond) => {
    setTimeout(() => respond(200, 'application/json', '{"status":"success","data":{"version":"2.42.0"}}'), ms).unref();
  });
