/**
 * The other way to copy a crash-looping hub's database, as an explicit, confirmed choice: a read-only
 * helper pod that mounts the hub's `hub-db-dir` claim on the hub's node (the claim is ReadWriteOnce),
 * from which the usual online-backup snapshot is taken; the pod is deleted afterwards, always — on
 * success, error and cancel. RBAC is checked before anything is created, and the caller is shown the
 * exact pod spec and must confirm it.
 */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { AuthorizationV1Api, dumpYaml, type V1Pod, type V1ResourceAttributes } from '@kubernetes/client-node';
import { ContextClient } from '../cluster/contextClient';
import { err, ok, UserError, type Result } from '../result';
import { waitForRunningContainer } from './crashLoop';
import { DEFAULT_HUB_DB_PATH, snapshotHubDb, type SnapshotRequest } from './snapshotHubDb';
import type { SnapshotInfo } from './snapshotFiles';

export const HELPER_CONTAINER = 'copy';
const TMP_VOLUME = 'tmp';
const DB_VOLUME = 'hub-db';
/** The pod stops itself after this even if nobody deletes it (the extension crashed mid-copy). */
export const HELPER_DEADLINE_SECONDS = 1200;

/** The RBAC the helper pod needs in the hub's namespace. */
export const HELPER_POD_ACCESS: readonly V1ResourceAttributes[] = [
  { verb: 'create', resource: 'pods' },
  { verb: 'get', resource: 'pods' },
  { verb: 'delete', resource: 'pods' },
  { verb: 'create', resource: 'pods', subresource: 'exec' },
];

export interface HelperPodPlan {
  pod: V1Pod;
  /** The pod as YAML, exactly what will be sent: shown to the operator before creating it. */
  yaml: string;
  /** The database's path inside the helper pod. */
  dbPath: string;
  claim: string;
}

/**
 * The helper pod for `hubPod`: the hub's image (it has python3 and sqlite3), `sleep` as its command, the
 * claim that holds `dbPath` mounted read-only at the same path, an emptyDir at /tmp for the backup's temp
 * file (the root filesystem is read-only), the hub's node, user and tolerations, no service-account token,
 * and a deadline after which the kubelet stops it anyway.
 */
