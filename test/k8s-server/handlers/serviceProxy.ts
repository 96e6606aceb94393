/**
 * `services/{name[:port]}/proxy/...`: the hub's `/hub/metrics` (and `/hub/health`), answered from what the
 * scenario set, and any Service with a backend (`cluster.setServiceBackend`, e.g. a test Prometheus), whose
 * requests are forwarded to that real server with their path and query, as the API server forwards them to
 * the Service's endpoints. No ready pod behind the Service means no endpoints (503), as on a cluster.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendStatus, type RequestContext } from '../http';
import { failure, notFound, serviceUnavailable } from '../status';
import type { KubeObject, Pod } from '../wireTypes';

interface ServicePort {
  name?: string;
  port: number;
}

export function serveServiceProxy(ctx: RequestContext, namespace: string, serviceRef: string, rest: string): void {
  const { res, cluster } = ctx;
  // name, name:port or scheme:name:port; the port by name or number.
  const parts = serviceRef.split(':');
  const [name, port] = parts.length === 3 ? [parts[1]!, parts[2]!] : [parts[0]!, parts[1]];
  const service = cluster.get('Service', namespace, name);
  if (!service) return sendStatus(res, notFound('services', name));
  const spec = service.spec as { ports?: ServicePort[]; selector?: Record<string, string> };
  const portOk = port === undefined || (spec.ports ?? []).some((p) => p.name === port || String(p.port) === port);
  const selector = spec.selector ?? {};
  const endpoints = cluster
    .list('pods', namespace)
    .filter((p: KubeObject) => Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v))
    .filter((p) => (p as Pod).status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  if (!portOk || endpoints.length === 0)
    return sendStatus(res, serviceUnavailable(`no endpoints available for service "${serviceRef}"`));

  const path = '/' + rest.replace(/^\/+/, '');
  const backend = cluster.serviceBackend(namespace, name);
  if (backend) {
    forward(ctx.req, res, backend + path + ctx.url.search);
    return;
  }
  if (name === 'hub' && path === '/hub/health') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end();
    return;
  }
  const metrics = name === 'hub' && path === '/hub/metrics' ? cluster.hubMetrics(namespace) : undefined;
  if (!metrics) {
    res.writeHead(404, { 'Content-Type': 'text/html' });
    res.end(
      '<!DOCTYPE HTML>\n<html><head><title>JupyterHub</title></head><body><h1>404 : Not Found</h1></body></html>\n',
    );
    return;
  }
  if ('text' in metrics) {
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(metrics.text);
    return;
  }
  // JupyterHub's API errors are JSON {status, message}.
  const body =
    metrics.body ?? JSON.stringify({ status: metrics.status, message: metrics.status === 403 ? 'Forbidden' : 'Error' });
  res.writeHead(metrics.status, { 'Content-Type': 'application/json' });
  res.end(body);
}

/** Forwards one request to `target` and streams the answer back; a backend that is down is a 503 Status. */
function forward(req: IncomingMessage, res: ServerResponse, target: string): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && chunks.length > 0;
    const contentType = req.headers['content-type'];
    fetch(target, {
      method: req.method ?? 'GET',
      headers: { ...(contentType ? { 'content-type': contentType } : {}), accept: req.headers.accept ?? '*/*' },
      ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
      redirect: 'manual',
    }).then(
      async (answer) => {
        const body = Buffer.from(await answer.arrayBuffer());
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'text/plain' });
        res.end(body);
      },
      (error: unknown) => {
        if (res.destroyed) return;
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? 'connection refused';
        sendStatus(
          res,
          failure(
            503,
            'ServiceUnavailable',
            `error trying to reach service: dial tcp ${new URL(target).host}: ${cause}`,
          ),
        );
      },
    );
  });
}
