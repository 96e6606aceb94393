import assert from 'node:assert/strict';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { REDACTED, redactJsonText, selectAll } from '../../../src/core/hubdb';
import { redactInPlace, redactJsonValue, shownValue } from '../../../src/explorer/worker/redactInPlace';

describe('redacting secrets in the worker copy', () => {
  let SQL: SqlJsStatic;
  let db: Database;
  before(async () => (SQL = await initSqlJs()));
  beforeEach(() => (db = new SQL.Database()));
  afterEach(() => db.close());

  const values = (sql: string) =>
    selectAll(db, sql).map((row) => row.map((v) => (typeof v === 'string' ? shownValue(v) : v)));

  it('skips parsing only where the core would change nothing', () => {
    const samples = [
      '{"pod_name": "jupyter-a", "namespace": "hub", "dns_name": "jupyter-a.hub.svc"}',
      '{"api_token": "abc", "pod_name": "p"}',
      '{"tok\\u0065n": "escaped key"}',
      '{"nested": {"Password": "x"}}',
      'not json but mentions a secret',
      'plain words',
      '[1, 2, {"cookie_id": 3}]',
      '',
    ];
    for (const text of samples) assert.equal(redactJsonValue(text), redactJsonText(text), text);
    assert.equal(redactJsonValue(new Uint8Array([1, 2])), REDACTED);
    assert.equal(redactJsonValue(null), null);
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

  it('is not stopped by a trigger that vetoes updates, a CHECK, or a STRICT blob column', () => {
    db.run(`CREATE TABLE api_tokens (id INTEGER PRIMARY KEY, hashed TEXT CHECK (length(hashed) > 20));
      INSERT INTO api_tokens VALUES (1, 'sha512:1:aaaaaaaaaaaaaaaaaaaaaaaa');
      CREATE TRIGGER keep BEFORE UPDATE ON api_tokens BEGIN SELECT RAISE(ABORT, 'no'); END;
      CREATE TABLE vault (id INTEGER PRIMARY KEY, secret BLOB) STRICT;
      INSERT INTO vault VALUES (1, x'0102')`);
    assert.deepEqual(redactInPlace(db), []);
    assert.deepEqual(values('SELECT hashed FROM api_tokens'), [[REDACTED]]);
    assert.deepEqual(values('SELECT secret FROM vault'), [[null]], 'NULL where the marker does not fit');
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
});
