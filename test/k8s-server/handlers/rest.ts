/**
 * GET of single objects, lists (selectors, limit/continue) and watches (resourceVersion, 410 Gone,
 * bookmarks, timeoutSeconds) for the stored resources and the metrics API.
 */
import type { ChangeEvent, WatchEventType } from '../cluster';
import { toEventsV1 } from '../eventsV1';
import { queryFlag, sendJson, sendStatus, type RequestContext } from '../http';
import type { ResourceDef, StoreName } from '../resources';
import { parseFieldSelector, parseLabelSelector } from '../selectors';
import { badRequest, expired, failure, notFound, type Status } from '../status';
import { toTable, wantsTable } from '../table';
import type { CoreEvent, KubeObject } from '../wireTypes';

const objectKey = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** The object as this resource's API version shows it. */
function view(def: ResourceDef, o: KubeObject): KubeObject {
  return def.group === 'events.k8s.io' ? toEventsV1(o as CoreEvent) : o;
}

function listKind(def: ResourceDef): string {
  return `${def.kind}List`;
}

function apiVersionOf(def: ResourceDef): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** Items in a list carry no kind/apiVersion in the real API's JSON (only the list does). */
function asListItem(o: KubeObject): Omit<KubeObject, 'kind' | 'apiVersion'> {
  const { kind: _k, apiVersion: _a, ...rest } = o;
  return rest;
}

function storedObjects(ctx: RequestContext, def: ResourceDef, namespace: string | undefined): KubeObject[] {
  if (def.store === 'podmetrics') return ctx.cluster.listPodMetrics(namespace);
  if (def.store === 'nodemetrics') return ctx.cluster.listNodeMetrics();
  return ctx.cluster.list(def.store, namespace);
}

export function serveGet(ctx: RequestContext, def: ResourceDef, namespace: string | undefined, name: string): void {
  const found = storedObjects(ctx, def, namespace).find(
    (o) => o.metadata.name === name && (!def.namespaced || o.metadata.namespace === namespace),
  );
  if (!found) return sendStatus(ctx.res, notFound(def.name, name, def.group));
  if (wantsTable(ctx.req) && def.group !== 'metrics.k8s.io')
    return sendJson(
      ctx.res,
      200,
      toTable(def, [view(def, found)], ctx.cluster.now(), { resourceVersion: found.metadata.resourceVersion }),
    );
  sendJson(ctx.res, 200, view(def, found));
}

type Matcher = (o: KubeObject) => boolean;

function matcher(ctx: RequestContext, def: ResourceDef, namespace: string | undefined): Matcher | Status {
  const labels = parseLabelSelector(ctx.url.searchParams.get('labelSelector'));
  if (typeof labels !== 'function') return labels;
  const fields = parseFieldSelector(ctx.url.searchParams.get('fieldSelector'), def.fieldSelectors, def.fieldAliases);
  if (typeof fields !== 'function') return fields;
  return (o) =>
    (namespace === undefined || o.metadata.namespace === namespace) &&
    labels(o.metadata.labels) &&
    fields(view(def, o));
}

interface ContinueToken {
  rv: number;
  start: string;
}

const encodeContinue = (t: ContinueToken) =>
  Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', ...t })).toString('base64');

function decodeContinue(text: string): ContinueToken | undefined {
  try {
    const t = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Partial<ContinueToken>;
    return typeof t.rv === 'number' && typeof t.start === 'string' ? { rv: t.rv, start: t.start } : undefined;
  } catch {
    return undefined;
  }
}

