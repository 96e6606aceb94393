import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { analyzeHubDb, loadSqlJs, nodeSqlite, openHubDb, openHubDbFile } from '../../../src/core/hubdb';
import { buildCalibrationDb, buildHubDb, HOSTILE_NAMES, seededRandom } from '../../builders/hubDb';
import { useTempDir } from '../../harness/tempDir';

const now = new Date('2025-06-01T12:00:00Z');

/** A hub DB the way a crash or a foreign tool leaves it: ids of every type, missing rows, a blob name. */
async function damagedHubDb(): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(
    await buildHubDb({
      users: HOSTILE_NAMES.map((name, i) => ({
        name,
        groups: i % 2 ? [name] : [],
        servers: [
          { name, running: i % 3 !== 0, lastActivity: null },
          { name: `${name}x`, running: false, lastActivity: new Date('2024-01-01') },
          { name: '', running: false },
        ],
      })),
      orphanServers: 3,
    }),
  );
  db.run(`INSERT INTO spawners (id, user_id, server_id, name, state, last_activity) VALUES
    (9001, NULL, NULL, 'nouser', '{}', '2020-01-01 00:00:00.000000'),
    (9002, 99999, NULL, 'ghost', '{}', '2020-01-01 00:00:00.000000'),
    (9003, 'abc', NULL, 'textuid', '{}', NULL),
    (9004, 1, 424242, 'missing-server', '{"a":1}', NULL),
    (9005, 2, NULL, 'same-time-a', NULL, '2021-03-04 05:06:07.000000'),
    (9006, 3, NULL, 'same-time-b', NULL, '2021-03-04 05:06:07.000000'),
    (9007, 2, NULL, 'bad-date', NULL, 'not a date'),
    (9008, 2, NULL, 'iso-date', NULL, '2021-03-04T05:06:07Z'),
    (9009, 4, NULL, X'68656c6c6f', NULL, NULL),
    (9010, 4.5, NULL, 'realuid', NULL, NULL),
    (9011, 5, 'zz', 'textserver', NULL, NULL)`);
  db.run(`UPDATE users SET name = X'626c6f62' WHERE id = 6`);
  db.run(`INSERT INTO users (id, name, cookie_id) VALUES (777, NULL, 'c777')`);
  db.run(`INSERT INTO spawners (id, user_id, server_id, name) VALUES (9012, 777, NULL, 'of-null-user')`);
  const bytes = db.export();
  db.close();
  return bytes;
}

/** The analysis with the parts that name SQLite's internals (EXPLAIN ids differ between versions) left out. */
function comparable(analysis: object): unknown {
  return JSON.parse(JSON.stringify(analysis, (key, value: unknown) => (key === 'plan' ? undefined : value)));
}

