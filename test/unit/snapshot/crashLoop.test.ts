import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseBackOff, snapshotWhenRunning, waitStatus, type WaitStatus } from '../../../src/core/snapshot/crashLoop';
import { planHelperPod, snapshotViaHelperPod, type HelperPodPlan } from '../../../src/core/snapshot/helperPod';
import { crashLoopBackOff, hubPod, namespace, node, oomKilled } from '../../k8s-server/objects';
import { oomLoopSteps } from '../../k8s-server/scenarios/oomLoop';
import { Timeline } from '../../k8s-server/scenarios/timeline';
import type { TestServer } from '../../k8s-server/server';
import { useTestServer } from '../../k8s-server/useTestServer';
import { waitFor } from '../../k8s-server/waitFor';
import type { Pod } from '../../k8s-server/wireTypes';
import { useTempDir } from '../../harness/tempDir';

const run = promisify(execFile);
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const DB = '/srv/jupyterhub/jupyterhub.sqlite';
const count = async (file: string, table: string) =>
  Number((await run('sqlite3', [file, `SELECT count(*) FROM ${table}`])).stdout);

describe('snapshot of a crash-looping hub', function () {
  this.timeout(60_000);
  const server = useTestServer({
    tokens: [
      { token: 'admin', user: 'admin' },
      { token: 'read-exec', user: 'ops', podWrites: false },
    ],
  });
  const dir = useTempDir('hubops-crashloop-');
  const ns = 'hub-physics';
  const scenarioHub = (s: TestServer) =>
    (s.cluster.list('pods', ns) as Pod[]).find((p) => p.metadata.labels?.component === 'hub')!;
  /** Starts snapshotting `hub` (as admin) into snap.sqlite once it runs; `seen` gathers the wait statuses. */
  function snapshotOnceRunning(s: TestServer, hub: Pod, options: { now?: () => number } = {}) {
    const seen: WaitStatus[] = [];
    const abort = new AbortController();
    const pending = snapshotWhenRunning({
      kubeConfig: s.kubeConfig({ context: 'prod', token: 'admin' }),
      namespace: ns,
      pod: hub.metadata.name,
      destFile: join(dir(), 'snap.sqlite'),
      signal: abort.signal,
      ...options,
      onWait: (status) => seen.push(status),
    });
    return { seen, abort, pending };
  }
  /** The hub on core-1, OOM-killed and in CrashLoopBackOff (the kubelet's back-off message names pod `podName`). */
  const crashLoopingHub = (restartCount: number, podName: string, backOff: string) =>
    hubPod({
      namespace: ns,
      node: 'core-1',
      restartCount,
      container: crashLoopBackOff({ namespace: ns, name: podName }, 'hub', backOff),
      lastTerminated: oomKilled('2026-12-02T10:00:00Z', '2026-12-02T10:01:20Z'),
    });

  it('reads the back-off the kubelet announces, and says where the container is in the operator’s words', () => {
    assert.equal(parseBackOff('back-off 2m40s restarting failed container=hub pod=hub-x_ns(uid)'), 160_000);
    assert.equal(parseBackOff('back-off 10s restarting failed container=hub'), 10_000);
    assert.equal(parseBackOff('back-off 5m0s restarting failed container=hub'), 300_000);
    assert.equal(parseBackOff('Back-off pulling image'), undefined);
    const pod = crashLoopingHub(5, 'hub-x', '2m40s') as never;
    const status = waitStatus(pod, 'hub', 1, Date.parse('2026-12-02T10:01:30Z'));
    assert.equal(status.restarts, 5);
    assert.equal(status.reason, 'CrashLoopBackOff');
    assert.equal(status.backOffLeftMs, 150_000);
    assert.match(status.text, /^waiting for hub-[a-z0-9-]+ to start, restart 5, back-off 2m30s$/);
    assert.match(waitStatus(pod, 'hub', 3, Date.parse('2026-12-02T10:05:00Z')).text, /back-off 0s, attempt 3$/);
  });

  it('waits through the back-off of the OOM-loop scenario and snapshots the moment the hub runs again', async () => {
    const s = server();
    // The scenario in virtual time: the hub has been killed twice and is in its second back-off (20 s).
    // (a start on a whole second: the kubelet's times have no fractions, so the back-off left is exact)
    const timeline = new Timeline(s, oomLoopSteps({ namespace: ns }), {
      start: new Date(Math.floor(Date.now() / 1000) * 1000),
    });
    timeline.advanceTo(80_000 + 10_000 + 80_000 + 1_000);
    const hub = scenarioHub(s);
    assert.equal(hub.status.containerStatuses?.[0]?.state.waiting?.reason, 'CrashLoopBackOff');
    const live = s.cluster.containers.get(ns, hub.metadata.name, 'hub').hostPath(DB);
    const before = sha(live);

    const { seen, pending } = snapshotOnceRunning(s, hub, { now: () => s.cluster.now().getTime() });
    try {
      await waitFor(() => seen.length > 0, 'the first wait status');
      assert.equal(seen[0]!.reason, 'CrashLoopBackOff');
      assert.equal(seen[0]!.restarts, 2);
      assert.match(seen[0]!.text, /^waiting for hub-.* to start, restart 2, back-off 19s$/);
    } finally {
      // The kubelet starts the next run when the back-off is over.
      timeline.advanceTo(80_000 + 10_000 + 80_000 + 20_000);
    }
    const result = await pending;
    assert.ok(result.ok, result.ok ? '' : result.error.userMessage);
    assert.equal(result.value.quickCheck, 'ok');
    assert.equal(await count(result.value.file, 'users'), await count(live, 'users'));
    assert.equal(sha(live), before, 'the live DB is never written');
  });

  it('a cancel while waiting leaves nothing behind', async () => {
    const s = server();
    const timeline = new Timeline(s, oomLoopSteps({ namespace: ns }));
    timeline.advanceTo(81_000);
    const { seen, abort, pending } = snapshotOnceRunning(s, scenarioHub(s));
    await waitFor(() => seen.length > 0, 'waiting');
    abort.abort();
    const result = await pending;
    assert.equal(result.ok ? 'ok' : result.error.code, 'cancelled');
    assert.deepEqual(readdirSync(dir()), []);
  });

  describe('through a read-only helper pod', () => {
    function crashLooping() {
      const s = server();
      const hub = crashLoopingHub(7, 'hub', '5m0s');
      s.cluster.applyAll([namespace(ns), node({ name: 'core-1', pool: 'core' }), hub]);
      // The hub's database lives on claim hub-db-dir, which the hub container mounts at /srv/jupyterhub.
      const live = s.cluster.containers.get(ns, hub.metadata.name, 'hub').hostPath(DB);
      return { s, hub, live };
    }

    async function createDb(file: string) {
      await run('sqlite3', [
        file,
        "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 500) INSERT INTO users SELECT i, 'user-' || i FROM c;",
      ]);
    }

    it('plans a pod that mounts the claim read-only on the hub’s node, with no token and a deadline', () => {
      const plan = planHelperPod(hubPod({ namespace: ns, node: 'core-1' }) as never, { suffix: 'abc123' });
      assert.ok(plan.ok);
      const pod = plan.value.pod;
      assert.equal(pod.metadata?.name, 'hubops-db-copy-abc123');
      assert.equal(pod.spec?.nodeName, 'core-1');
      assert.equal(pod.spec?.automountServiceAccountToken, false);
      assert.equal(pod.spec?.restartPolicy, 'Never');
      assert.ok((pod.spec?.activeDeadlineSeconds ?? 0) > 0);
      assert.deepEqual(pod.spec?.volumes?.[0], {
        name: 'hub-db',
        persistentVolumeClaim: { claimName: 'hub-db-dir', readOnly: true },
      });
      const container = pod.spec!.containers[0]!;
      assert.deepEqual(container.volumeMounts?.[0], { name: 'hub-db', mountPath: '/srv/jupyterhub', readOnly: true });
      assert.equal(container.securityContext?.readOnlyRootFilesystem, true);
      assert.equal(container.securityContext?.runAsUser, 1000);
      assert.equal(plan.value.claim, 'hub-db-dir');
      assert.match(plan.value.yaml, /claimName: hub-db-dir/);
      const noClaim = planHelperPod(hubPod({ namespace: ns, node: 'core-1' }) as never, {
        dbPath: '/var/db/hub.sqlite',
      });
      assert.equal(noClaim.ok ? 'ok' : noClaim.error.code, 'no-claim');
    });

    it('shows the exact pod, creates it, copies the claim’s database, and deletes the pod', async () => {
      const { s, hub, live } = crashLooping();
      await createDb(live);
      const before = sha(live);
      const mtime = statSync(live).mtimeMs;
      let shown: HelperPodPlan | undefined;
      const steps: string[] = [];
      const result = await snapshotViaHelperPod({
        kubeConfig: s.kubeConfig({ context: 'prod', token: 'admin' }),
        namespace: ns,
        hubPod: hub.metadata.name,
        destFile: join(dir(), 'snap.sqlite'),
        confirm: async (plan) => {
          shown = plan;
          assert.equal(s.cluster.list('pods', ns).length, 1, 'nothing is created before the confirmation');
          return true;
        },
        onStep: (text) => steps.push(text),
      });
      assert.ok(result.ok, result.ok ? '' : result.error.userMessage);
      assert.equal(result.value.helperPod, shown!.pod.metadata!.name);
      assert.equal(await count(result.value.info.file, 'users'), 500);
      assert.equal(sha(live), before);
      assert.equal(statSync(live).mtimeMs, mtime);
      assert.equal(s.cluster.get('Pod', ns, result.value.helperPod), undefined, 'the helper pod is gone');
      const writes = s.requests.filter((r) => r.method !== 'GET');
      assert.deepEqual(
        writes.map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`),
        [
          ...Array(4).fill('POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews 201'),
          `POST /api/v1/namespaces/${ns}/pods 201`,
          `DELETE /api/v1/namespaces/${ns}/pods/${result.value.helperPod} 200`,
        ],
      );
      assert.deepEqual(steps.slice(0, 2), [
        'checking permissions for a helper pod',
        `creating helper pod ${result.value.helperPod}`,
      ]);
      assert.equal(steps.at(-1), `deleting helper pod ${result.value.helperPod}`);
    });

    it('checks RBAC first: without create/delete on pods nothing is created, and the line says what is missing', async () => {
      const { s, hub } = crashLooping();
      let asked = false;
      const result = await snapshotViaHelperPod({
        kubeConfig: s.kubeConfig({ context: 'prod', token: 'read-exec' }),
        namespace: ns,
        hubPod: hub.metadata.name,
        destFile: join(dir(), 'snap.sqlite'),
        confirm: async () => (asked = true),
      });
      assert.equal(result.ok ? 'ok' : result.error.code, 'helper-forbidden');
      assert.match(
        result.ok ? '' : result.error.userMessage,
        /needs create pods, delete pods in namespace "hub-physics"/,
      );
      assert.equal(asked, false);
      assert.ok(!s.requests.some((r) => r.method === 'POST' && r.path.includes('/pods')));
    });

    it('declining the confirmation creates nothing; a cancel mid-copy still deletes the pod', async () => {
      const { s, hub, live } = crashLooping();
      await createDb(live);
      const declined = await snapshotViaHelperPod({
        kubeConfig: s.kubeConfig({ context: 'prod', token: 'admin' }),
        namespace: ns,
        hubPod: hub.metadata.name,
        destFile: join(dir(), 'snap.sqlite'),
        confirm: async () => false,
      });
      assert.equal(declined.ok ? 'ok' : declined.error.code, 'cancelled');
      assert.ok(!s.requests.some((r) => r.method === 'POST' && r.path.endsWith('/pods')));

      const abort = new AbortController();
      const cancelled = await snapshotViaHelperPod({
        kubeConfig: s.kubeConfig({ context: 'prod', token: 'admin' }),
        namespace: ns,
        hubPod: hub.metadata.name,
        destFile: join(dir(), 'snap.sqlite'),
        signal: abort.signal,
        confirm: async () => true,
        onStep: (text) => {
          if (text.startsWith('waiting for')) abort.abort();
        },
      });
      assert.equal(cancelled.ok ? 'ok' : cancelled.error.code, 'cancelled');
      assert.deepEqual(
        (s.cluster.list('pods', ns) as Pod[]).map((p) => p.metadata.name),
        [hub.metadata.name],
        'the helper pod was deleted',
      );
      assert.deepEqual(readdirSync(dir()), []);
    });
  });
});