export function serveList(ctx: RequestContext, def: ResourceDef, namespace: string | undefined): void {
  const match = matcher(ctx, def, namespace);
  if (typeof match !== 'function') return sendStatus(ctx.res, match);
  let items = storedObjects(ctx, def, namespace).filter(match);
  const isMetrics = def.group === 'metrics.k8s.io';
  let listRv = Number(ctx.cluster.resourceVersion);

  // Paging: the token keeps the first page's resourceVersion and the last key served. Later pages read
  // the current state after that key (the real server reads the old revision from etcd instead).
  const continueText = ctx.url.searchParams.get('continue');
  if (continueText) {
    const token = decodeContinue(continueText);
    if (!token)
      return sendStatus(
        ctx.res,
        badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)'),
      );
    if (token.rv < ctx.cluster.oldestResourceVersion)
      return sendStatus(
        ctx.res,
        expired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        ),
      );
    items = items.filter((o) => objectKey(o) > token.start);
    listRv = token.rv;
  }
  const limit = Number(ctx.url.searchParams.get('limit') ?? '0');
  const metadata: Record<string, unknown> = isMetrics ? {} : { resourceVersion: String(listRv) };
  if (!isMetrics && limit > 0 && items.length > limit) {
    const rest = items.length - limit;
    items = items.slice(0, limit);
    metadata.continue = encodeContinue({ rv: listRv, start: objectKey(items[items.length - 1]!) });
    if (!ctx.url.searchParams.get('labelSelector') && !ctx.url.searchParams.get('fieldSelector'))
      metadata.remainingItemCount = rest;
  }
  if (wantsTable(ctx.req) && !isMetrics)
    return sendJson(
      ctx.res,
      200,
      toTable(
        def,
        items.map((o) => view(def, o)),
        ctx.cluster.now(),
        metadata,
      ),
    );
  sendJson(ctx.res, 200, {
    kind: listKind(def),
    apiVersion: apiVersionOf(def),
    metadata,
    items: items.map((o) => asListItem(view(def, o))),
  });
}

export function serveWatch(ctx: RequestContext, def: ResourceDef, namespace: string | undefined): void {
  if (def.group === 'metrics.k8s.io')
    return sendStatus(
      ctx.res,
      failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'),
    );
  const match = matcher(ctx, def, namespace);
  if (typeof match !== 'function') return sendStatus(ctx.res, match);
  const store = def.store as StoreName;
  const { res, cluster } = ctx;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();

  let ended = false;
  // kubectl get -w asks for Table rows: each event carries a one-row Table, the first with the columns.
  const table = wantsTable(ctx.req);
  let columnsSent = false;
  const send = (type: WatchEventType | 'BOOKMARK' | 'ERROR', object: unknown) => {
    if (ended) return;
    if (table && type !== 'BOOKMARK' && type !== 'ERROR') {
      const o = object as KubeObject;
      object = toTable(def, [o], cluster.now(), { resourceVersion: o.metadata.resourceVersion }, !columnsSent);
      columnsSent = true;
    }
    res.write(JSON.stringify({ type, object }) + '\n');
  };
  const cleanups: (() => void)[] = [];
  const end = (abrupt = false) => {
    if (ended) return;
    ended = true;
    for (const c of cleanups) c();
    if (abrupt) res.destroy();
    else res.end();
  };

  /** Selectors make a change look like ADDED or DELETED to this watcher, as on a real server. */
  const deliver = (change: ChangeEvent) => {
    if (change.store !== store) return;
    const now = match(change.object);
    if (change.type === 'MODIFIED') {
      const before = change.previous ? match(change.previous) : false;
      if (before && now) send('MODIFIED', view(def, change.object));
      else if (now) send('ADDED', view(def, change.object));
      else if (before) send('DELETED', view(def, change.object));
    } else if (now) send(change.type, view(def, change.object));
  };

  const rvParam = ctx.url.searchParams.get('resourceVersion');
  if (!rvParam || rvParam === '0') {
    // No resourceVersion: the current state as synthetic ADDED events, then changes.
    for (const o of cluster.list(store, namespace)) if (match(o)) send('ADDED', view(def, o));
  } else {
    const rv = Number(rvParam);
    const changes = Number.isFinite(rv) ? cluster.changesSince(rv) : 'expired';
    if (changes === 'expired') {
      send('ERROR', expired(`too old resource version: ${rvParam} (${cluster.oldestResourceVersion + 1})`));
      return end();
    }
    for (const c of changes) deliver(c);
  }
  cleanups.push(cluster.subscribe(deliver));

  if (queryFlag(ctx.url, 'allowWatchBookmarks')) {
    const bookmark = () =>
      send('BOOKMARK', {
        kind: def.kind,
        apiVersion: apiVersionOf(def),
        metadata: { resourceVersion: cluster.resourceVersion },
      });
    const timer = setInterval(bookmark, ctx.bookmarkIntervalMs);
    cleanups.push(() => clearInterval(timer));
    cleanups.push(ctx.bookmarks.add(bookmark));
  }
  const timeout = Number(ctx.url.searchParams.get('timeoutSeconds') ?? '0');
  if (timeout > 0) {
    const timer = setTimeout(() => end(), timeout * 1000);
    cleanups.push(() => clearTimeout(timer));
  }
  cleanups.push(ctx.watches.add(end));
  ctx.req.on('close', () => end());
}
