import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { columnNames, explainQueryPlan, isReadOnlySql, loadSqlJs, openHubDb } from '../../../src/core/hubdb';
import { ALEMBIC_HEADS, buildHubDb, hubSchemaTables, seededRandom, type HubDbVersion } from '../../builders/hubDb';
import { useTempDir } from '../../harness/tempDir';

const small = {
  users: [
    {
      name: 'alice',
      servers: [
        { name: '', running: true },
        { name: 'gpu', running: false },
      ],
    },
  ],
};

async function openError(bytes: Uint8Array, walBytes?: Uint8Array) {
  const result = await openHubDb(bytes, walBytes ? { walBytes } : {});
  assert.ok(!result.ok, 'expected an error');
  return result.error;
}

describe('opening hub DB files', () => {
  const dir = useTempDir('hubdb-open-');

  it('classifies each schema series by its alembic revision and tables', async () => {
    const expected: Record<HubDbVersion, [string, string]> = {
      '3.x': ['older', '3.x'],
      '4.x': ['4.x', '4.x'],
      '5.x': ['5.x', '5.0–5.5'],
      '6.x': ['6.x', '6.0 (beta)'],
    };
    for (const version of Object.keys(expected) as HubDbVersion[]) {
      const opened = await openHubDb(await buildHubDb({ ...small, version }));
      assert.ok(opened.ok);
      const { schema } = opened.value;
      assert.equal(schema.kind, 'jupyterhub');
      assert.deepEqual([schema.series, schema.jupyterhub], expected[version], version);
      assert.equal(schema.revision, ALEMBIC_HEADS[version]);
      assert.deepEqual(schema.tables, [...hubSchemaTables(version)].sort());
      opened.value.close();
    }
  });

  it('says so for an unknown revision, no alembic_version, and a SQLite file that is not a hub DB', async () => {
    const unknown = await openHubDb(await buildHubDb({ ...small, alembicRevision: 'ffffffffffff' }));
    assert.ok(unknown.ok);
    assert.equal(unknown.value.schema.series, 'unknown');
    assert.match(unknown.value.schema.summary, /'ffffffffffff' is not one this extension knows: a newer JupyterHub/);

    const unstamped = await openHubDb(await buildHubDb({ ...small, alembicRevision: null }));
    assert.ok(unstamped.ok);
    assert.equal(unstamped.value.schema.series, 'unknown');
    assert.match(unstamped.value.schema.summary, /no alembic_version/);

    const file = join(dir(), 'other.sqlite');
    execFileSync('sqlite3', [
      file,
      'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, "x");',
    ]);
    const foreign = await openHubDb(readFileSync(file));
    assert.ok(foreign.ok, 'a foreign SQLite file still opens for the explorer');
    assert.equal(foreign.value.schema.kind, 'not-hub');
    assert.match(foreign.value.schema.summary, /not a JupyterHub database: it has no users or spawners tables/);
  });

  it('rejects empty, truncated and non-SQLite files with a code and an operator sentence', async () => {
    const valid = await buildHubDb(small);
    const cases: [string, Uint8Array, string, RegExp][] = [
      ['empty', new Uint8Array(0), 'hubdb.empty', /empty \(0 bytes\)/],
      ['header only half there', valid.subarray(0, 50), 'hubdb.truncated', /truncated: 50 bytes/],
      ['pages missing', valid.subarray(0, valid.length - 4096), 'hubdb.truncated', /header promises/],
      ['cut mid-page', valid.subarray(0, 4096 + 1000), 'hubdb.truncated', /truncated/],
      [
        'random bytes (or SQLCipher)',
        Uint8Array.from({ length: 8192 }, seededBytes(7)),
        'hubdb.not-sqlite',
        /encrypted \(SQLCipher\)/,
      ],
      ['gzip', gzipSync(valid), 'hubdb.not-sqlite', /gzip-compressed/],
      [
        'SQL dump',
        new TextEncoder().encode('PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n'),
        'hubdb.not-sqlite',
        /SQL text dump/,
      ],
      [
        'a -wal file',
        Uint8Array.from([0x37, 0x7f, 0x06, 0x82, ...new Array(60).fill(0)]),
        'hubdb.not-sqlite',
        /write-ahead log/,
      ],
    ];
    for (const [label, bytes, code, message] of cases) {
      const error = await openError(bytes);
      assert.equal(error.code, code, label);
      assert.match(error.userMessage, message, label);
    }
  });

  it('rejects a damaged header and garbage pages behind a valid header', async () => {
    const valid = await buildHubDb(small);
    const badPageSize = valid.slice();
    badPageSize[16] = 0x03;
    badPageSize[17] = 0x00;
    assert.equal((await openError(badPageSize)).code, 'hubdb.bad-header');

    const garbage = valid.slice();
    const random = seededRandom(3);
    for (let i = 100; i < garbage.length; i++) garbage[i] = Math.floor(random() * 256);
    const error = await openError(garbage);
    assert.equal(error.code, 'hubdb.corrupt');
    assert.match(error.userMessage, /encrypted or garbage|damaged/);
  });

  it("never writes: the caller's bytes are untouched and ad-hoc writes are refused", async () => {
    for (const journalMode of ['delete', 'wal'] as const) {
      const bytes = await buildHubDb({ ...small, journalMode });
      const before = Buffer.from(bytes).toString('hex');
      const opened = await openHubDb(bytes);
      assert.ok(opened.ok);
      const { db } = opened.value;
      assert.throws(() => db.run("UPDATE users SET name = 'x'"), /readonly|query_only|attempt to write/i);
      opened.value.close();
      assert.equal(Buffer.from(bytes).toString('hex'), before, journalMode);
    }
  });

  it('tells reading statements from writing ones, and keeps the guard on even when a statement tries to lift it', async () => {
    const opened = await openHubDb(await buildHubDb(small));
    assert.ok(opened.ok);
    const { db } = opened.value;
    try {
      for (const sql of [
        'SELECT * FROM users',
        'WITH x AS (SELECT 1) SELECT * FROM x',
        'PRAGMA table_info(users)',
        'EXPLAIN SELECT 1',
      ])
        assert.ok(isReadOnlySql(db, sql), sql);
      for (const sql of [
        "UPDATE users SET name = 'x'",
        'DELETE FROM spawners',
        'INSERT INTO roles (name) VALUES (1)',
        'CREATE TABLE x (a)',
        'DROP TABLE users',
        'PRAGMA query_only = 0',
        '/* x */ PRAGMA main.query_only=false',
        'PRAGMA writable_schema = 1',
        'VACUUM',
        'SELECT 1; DELETE FROM users',
        '',
      ])
        assert.ok(!isReadOnlySql(db, sql), sql);
      // Preparing `PRAGMA query_only = 0` would lift SQLite's guard; the core's helpers put it back.
      columnNames(db, 'PRAGMA query_only = 0');
      assert.throws(() => db.run("UPDATE users SET name = 'x'"), /readonly|attempt to write/i);
      explainQueryPlan(db, 'PRAGMA query_only = 0');
      assert.throws(() => db.run("UPDATE users SET name = 'x'"), /readonly|attempt to write/i);
    } finally {
      opened.value.close();
    }
  });

  it('opens a WAL-mode file without its -wal, saying the snapshot may be incomplete', async () => {
    const opened = await openHubDb(await buildHubDb({ ...small, journalMode: 'wal' }));
    assert.ok(opened.ok);
    assert.match(opened.value.notes.join(' '), /WAL mode and was read without its -wal file.*\.backup/);
    opened.value.close();
  });

  it('applies the committed transactions of a real -wal file (written by SQLite itself) and ignores the rest', async () => {
    const db = join(dir(), 'hub.sqlite');
    const copy = join(dir(), 'copy.sqlite');
    // A live hub's file: SQLite (via Python) writes in WAL mode; we copy both files while it is open.
    execFileSync('python3', [
      '-c',
      `
import shutil, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute('PRAGMA journal_mode=WAL')
c.execute('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)')
c.execute('CREATE TABLE spawners (id INTEGER PRIMARY KEY, user_id INTEGER, server_id INTEGER, name TEXT)')
c.commit()
c.execute('PRAGMA wal_checkpoint(TRUNCATE)')
c.executemany('INSERT INTO users (name) VALUES (?)', [('u%d' % i,) for i in range(500)])
c.commit()
c.execute("INSERT INTO users (name) VALUES ('committed-last')")
c.commit()
shutil.copy(sys.argv[1], sys.argv[2]); shutil.copy(sys.argv[1] + '-wal', sys.argv[2] + '-wal')
`,
      db,
      copy,
    ]);
    const main = readFileSync(copy);
    const wal = readFileSync(`${copy}-wal`);

    const without = await openHubDb(main);
    assert.ok(without.ok);
    assert.equal(without.value.db.exec('SELECT count(*) FROM users')[0]!.values[0]![0], 0);
    without.value.close();

    const withWal = await openHubDb(main, { walBytes: wal });
    assert.ok(withWal.ok);
    assert.equal(withWal.value.db.exec('SELECT count(*) FROM users')[0]!.values[0]![0], 501);
    assert.match(withWal.value.notes.join(' '), /Applied 2 committed transaction/);
    withWal.value.close();

    // A torn tail (the last frame half written) loses only the last transaction.
    const torn = await openHubDb(main, { walBytes: wal.subarray(0, wal.length - 100) });
    assert.ok(torn.ok);
    assert.equal(torn.value.db.exec('SELECT count(*) FROM users')[0]!.values[0]![0], 500);
    torn.value.close();

    const notWal = await openError(main, new Uint8Array(64).fill(1));
    assert.equal(notWal.code, 'hubdb.wal-unusable');
    assert.match(notWal.userMessage, /not a SQLite write-ahead log/);
  });

  it("reads a copy made by the sqlite3 CLI the same as the builder's bytes", async () => {
    const source = join(dir(), 'a.sqlite');
    const backup = join(dir(), 'b.sqlite');
    const bytes = await buildHubDb(small);
    writeFileSync(source, bytes);
    execFileSync('sqlite3', [source, `.backup ${backup}`]);
    const opened = await openHubDb(readFileSync(backup));
    assert.ok(opened.ok);
    assert.equal(opened.value.schema.series, '5.x');
    opened.value.close();
  });
});

function seededBytes(seed: number) {
  const random = seededRandom(seed);
  return () => Math.floor(random() * 256);
}

describe('loading sql.js', () => {
  it('from the package, from a wasm path (as the bundle does), from wasm bytes; a wrong path is an error that does not stick', async () => {
    const wasm = require.resolve('sql.js/dist/sql-wasm.wasm');
    const bytes = readFileSync(wasm);
    for (const SQL of [
      await loadSqlJs(),
      await loadSqlJs({ wasmPath: wasm }),
      await loadSqlJs({ wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }),
    ]) {
      const db = new SQL.Database();
      assert.deepEqual(db.exec('SELECT 40 + 2')[0]!.values, [[42]]);
      db.close();
    }
    await assert.rejects(loadSqlJs({ wasmPath: '/nonexistent/sql-wasm.wasm' }));
    const opened = await openHubDb(await buildHubDb(small), { wasmPath: '/nonexistent/sql-wasm.wasm' });
    assert.ok(!opened.ok);
    assert.equal(opened.error.code, 'hubdb.engine');
    assert.ok((await openHubDb(await buildHubDb(small), { wasmPath: wasm })).ok);
  });
});
