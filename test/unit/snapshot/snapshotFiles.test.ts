import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  deleteSnapshot,
  listSnapshots,
  snapshotFileName,
  writeSidecar,
  type SnapshotInfo,
} from '../../../src/core/snapshot/snapshotFiles';
import { quickCheck } from '../../../src/core/snapshot/quickCheck';
import { useTempDir } from '../../harness/tempDir';

describe('hub DB snapshot files', () => {
  const dir = useTempDir('hubops-snapfiles-');
  const when = new Date('2025-06-02T13:05:12.345Z');

  it('names snapshots safely by context, namespace and UTC time', () => {
    assert.equal(snapshotFileName('prod', 'hub-physics', when), 'hubdb-prod-hub-physics-20250602T130512Z.sqlite');
    assert.equal(
      snapshotFileName('arn:aws:eks:us-east-1:123456789012:cluster/prod', 'hub-a', when),
      'hubdb-arn_aws_eks_us-east-1_123456789012_cluster_prod-hub-a-20250602T130512Z.sqlite',
    );
    for (const hostile of ['../../etc/passwd', '.hidden', 'a\nb', '$(rm -rf ~)', '', 'ünïcödé', 'x'.repeat(500)]) {
      const name = snapshotFileName(hostile, hostile, when);
      assert.match(
        name,
        /^hubdb-[A-Za-z0-9][A-Za-z0-9._-]*-[A-Za-z0-9][A-Za-z0-9._-]*-20250602T130512Z\.sqlite$/,
        name,
      );
      assert.ok(!name.includes('..') && name.length < 160, name);
    }
  });

  const info = (file: string, takenAt: string): SnapshotInfo => ({
    file,
    context: 'prod',
    namespace: 'hub-a',
    pod: 'hub-7d9f-x2k4q',
    container: 'hub',
    dbPath: '/srv/jupyterhub/jupyterhub.sqlite',
    takenAt,
    bytes: 4,
    sha256: 'ab'.repeat(32),
    quickCheck: 'ok',
    method: 'python3',
  });

  it('lists snapshots from their sidecars, newest first, reporting orphaned and broken sidecars', async () => {
    const older = join(dir(), snapshotFileName('prod', 'hub-a', new Date('2025-06-01T10:00:00Z')));
    const newer = join(dir(), snapshotFileName('prod', 'hub-a', when));
    for (const f of [older, newer]) writeFileSync(f, 'data');
    await writeSidecar(info(older, '2025-06-01T10:00:00.000Z'));
    await writeSidecar(info(newer, when.toISOString()));
    await writeSidecar(info(join(dir(), 'gone.sqlite'), when.toISOString()));
    writeFileSync(join(dir(), 'broken.sqlite'), 'x');
    writeFileSync(join(dir(), 'broken.sqlite.json'), '{"context": 1');
    const listing = await listSnapshots(dir());
    assert.deepEqual(
      listing.snapshots.map((s) => s.file),
      [newer, older],
    );
    assert.equal(listing.snapshots[0]!.sha256, 'ab'.repeat(32));
    assert.deepEqual(listing.problems.map((p) => p.file.split('/').at(-1)).sort(), [
      'broken.sqlite.json',
      'gone.sqlite.json',
    ]);
    assert.equal(JSON.parse(readFileSync(`${newer}.json`, 'utf8')).snapshot, newer.split('/').at(-1));
    assert.deepEqual(await listSnapshots(join(dir(), 'missing')), { snapshots: [], problems: [] });
  });

  it('deletes a snapshot with its sidecar', async () => {
    const file = join(dir(), 'a.sqlite');
    writeFileSync(file, 'data');
    await writeSidecar(info(file, when.toISOString()));
    assert.deepEqual(await deleteSnapshot(file), { ok: true, value: undefined });
    assert.ok(!existsSync(file) && !existsSync(`${file}.json`));
    assert.deepEqual(await deleteSnapshot(file), { ok: true, value: undefined });
  });

  it('quick_check passes a sound database and names the damage in a corrupted one', async () => {
    const good = join(dir(), 'good.sqlite');
    execFileSync('sqlite3', [
      good,
      'PRAGMA page_size=1024; CREATE TABLE t(x TEXT); CREATE INDEX tx ON t(x); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<2000) INSERT INTO t SELECT hex(randomblob(40)) FROM c;',
    ]);
    assert.equal(await quickCheck(good), 'ok');
    const bytes = readFileSync(good);
    // Scribble over the middle of the file (b-tree pages), keeping the header intact.
    for (let i = 20 * 1024; i < 24 * 1024; i++) bytes[i] = 0x5a;
    const bad = join(dir(), 'bad.sqlite');
    writeFileSync(bad, bytes);
    const verdict = await quickCheck(bad);
    assert.notEqual(verdict, 'ok');
    assert.ok(verdict.length > 0);
  });
});
