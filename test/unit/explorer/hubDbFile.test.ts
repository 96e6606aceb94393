import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { readHubDbFile } from '../../../src/explorer/hubDbFile';
import { useTempDir } from '../../harness/tempDir';

describe('reading a hub DB file for the explorer', () => {
  const dir = useTempDir('hubops-dbfile-');

  it('reads the bytes and the -wal file a live SQLite keeps beside it', async () => {
    const path = join(dir(), 'jupyterhub.sqlite');
    // A real WAL: SQLite keeps committed changes in -wal until a checkpoint, here held open.
    const db = new DatabaseSync(path);
    try {
      db.exec(
        'PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)',
      );
      db.exec("INSERT INTO users (name) VALUES ('alice')");
      const file = await readHubDbFile(path);
      assert.ok(file.content.ok);
      assert.equal(file.info.name, 'jupyterhub.sqlite');
      assert.ok(file.info.walBytes! > 0, 'the -wal is seen');
      assert.equal(file.wal?.length, file.info.walBytes);
      assert.deepEqual(
        file.wal?.subarray(0, 4),
        new Uint8Array([0x37, 0x7f, 0x06, 0x82]),
        'a WAL header (big-endian magic)',
      );
    } finally {
      db.close();
    }
    const closed = await readHubDbFile(path);
    assert.equal(closed.info.walBytes, null, 'a clean close checkpoints and removes it');
    assert.equal(closed.wal, null);
  });

  it('says why a file cannot be read', async () => {
    const missing = await readHubDbFile(join(dir(), 'nope.sqlite'));
    assert.equal(!missing.content.ok && missing.content.error.code, 'unreadable');
    assert.match(!missing.content.ok ? missing.content.error.message : '', /does not exist/);
    const folder = join(dir(), 'folder.db');
    mkdirSync(folder);
    const isFolder = await readHubDbFile(folder);
    assert.match(!isFolder.content.ok ? isFolder.content.error.message : '', /folder/);
    const empty = join(dir(), 'empty.sqlite');
    writeFileSync(empty, '');
    const read = await readHubDbFile(empty);
    assert.ok(read.content.ok && read.content.value.length === 0, 'empty bytes are read; the worker explains them');
  });
});
