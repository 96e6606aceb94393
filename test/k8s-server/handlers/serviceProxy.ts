/**
 * `services/{name[:port]}/proxy/...`: only the hub's `/hub/metrics` (and `/hub/health`) exist behind it,
 * answered from what the scenario set; no ready hub pod means no endpoints (503), as on a cluster.
 */
import { sendStatus, type RequestContext } from '../http';
import { notFound, serviceUnavailable } from '../status';
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