export function planHelperPod(
  hubPod: V1Pod,
  options: { dbPath?: string; container?: string; suffix?: string } = {},
): Result<HelperPodPlan, UserError> {
  const namespace = hubPod.metadata?.namespace ?? '';
  const hubName = hubPod.metadata?.name ?? '';
  const dbPath = options.dbPath ?? DEFAULT_HUB_DB_PATH;
  const hubContainer = hubPod.spec?.containers.find((c) => c.name === (options.container ?? 'hub'));
  if (!hubContainer)
    return err(new UserError(`Pod ${hubName} has no ${options.container ?? 'hub'} container.`, 'container-not-found'));
  const dir = posix.dirname(dbPath);
  const mount = (hubContainer.volumeMounts ?? [])
    .filter((m) => dir === m.mountPath || dir.startsWith(m.mountPath.replace(/\/$/, '') + '/'))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  const volume = mount && hubPod.spec?.volumes?.find((v) => v.name === mount.name);
  const claim = volume?.persistentVolumeClaim?.claimName;
  if (!mount || !claim)
    return err(
      new UserError(
        `${dbPath} in ${hubName} is not on a persistent volume claim, so a helper pod cannot reach it (a hub with hub.db.type postgres or mysql has no SQLite file).`,
        'no-claim',
      ),
    );
  const suffix = options.suffix ?? randomBytes(3).toString('hex');
  const hubSecurity = hubContainer.securityContext;
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `hubops-db-copy-${suffix}`,
      namespace,
      labels: {
        'app.kubernetes.io/name': 'jupyterhub-ops',
        'app.kubernetes.io/component': 'hub-db-copy',
        'app.kubernetes.io/managed-by': 'jupyterhub-ops',
      },
      annotations: {
        'jupyterhub-ops/purpose': `read-only copy of ${dbPath} from claim ${claim} while ${hubName} cannot be exec'd into; deleted when the copy is done`,
      },
    },
    spec: {
      ...(hubPod.spec?.nodeName ? { nodeName: hubPod.spec.nodeName } : {}),
      restartPolicy: 'Never',
      activeDeadlineSeconds: HELPER_DEADLINE_SECONDS,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 0,
      ...(hubPod.spec?.securityContext ? { securityContext: hubPod.spec.securityContext } : {}),
      ...(hubPod.spec?.tolerations ? { tolerations: hubPod.spec.tolerations } : {}),
      ...(hubPod.spec?.imagePullSecrets ? { imagePullSecrets: hubPod.spec.imagePullSecrets } : {}),
      containers: [
        {
          name: HELPER_CONTAINER,
          image: hubContainer.image!,
          ...(hubContainer.imagePullPolicy ? { imagePullPolicy: hubContainer.imagePullPolicy } : {}),
          command: ['sleep', String(HELPER_DEADLINE_SECONDS)],
          securityContext: {
            ...(hubSecurity?.runAsUser !== undefined ? { runAsUser: hubSecurity.runAsUser } : {}),
            ...(hubSecurity?.runAsGroup !== undefined ? { runAsGroup: hubSecurity.runAsGroup } : {}),
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          },
          resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '512Mi' } },
          volumeMounts: [
            { name: DB_VOLUME, mountPath: mount.mountPath, readOnly: true },
            { name: TMP_VOLUME, mountPath: '/tmp' },
          ],
        },
      ],
      volumes: [
        { name: DB_VOLUME, persistentVolumeClaim: { claimName: claim, readOnly: true } },
        { name: TMP_VOLUME, emptyDir: { sizeLimit: '2Gi' } },
      ],
    },
  };
  return ok({ pod, yaml: dumpYaml(pod), dbPath, claim });
}

/** The missing permissions (as "create pods/exec"), from SelfSubjectAccessReviews; [] when all are there. */
export async function missingHelperPodAccess(
  client: ContextClient,
  namespace: string,
): Promise<Result<string[], UserError>> {
  const api = client.kubeConfig.makeApiClient(AuthorizationV1Api);
  const missing: string[] = [];
  for (const attributes of HELPER_POD_ACCESS) {
    try {
      const review = await api.createSelfSubjectAccessReview({
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: { ...attributes, namespace } },
        },
      });
      if (!review.status?.allowed)
        missing.push(
          `${attributes.verb} ${attributes.resource}${attributes.subresource ? `/${attributes.subresource}` : ''}`,
        );
    } catch (error) {
      const problem = client.problem(error, 'check permissions (SelfSubjectAccessReview)', namespace);
      return err(new UserError(problem.message, problem.code));
    }
  }
  return ok(missing);
}

export interface HelperPodSnapshotRequest extends Omit<SnapshotRequest, 'container' | 'pod'> {
  /** The hub pod whose claim is copied. */
  hubPod: string;
  /** Shown the exact pod before it is created; false cancels with nothing created. */
  confirm(plan: HelperPodPlan): Promise<boolean>;
  onStep?(text: string): void;
  /** How long the helper pod may take to start. Default 3 minutes (an image pull on a fresh node). */
  startTimeoutMs?: number;
}

export interface HelperPodOutcome {
  info: SnapshotInfo;
  helperPod: string;
}

/**
 * Plan, check RBAC, confirm, create, wait, snapshot, delete. The pod is deleted in a `finally`, with its
 * own requests (not the cancelled signal), and the result says so if the delete itself failed.
 */
