import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { snapshotHubDb, type SnapshotRequest } from '../../../src/core/snapshot/snapshotHubDb';
import { listSnapshots } from '../../../src/core/snapshot/snapshotFiles';
import type { ContainerFsOptions } from '../../k8s-server/containerFs';
import { at, crashLoopBackOff, hubPod, namespace, node, oomKilled } from '../../k8s-server/objects';
import { useTestServer } from '../../k8s-server/useTestServer';
import { runWriter, startWriter } from '../../harness/dbWriter';
import { useTempDir } from '../../harness/tempDir';

const run = promisify(execFile);
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const DB = '/srv/jupyterhub/jupyterhub.sqlite';

describe('hub DB snapshot over exec', () => {
  const server = useTestServer({
    tokens: [
      { token: 'admin', user: 'admin' },
      { token: 'no-exec', user: 'viewer', exec: false },
      { token: 'expired', expired: true },
    ],
  });
  const dir = useTempDir('hubops-snap-');
  const hub = () => hubPod({ namespace: 'hub-a', node: 'gke-core-1' });
  const podName = () => hub().metadata.name;

  function containerFs(options?: ContainerFsOptions) {
    const s = server();
    return options
      ? s.cluster.containers.create('hub-a', podName(), 'hub', options)
      : s.cluster.containers.get('hub-a', podName(), 'hub');
  }

  /** A hub pod whose container holds a DB of about `rows` × 1 KiB. */
  function hubWithDb(rows: number, options?: ContainerFsOptions): string {
    server().cluster.applyAll([namespace('hub-a'), node({ name: 'gke-core-1', pool: 'core' }), hub()]);
    const file = containerFs(options).hostPath(DB);
    execFileSync('sqlite3', [
      file,
      `CREATE TABLE log(n INTEGER, payload TEXT); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${rows}) INSERT INTO log SELECT -i, hex(randomblob(512)) FROM c;`,
    ]);
    return file;
  }

  const request = (extra: Partial<SnapshotRequest> = {}): SnapshotRequest => ({
    kubeConfig: server().kubeConfig({ context: 'prod', token: 'admin' }),
    namespace: 'hub-a',
    pod: podName(),
    destFile: join(dir(), 'hub-a.sqlite'),
    ...extra,
  });

  async function expectError(extra: Partial<SnapshotRequest>, code: string, message?: RegExp) {
    const result = await snapshotHubDb(request(extra));
    assert.equal(result.ok, false, 'expected a failure');
    if (result.ok) return;
    assert.equal(result.error.code, code, result.error.userMessage);
    if (message) assert.match(result.error.userMessage, message);
    assert.deepEqual(readdirSync(dir()), [], 'nothing left in the destination folder');
  }

  it('copies a DB that a writer is changing: consistent copy, live file untouched, no temp files left', async () => {
    const live = hubWithDb(6000);
    const reference = join(dir(), 'reference.sqlite');
    copyFileSync(live, reference);
    const initialRows = 6000;
    const inserts = 400;

    const writer = startWriter(live, inserts, 'log');
    await writer.started;

    const progress: number[] = [];
    const dest = join(dir(), 'snap.sqlite');
    const result = await snapshotHubDb(request({ destFile: dest, onProgress: (bytes) => progress.push(bytes) }));
    assert.equal(await writer.done, 0);
    assert.ok(result.ok, result.ok ? '' : result.error.userMessage);

    const info = result.value;
    assert.equal(info.quickCheck, 'ok');
    assert.equal(info.method, 'python3');
    assert.equal(info.bytes, readFileSync(dest).length);
    assert.equal(info.sha256, sha(dest));
    assert.equal(progress.at(-1), info.bytes);
    const rows = Number((await run('sqlite3', [dest, 'SELECT count(*) FROM log'])).stdout);
    assert.ok(rows >= initialRows && rows <= initialRows + inserts, String(rows));

    // The snapshot only read the live file: it ends exactly as the writer alone makes it.
    assert.equal(await runWriter(reference, inserts, 'log'), 0);
    assert.equal(sha(live), sha(reference));

    await server().execIdle();
    assert.deepEqual(containerFs().listDir('/tmp'), []);
    assert.deepEqual(readdirSync(dir()).sort(), ['reference.sqlite', 'snap.sqlite', 'snap.sqlite.json']);
    const listed = await listSnapshots(dir());
    assert.deepEqual(
      listed.snapshots.map((s) => [s.file, s.context, s.namespace, s.pod, s.sha256]),
      [[dest, 'prod', 'hub-a', podName(), info.sha256]],
    );
  });

  it('falls back to the sqlite3 CLI when the image has no python3', async () => {
    hubWithDb(200, { hiddenCommands: ['python3'] });
    const result = await snapshotHubDb(request());
    assert.ok(result.ok, result.ok ? '' : result.error.userMessage);
    assert.equal(result.value.method, 'sqlite3');
    assert.equal(Number((await run('sqlite3', [result.value.file, 'SELECT count(*) FROM log'])).stdout), 200);
    await server().execIdle();
    assert.deepEqual(containerFs().listDir('/tmp'), []);
  });

  it('runs the check it is given on the copy, and keeps nothing when it fails', async () => {
    hubWithDb(50);
    const checked: string[] = [];
    await expectError(
      {
        check: async (file) => {
          checked.push(file);
          return '*** in database main *** Page 3: btreeInitPage() returns error code 11';
        },
      },
      'quick-check-failed',
      /btreeInitPage/,
    );
    assert.deepEqual(checked, [join(dir(), 'hub-a.sqlite.partial')], 'the check ran on the streamed copy');
  });

  it('cancelled mid-stream: nothing in the destination, the pod-side temp file removed', async () => {
    hubWithDb(40_000);
    const controller = new AbortController();
    const result = await snapshotHubDb(request({ signal: controller.signal, onProgress: () => controller.abort() }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.error.code, 'cancelled');
    assert.deepEqual(readdirSync(dir()), []);
    await server().execIdle();
    assert.deepEqual(containerFs().listDir('/tmp'), []);
  });

  it('says the connection dropped when the API server restarts mid-stream, and keeps nothing', async () => {
    hubWithDb(40_000);
    const s = server();
    let restarted: Promise<void> | undefined;
    const result = await snapshotHubDb(request({ onProgress: () => (restarted ??= s.restart()) }));
    await restarted;
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.error.code, 'interrupted', result.error.userMessage);
    assert.deepEqual(readdirSync(dir()), []);
  });

  it('says the container is crash-looping and what to do, without trying exec', async () => {
    hubWithDb(10);
    server().cluster.apply(
      hubPod({
        namespace: 'hub-a',
        node: 'gke-core-1',
        restartCount: 6,
        container: crashLoopBackOff({ namespace: 'hub-a', name: podName() }, 'hub'),
        lastTerminated: oomKilled(at(0), at(80)),
      }),
    );
    await expectError(
      {},
      'container-not-running',
      /CrashLoopBackOff.*OOMKilled \(exit 137\).*Wait for the container to start/,
    );
    assert.ok(!server().requests.some((r) => r.path.includes('/exec')));
  });

  it('gives each failure its code and leaves nothing behind', async () => {
    const file = hubWithDb(10);
    await expectError({ pod: 'hub-gone' }, 'pod-not-found', /restarted under a new name/);
    await expectError(
      { kubeConfig: server().kubeConfig({ context: 'prod', token: 'no-exec' }) },
      'exec-forbidden',
      /pods\/exec/,
    );
    await expectError({ kubeConfig: server().kubeConfig({ context: 'prod', token: 'expired' }) }, 'unauthorized');
    await expectError({ dbPath: '/srv/jupyterhub/other.sqlite' }, 'db-missing', /hub\.db\.type postgres or mysql/);
    writeFileSync(file, 'host=postgres.example.org dbname=jupyterhub\n');
    await expectError({}, 'not-sqlite', /hub\.db\.type postgres or mysql/);
    await expectError({ context: 'staging' }, 'no-context');
  });

  it('says exec cannot copy when the image has neither python3 nor sqlite3', async () => {
    hubWithDb(10, { hiddenCommands: ['python3', 'sqlite3'] });
    await expectError({}, 'exec-unavailable', /neither python3 nor sqlite3/);
    await server().execIdle();
    assert.deepEqual(containerFs().listDir('/tmp'), []);
  });

  it('says the API is unreachable', async () => {
    hubWithDb(10);
    const s = server();
    const kubeConfig = s.kubeConfig({ context: 'prod', token: 'admin' });
    const back = s.setUnreachable(60_000);
    await expectError(
      { kubeConfig },
      'unreachable',
      /cannot reach the API server.*connection refused.*Check the network/i,
    );
    await s.close();
    await back;
  });
});
