import assert from 'node:assert/strict';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { selectAll } from '../../../src/core/hubdb';
import { REDACTED, redactText } from '../../../src/core/secrets';
import { redactCell, redactInPlace, shownValue } from '../../../src/explorer/worker/redactInPlace';
import { buildHubDb, FAKE_SECRET_MARK, HOSTILE_NAMES } from '../../builders/hubDb';

describe('redacting secrets in the worker copy', () => {
  let SQL: SqlJsStatic;
  let db: Database;
  before(async () => (SQL = await initSqlJs()));
  beforeEach(() => (db = new SQL.Database()));
  afterEach(() => db.close());

  const values = (sql: string) =>
    selectAll(db, sql).map((row) => row.map((v) => (typeof v === 'string' ? shownValue(v) : v)));

  it('redacts a cell with the core detector: texts, and blobs that hold a secret', () => {
    const samples = [
      '{"pod_name": "jupyter-a", "namespace": "hub", "dns_name": "jupyter-a.hub.svc"}',
      '{"api_token": "abc", "pod_name": "p"}',
      '{"tok\\u0065n": "escaped key"}',
      'not json but a secret_token=abc',
      'plain words',
      '',
    ];
    for (const text of samples) assert.equal(redactCell(text), redactText(text), text);
    assert.equal(redactCell('{"tok\\u0065n": "escaped key"}'), `{"token":"${REDACTED}"}`);
    const blob = new TextEncoder().encode('{"password": "blob-secret"}');
    assert.equal(redactCell(blob), REDACTED);
    const binary = new Uint8Array([1, 2, 250]);
    assert.equal(redactCell(binary), binary, 'a blob without a secret stays a blob');
    assert.equal(redactCell(null), null);
    assert.equal(redactCell(42), 42);
  });

  it('hides unique secrets (one marker each on screen), JSON keys, and keeps the rest', () => {
    db.run(`CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, cookie_id TEXT NOT NULL UNIQUE, state TEXT);
      INSERT INTO users VALUES (1, 'a', 'c1', '{"access_token": "t1", "pod": "p1"}'), (2, 'b', 'c2', NULL)`);
    assert.deepEqual(redactInPlace(db), []);
    assert.deepEqual(values('SELECT name, cookie_id, state FROM users ORDER BY id'), [
      ['a', REDACTED, `{"access_token":"${REDACTED}","pod":"p1"}`],
      ['b', REDACTED, null],
    ]);
    assert.equal(selectAll(db, 'SELECT count(DISTINCT cookie_id) FROM users')[0]![0], 2, 'UNIQUE still holds');
  });

  it('finds what the column list missed: group properties, service info and command, spawner env, JSON strings, JSON in JSON', () => {
    db.run(`CREATE TABLE groups (id INTEGER PRIMARY KEY, name TEXT, properties TEXT);
      CREATE TABLE services (id INTEGER PRIMARY KEY, name TEXT, info TEXT, command TEXT);
      CREATE TABLE spawners (id INTEGER PRIMARY KEY, name TEXT UNIQUE, state TEXT, user_options TEXT);`);
    db.run('INSERT INTO groups VALUES (1, ?, ?)', ['physics', '{"password": "grp-pw-1"}']);
    db.run('INSERT INTO services VALUES (1, ?, ?, ?)', [
      'culler',
      '{"api_key": "svc-key-2", "owner": "ops"}',
      '["python3", "-m", "culler", "--api-token=svc-token-3", "--timeout=3600"]',
    ]);
    db.run('INSERT INTO spawners VALUES (1, ?, ?, ?)', [
      'gpu',
      '{"pod_name": "jupyter-a", "env": {"GITHUB_PAT": "pat-4", "LANG": "C.UTF-8"}}',
      '{"cmd": "JUPYTERHUB_API_TOKEN=env-5", "args": ["--NotebookApp.token=flag-6"]}',
    ]);
    // A JSON string holding JSON (written by a tool that encoded twice), and a spawner *named* by a token.
    db.run('INSERT INTO spawners VALUES (2, ?, ?, NULL)', [
      'ghp_0123456789abcdefghijABCDEFGHIJ012345',
      JSON.stringify(JSON.stringify({ pod_name: 'jupyter-b', password: 'double-7' })),
    ]);
    db.run('INSERT INTO spawners VALUES (3, ?, NULL, NULL)', ['ghp_0123456789abcdefghijABCDEFGHIJ012346']);
    assert.deepEqual(redactInPlace(db), []);
    const everything = JSON.stringify([
      values('SELECT * FROM groups'),
      values('SELECT * FROM services'),
      values('SELECT * FROM spawners'),
    ]);
    for (const secret of ['grp-pw-1', 'svc-key-2', 'svc-token-3', 'pat-4', 'env-5', 'flag-6', 'double-7', 'ghp_'])
      assert.ok(!everything.includes(secret), `${secret} shows: ${everything}`);
    for (const kept of ['physics', 'ops', '--timeout=3600', 'jupyter-a', 'C.UTF-8', 'jupyter-b', 'culler'])
      assert.ok(everything.includes(kept), `${kept} was hidden: ${everything}`);
    assert.deepEqual(values('SELECT name FROM spawners WHERE id > 1'), [[REDACTED], [REDACTED]], 'unique tails hidden');
  });

  it('leaves no secret byte anywhere in the file: not in freed pages, not in what the hub had deleted', async () => {
    const secrets = ['hub-deleted-token-0001', 'overwritten-secret-0002', 'fake-secret-cookie-0003'];
    const base = new SQL.Database(
      await buildHubDb({ users: [{ name: 'alice', servers: [{ name: '', running: true }] }] }),
    );
    base.run('INSERT INTO api_tokens (id, hashed, note) VALUES (900, ?, ?)', [
      `sha512:1:${'a'.repeat(16)}:x`,
      secrets[0]!,
    ]);
    base.run('DELETE FROM api_tokens WHERE id = 900'); // in a freed cell of the hub's own file
    base.run("UPDATE spawners SET state = ? WHERE name = ''", [`{"pod_name": "p", "secret": "${secrets[1]}"}`]);
    base.run("UPDATE users SET cookie_id = ? WHERE name = 'alice'", [secrets[2]!]);
    const original = base.export();
    base.close();
    const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
    for (const secret of secrets) assert.ok(text(original).includes(secret), `the test file holds ${secret}`);

    db.close();
    db = new SQL.Database(original);
    assert.deepEqual(redactInPlace(db), []);
    const scrubbed = text(db.export());
    for (const secret of [...secrets, FAKE_SECRET_MARK])
      assert.ok(!scrubbed.includes(secret), `${secret} survives in the exported bytes`);
    assert.ok(scrubbed.includes('alice'), 'the data is still there');
  });

  it('reads a row whole even when an earlier column holds a NUL', () => {
    db.run('CREATE TABLE spawners (id INTEGER PRIMARY KEY, name TEXT, state TEXT)');
    db.run("INSERT INTO spawners VALUES (1, 'a' || char(0) || 'b', '{\"password\": \"after-a-nul\"}')");
    assert.deepEqual(redactInPlace(db), []);
    assert.deepEqual(values('SELECT state FROM spawners'), [[`{"password":"${REDACTED}"}`]]);
  });

  it('is not stopped by a trigger that vetoes updates, a CHECK, or a STRICT blob column', () => {
    db.run(`CREATE TABLE api_tokens (id INTEGER PRIMARY KEY, hashed TEXT CHECK (length(hashed) > 20));
      INSERT INTO api_tokens VALUES (1, 'sha512:1:aaaaaaaaaaaaaaaaaaaaaaaa');
      CREATE TRIGGER keep BEFORE UPDATE ON api_tokens BEGIN SELECT RAISE(ABORT, 'no'); END;
      CREATE TABLE vault (id INTEGER PRIMARY KEY, secret BLOB, note BLOB) STRICT;
      INSERT INTO vault VALUES (1, x'0102', CAST('{"password": "in-a-blob"}' AS BLOB))`);
    assert.deepEqual(redactInPlace(db), []);
    assert.deepEqual(values('SELECT hashed FROM api_tokens'), [[REDACTED]]);
    assert.deepEqual(values('SELECT secret, note FROM vault'), [[null, null]], 'NULL where the marker does not fit');
  });

  it('addresses rows correctly when a column is called rowid, and without a rowid at all', () => {
    db.run(`CREATE TABLE spawners (id INTEGER PRIMARY KEY, rowid TEXT, _rowid_ TEXT, state TEXT);
      INSERT INTO spawners VALUES (1, 'x', 'y', '{"secret": "s1"}'), (2, 'x', 'y', '{"ok": 1}');
      CREATE TABLE users (name TEXT PRIMARY KEY, state TEXT) WITHOUT ROWID;
      INSERT INTO users VALUES ('a', '{"password": "p"}')`);
    assert.deepEqual(redactInPlace(db), []);
    assert.deepEqual(values('SELECT state FROM spawners ORDER BY id'), [[`{"secret":"${REDACTED}"}`], ['{"ok": 1}']]);
    assert.deepEqual(values('SELECT state FROM users'), [[`{"password":"${REDACTED}"}`]]);
  });

  it('hides secrets in ad-hoc SQL however they are selected: aliases, expressions, subqueries, unions, sorts, CTEs', async () => {
    db.close();
    db = new SQL.Database(
      await buildHubDb({
        version: '6.x',
        users: HOSTILE_NAMES.slice(0, 4).map((name, i) => ({
          name,
          authStateBytes: 256,
          servers: [
            { name: '', running: true },
            // An old spawner that kept its API token in state (JupyterHub < 0.8 did).
            {
              name: `old-${i}`,
              running: false,
              state: `{"api_token": "${FAKE_SECRET_MARK}-state-token", "pod_name": "jupyter-x"}`,
            },
          ],
        })),
        tokens: [{ user: HOSTILE_NAMES[0]!, expiresAt: new Date('2024-01-01') }],
        oauthCodes: [{ user: HOSTILE_NAMES[1]!, expiresAt: new Date('2024-01-01') }],
        shareCodes: [{ user: HOSTILE_NAMES[0]!, server: '' }],
      }),
    );
    assert.deepEqual(redactInPlace(db), []);
    const queries = [
      'SELECT name, cookie_id AS c FROM users ORDER BY name',
      'SELECT u.name, (SELECT hashed FROM api_tokens t WHERE t.user_id = u.id) AS x FROM users u',
      'SELECT name FROM users UNION SELECT hashed FROM api_tokens',
      'SELECT substr(hashed, 12) AS h, prefix FROM api_tokens',
      'SELECT upper(code) FROM oauth_codes',
      'WITH t AS (SELECT hashed AS h FROM api_tokens ORDER BY 1) SELECT h FROM t',
      'SELECT DISTINCT encrypted_auth_state FROM users',
      'SELECT group_concat(secret) FROM oauth_clients',
      "SELECT json_extract(state, '$.api_token') FROM spawners",
      'SELECT hashed FROM share_codes',
      "SELECT count(*) FROM api_tokens WHERE hashed LIKE 'sha512:%'",
    ];
    for (const sql of queries) {
      const shown = JSON.stringify(values(sql), (_k, v: unknown) =>
        v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
      );
      assert.ok(!shown.includes(FAKE_SECRET_MARK), `${sql}: ${shown.slice(0, 200)}`);
    }
    assert.deepEqual(values("SELECT count(*) FROM api_tokens WHERE hashed LIKE 'sha512:%'"), [[0]], 'no prefix search');
    assert.ok(JSON.stringify(values("SELECT state FROM spawners WHERE name LIKE 'old-%'")).includes('jupyter-x'));
  });
});