describe('opening a hub DB file in place (the CLI)', function () {
  this.timeout(60_000);
  const dir = useTempDir('hubdb-file-');

  it('this Node has node:sqlite, so the file-reading tests below use both engines (else they test sql.js twice)', () => {
    // The unit tests run on Node 24; the CLI on Node 20 falls back to sql.js (install.test.ts runs it there).
    assert.ok(nodeSqlite(), `Node ${process.version} has no usable node:sqlite`);
  });

  it('gives the same analysis with Node’s SQLite as with sql.js, on a clean, a calibration and a damaged DB', async () => {
    const files: [string, Uint8Array][] = [
      ['calibration', await buildCalibrationDb({ stressServers: 300, stressRunning: 150 })],
      ['damaged', await damagedHubDb()],
      [
        '4.x with groups',
        await buildHubDb({
          version: '4.x',
          users: Array.from({ length: 60 }, (_, i) => ({
            name: `u${i}`,
            groups: i % 3 ? ['g1'] : ['g2'],
            servers: [
              { name: '', running: i % 2 === 0 },
              { name: `s${i}`, running: i % 5 === 0 },
            ],
          })),
        }),
      ],
    ];
    for (const [label, bytes] of files) {
      const file = join(dir(), `${label}.sqlite`);
      writeFileSync(file, bytes);
      const results = [];
      for (const engine of ['auto', 'sql.js'] as const) {
        const opened = await openHubDbFile(file, { engine });
        assert.ok(opened.ok, label);
        for (const options of [
          { now, memoryLimitBytes: 2 ** 31 },
          { now, jupyterhubVersion: '5.4.3', staleDays: 1, staleLimit: 3, offenderLimit: 2 },
        ]) {
          const analysis = analyzeHubDb(opened.value, options);
          assert.ok(analysis.ok, label);
          results.push(comparable(analysis.value));
        }
        opened.value.close();
      }
      assert.deepEqual(results.slice(0, 2), results.slice(2), label);
    }
  });

  it('counts what a damaged DB holds as SQLite’s joins see it: only integer ids name a row', async () => {
    const file = join(dir(), 'damaged.sqlite');
    writeFileSync(file, await damagedHubDb());
    const opened = await openHubDbFile(file);
    assert.ok(opened.ok);
    const analysis = analyzeHubDb(opened.value, { now });
    opened.value.close();
    assert.ok(analysis.ok);
    const a = analysis.value;
    // NULL, 99999 (no such user), 'abc' and 4.5 belong to no user; 424242 and 'zz' name no server.
    assert.equal(a.health.spawnersWithoutUser, 4);
    assert.equal(a.health.spawnersWithMissingServer, 2);
    assert.equal(a.health.orphanServers, 3);
    assert.match(a.notes.join(' '), /4 spawner\(s\) belong to no user/);
    // The user whose name is a blob, and the one whose name is NULL, sort as SQLite orders them.
    assert.ok(a.stale.byUser.some((u) => u.user === '98,108,111,98'));
    assert.equal(a.stale.servers[0]!.server, 'of-null-user');
  });

  it('rejects the same bad files with the same codes and sentences as opening their bytes', async () => {
    const valid = await buildHubDb({ users: [{ name: 'alice', servers: [{ name: '', running: true }] }] });
    const garbage = valid.slice();
    const random = seededRandom(3);
    for (let i = 100; i < garbage.length; i++) garbage[i] = Math.floor(random() * 256);
    const cases: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['header only half there', valid.subarray(0, 50)],
      ['pages missing', valid.subarray(0, valid.length - 4096)],
      ['cut mid-page', valid.subarray(0, 4096 + 1000)],
      ['gzip', gzipSync(valid)],
      ['garbage pages', garbage],
    ];
    for (const [label, bytes] of cases) {
      const file = join(dir(), 'bad.sqlite');
      writeFileSync(file, bytes);
      const fromFile = await openHubDbFile(file);
      const fromBytes = await openHubDb(bytes);
      assert.ok(!fromFile.ok && !fromBytes.ok, label);
      assert.equal(fromFile.error.code, fromBytes.error.code, label);
      if (label !== 'garbage pages') assert.equal(fromFile.error.userMessage, fromBytes.error.userMessage, label);
      else assert.match(fromFile.error.userMessage, /encrypted or garbage|damaged/);
    }
    const missing = await openHubDbFile(join(dir(), 'missing.sqlite'));
    assert.ok(!missing.ok);
    assert.equal(missing.error.code, 'hubdb.unreadable');
  });

  it('never writes beside the snapshot: no -journal, -wal or -shm, the bytes unchanged, even for a WAL-mode file', async () => {
    const bytes = await buildHubDb({
      journalMode: 'wal',
      users: [{ name: 'alice', servers: [{ name: '', running: true }] }],
    });
    const file = join(dir(), 'jupyterhub.sqlite');
    writeFileSync(file, bytes);
    const opened = await openHubDbFile(file);
    assert.ok(opened.ok);
    assert.match(opened.value.notes.join(' '), /WAL mode and was read without its -wal file/);
    assert.throws(() => opened.value.db.run("INSERT INTO users (name, cookie_id) VALUES ('x', 'y')"), /readonly/i);
    assert.ok(analyzeHubDb(opened.value, { now }).ok);
    opened.value.close();
    assert.deepEqual(readdirSync(dir()), ['jupyterhub.sqlite']);
    assert.deepEqual(new Uint8Array(readFileSync(file)), bytes);
  });
});
