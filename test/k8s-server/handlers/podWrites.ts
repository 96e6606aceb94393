/**
 * The few writes the extension makes, as the API server and a kubelet would answer them: creating a pod
 * (validated, stored Pending, then started by a simulated kubelet a moment later with its claims mounted
 * into the container's file tree), deleting a pod (at once; grace periods are not modelled), and
 * SelfSubjectAccessReview (answered by the same RBAC as every other request).
 */
import type { IncomingMessage } from 'node:http';
import { authorize } from '../auth';
import type { ClusterState } from '../cluster';
import { sendJson, sendStatus, type RequestContext } from '../http';
import { failure, notFound } from '../status';
import type { Pod } from '../wireTypes';

const MAX_BODY = 1024 * 1024;
/** How long the simulated kubelet takes to start a created pod's containers. */
export const KUBELET_START_MS = 150;

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

const dns1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** POST /api/v1/namespaces/NS/pods */
export async function createPod(ctx: RequestContext, namespace: string): Promise<void> {
  const denied = authorize(ctx.token, { verb: 'create', resource: 'pods', group: '', namespace });
  if (denied) return sendStatus(ctx.res, denied);
  let body: Pod;
  try {
    body = (await readJson(ctx.req)) as Pod;
  } catch {
    return sendStatus(ctx.res, failure(400, 'BadRequest', 'the request body is not valid JSON'));
  }
  const invalid = (message: string) =>
    sendStatus(ctx.res, failure(422, 'Invalid', `Pod "${body?.metadata?.name ?? ''}" is invalid: ${message}`));
  if (body?.kind !== 'Pod' || body.apiVersion !== 'v1') return invalid('kind must be Pod and apiVersion v1');
  const name = body.metadata?.name;
  if (!name || !dns1123.test(name) || name.length > 253) return invalid('metadata.name: Invalid value');
  if (body.metadata.namespace && body.metadata.namespace !== namespace)
    return sendStatus(
      ctx.res,
      failure(
        400,
        'BadRequest',
        'the namespace of the provided object does not match the namespace sent on the request',
      ),
    );
  if (!Array.isArray(body.spec?.containers) || body.spec.containers.length === 0)
    return invalid('spec.containers: Required value');
  if (ctx.cluster.get('Pod', namespace, name))
    return sendStatus(ctx.res, failure(409, 'AlreadyExists', `pods "${name}" already exists`, { name, kind: 'pods' }));
  const pod: Pod = {
    ...body,
    metadata: { ...body.metadata, name, namespace },
    status: {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now() }],
      containerStatuses: body.spec.containers.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        restartCount: 0,
        started: false,
        state: { waiting: { reason: 'ContainerCreating' } },
      })),
    },
  } as Pod;
  const stored = ctx.cluster.apply(pod);
  mountClaims(ctx.cluster, stored);
  setTimeout(() => startContainers(ctx.cluster, namespace, name, stored.metadata.uid), KUBELET_START_MS).unref();
  sendJson(ctx.res, 201, stored);
}

/** Each container's file tree mounts the pod's claims at their mount paths (shared with every pod using them). */
function mountClaims(cluster: ClusterState, pod: Pod): void {
  const volumes =
    (pod.spec as { volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[] }).volumes ?? [];
  for (const container of pod.spec.containers) {
    const mounts: Record<string, string> = {};
    for (const m of (container.volumeMounts as { name: string; mountPath: string }[] | undefined) ?? []) {
      const claim = volumes.find((v) => v.name === m.name)?.persistentVolumeClaim?.claimName;
      if (claim) mounts[m.mountPath.replace(/\/$/, '')] = cluster.containers.claimDir(pod.metadata.namespace!, claim);
    }
    cluster.containers.create(pod.metadata.namespace!, pod.metadata.name, container.name, { mounts });
  }
}

function startContainers(cluster: ClusterState, namespace: string, name: string, uid: string | undefined): void {
  const current = cluster.get<Pod>('Pod', namespace, name);
  if (!current || current.metadata.uid !== uid) return; // deleted (or replaced) before it started
  cluster.patch<Pod>('Pod', namespace, name, (pod) => {
    const startedAt = now();
    pod.status.phase = 'Running';
    pod.status.startTime = startedAt;
    pod.status.conditions = ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({
      type,
      status: 'True' as const,
      lastProbeTime: null,
      lastTransitionTime: startedAt,
    }));
    for (const status of pod.status.containerStatuses ?? []) {
      status.state = { running: { startedAt } };
      status.ready = true;
      status.started = true;
    }
  });
}

/** DELETE /api/v1/namespaces/NS/pods/NAME */
export function deletePod(ctx: RequestContext, namespace: string, name: string): void {
  const denied = authorize(ctx.token, { verb: 'delete', resource: 'pods', group: '', namespace, name });
  if (denied) return sendStatus(ctx.res, denied);
  const pod = ctx.cluster.get<Pod>('Pod', namespace, name);
  if (!pod) return sendStatus(ctx.res, notFound('pods', name));
  // Drain the DeleteOptions body (kubectl and client-node send one) before answering.
  ctx.req.resume();
  ctx.cluster.delete('Pod', namespace, name);
  sendJson(ctx.res, 200, {
    ...pod,
    metadata: { ...pod.metadata, deletionTimestamp: now(), deletionGracePeriodSeconds: 0 },
  });
}

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

/** POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews */
export async function selfSubjectAccessReview(ctx: RequestContext): Promise<void> {
  let body: { spec?: { resourceAttributes?: ResourceAttributes } };
  try {
    body = (await readJson(ctx.req)) as typeof body;
  } catch {
    return sendStatus(ctx.res, failure(400, 'BadRequest', 'the request body is not valid JSON'));
  }
  const a = body?.spec?.resourceAttributes;
  if (!a?.verb || !a.resource)
    return sendStatus(ctx.res, failure(422, 'Invalid', 'spec.resourceAttributes: Required value'));
  const verb = a.verb as 'get' | 'list' | 'watch' | 'create' | 'delete';
  const denied = authorize(ctx.token, {
    verb,
    resource: a.subresource ? `${a.resource}/${a.subresource}` : a.resource,
    group: a.group ?? '',
    ...(a.namespace ? { namespace: a.namespace } : {}),
    ...(a.name ? { name: a.name } : {}),
  });
  sendJson(ctx.res, 201, {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: body.spec,
    status: denied
      ? { allowed: false } // the RBAC authorizer gives no reason for a denial: kubectl prints a bare "no"
      : { allowed: true, reason: 'RBAC: allowed by the test server' },
  });
}