export async function snapshotViaHelperPod(
  request: HelperPodSnapshotRequest,
): Promise<Result<HelperPodOutcome, UserError>> {
  const context = request.context ?? request.kubeConfig.getCurrentContext();
  const namespace = request.namespace;
  const cancelled = () => err(new UserError('Snapshot cancelled; nothing was saved.', 'cancelled'));
  const opened = ContextClient.open(request.kubeConfig, context);
  if (!opened.ok) return opened;
  const client = opened.value;
  try {
    let hub: V1Pod;
    try {
      hub = await client.core.readNamespacedPod({ name: request.hubPod, namespace });
    } catch (error) {
      const problem = client.problem(error, `read pod ${request.hubPod}`, namespace);
      return err(new UserError(problem.message, problem.code === 'not-found' ? 'pod-not-found' : problem.code));
    }
    const plan = planHelperPod(hub, request.dbPath ? { dbPath: request.dbPath } : {});
    if (!plan.ok) return plan;

    request.onStep?.('checking permissions for a helper pod');
    const missing = await missingHelperPodAccess(client, namespace);
    if (!missing.ok) return missing;
    if (missing.value.length > 0)
      return err(
        new UserError(
          `A helper pod needs ${missing.value.join(', ')} in namespace "${namespace}" (context "${context}"), which these credentials lack. Nothing was created.`,
          'helper-forbidden',
        ),
      );
    if (request.signal?.aborted || !(await request.confirm(plan.value))) return cancelled();

    const name = plan.value.pod.metadata!.name!;
    request.onStep?.(`creating helper pod ${name}`);
    try {
      await client.core.createNamespacedPod({ namespace, body: plan.value.pod });
    } catch (error) {
      const problem = client.problem(error, `create pod ${name}`, namespace);
      return err(new UserError(`${problem.message} Nothing was created.`, problem.code));
    }
    let result: Result<HelperPodOutcome, UserError>;
    try {
      request.onStep?.(`waiting for ${name} to start`);
      const ready = await waitForRunningContainer(
        client,
        { namespace, pod: name, container: HELPER_CONTAINER },
        { ...(request.signal ? { signal: request.signal } : {}), timeoutMs: request.startTimeoutMs ?? 180_000 },
      );
      if (!ready.ok) {
        result = ready;
      } else {
        request.onStep?.(`copying ${plan.value.dbPath} from ${name}`);
        const snapshot = await snapshotHubDb({
          ...request,
          context,
          pod: name,
          container: HELPER_CONTAINER,
          dbPath: plan.value.dbPath,
        });
        result = snapshot.ok ? ok({ info: snapshot.value, helperPod: name }) : snapshot;
      }
    } finally {
      request.onStep?.(`deleting helper pod ${name}`);
    }
    const deleted = await deleteHelperPod(client, namespace, name);
    if (!deleted.ok) {
      const base = result.ok ? 'The snapshot was saved, but' : `${result.error.message} Also,`;
      return err(new UserError(`${base} ${deleted.error.message}`, 'helper-not-deleted'));
    }
    return result;
  } finally {
    client.dispose();
  }
}

/** Deletes the helper pod at once and waits (up to 30 s) until it is gone. */
export async function deleteHelperPod(
  client: ContextClient,
  namespace: string,
  name: string,
): Promise<Result<void, UserError>> {
  const byHand = `Delete it by hand: kubectl -n ${namespace} delete pod ${name}`;
  try {
    await client.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 });
  } catch (error) {
    const problem = client.problem(error, `delete pod ${name}`, namespace);
    if (problem.code === 'not-found') return ok(undefined);
    return err(
      new UserError(`the helper pod ${name} could not be deleted (${problem.message}). ${byHand}`, problem.code),
    );
  }
  for (let i = 0; i < 60; i++) {
    try {
      await client.core.readNamespacedPod({ name, namespace });
    } catch (error) {
      if (client.problem(error, `read pod ${name}`, namespace).code === 'not-found') return ok(undefined);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return err(
    new UserError(`the helper pod ${name} was still there 30 s after it was deleted. ${byHand}`, 'helper-not-deleted'),
  );
}
