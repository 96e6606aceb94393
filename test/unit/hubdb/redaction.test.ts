import assert from 'node:assert/strict';
import {
  columnNames,
  iterateRows,
  REDACTED,
  redactionPlanForQuery,
  redactionPlanForTable,
  redactJsonText,
  redactRecord,
  redactRow,
  redactRows,
  secretColumns,
  selectAll,
  type OpenedDb,
} from '../../../src/core/hubdb';
import { FAKE_SECRET_MARK, HOSTILE_NAMES } from '../../builders/hubDb';
import { openBuilt } from './hubDbTestKit';

/** Every row of a query as the explorer would show it, joined into one string to search. */
function shown(opened: OpenedDb, sql: string): string {
  const columns = columnNames(opened.db, sql);
  const plan = redactionPlanForQuery(opened.db, sql, columns);
  const rows = [...redactRows(plan, iterateRows(opened.db, sql))];
  return JSON.stringify(rows, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
}

describe('redaction', () => {
  let opened: OpenedDb;
  before(async () => {
    opened = await openBuilt({
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
    });
  });
  after(() => opened.close());

  it('the builder really stored fake secrets (so the other tests can fail)', () => {
    const raw = JSON.stringify(
      selectAll(opened.db, 'SELECT hashed FROM api_tokens UNION ALL SELECT cookie_id FROM users'),
    );
    assert.ok(raw.includes(FAKE_SECRET_MARK));
  });

  it('hides every secret of every table viewed whole, and keeps the harmless columns', () => {
    for (const [table] of selectAll(opened.db, "SELECT name FROM sqlite_master WHERE type = 'table'")) {
      const sql = `SELECT * FROM "${String(table)}"`;
      const columns = columnNames(opened.db, sql);
      const plan = redactionPlanForTable(String(table), columns);
      const text = JSON.stringify([...redactRows(plan, iterateRows(opened.db, sql))], (_k, v) =>
        v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
      );
      assert.ok(!text.includes(FAKE_SECRET_MARK), `${String(table)} leaks: ${text.slice(0, 200)}`);
    }
    assert.deepEqual(redactionPlanForTable('users', columnNames(opened.db, 'SELECT * FROM users')), [
      'keep',
      'keep',
      'keep',
      'keep',
      'keep',
      'redact',
      'json',
      'redact',
    ]);
    for (const [table, columns] of Object.entries(secretColumns))
      for (const column of columns)
        assert.equal(redactionPlanForTable(table, [column])[0], 'redact', `${table}.${column}`);
  });

  it('hides secrets in ad-hoc SQL however they are selected: aliases, expressions, subqueries, unions, sorts, CTEs', () => {
    const queries = [
      'SELECT name, cookie_id AS c FROM users ORDER BY name',
      'SELECT u.name, (SELECT hashed FROM api_tokens t WHERE t.user_id = u.id) AS x FROM users u',
      'SELECT name FROM users UNION SELECT hashed FROM api_tokens',
      'SELECT substr(hashed, 12) AS h, prefix FROM api_tokens',
      'SELECT upper(code) FROM oauth_codes',
      'WITH t AS (SELECT hashed AS h FROM api_tokens ORDER BY 1) SELECT h FROM t',
      'SELECT * FROM (SELECT name, cookie_id FROM users ORDER BY 1 LIMIT 3)',
      'SELECT DISTINCT encrypted_auth_state FROM users',
      'SELECT group_concat(secret) FROM oauth_clients',
      'SELECT s.state FROM spawners s ORDER BY s.last_activity',
      "SELECT json_extract(state, '$.api_token') FROM spawners",
      'SELECT a.hashed FROM api_tokens a JOIN users u ON u.id = a.user_id ORDER BY u.name',
      'SELECT hashed FROM share_codes',
    ];
    for (const sql of queries) assert.ok(!shown(opened, sql).includes(FAKE_SECRET_MARK), sql);
  });

  it('keeps what is not secret, even when the query reads a secret in its WHERE clause', () => {
    const plan = (sql: string) => redactionPlanForQuery(opened.db, sql, columnNames(opened.db, sql));
    assert.deepEqual(plan("SELECT name, admin FROM users WHERE cookie_id LIKE 'fake%' ORDER BY name DESC"), [
      'keep',
      'keep',
    ]);
    assert.deepEqual(plan('SELECT count(*), max(name) FROM users'), ['keep', 'keep']);
    assert.deepEqual(plan('SELECT cookie_name, base_url FROM servers'), ['keep', 'keep']);
    assert.deepEqual(plan('SELECT prefix, note, expires_at FROM api_tokens'), ['keep', 'keep', 'keep']);
    assert.deepEqual(plan("SELECT 'x' AS password, 1 AS n"), ['redact', 'keep']);
    assert.deepEqual(plan('SELECT s.state, s.name, u.name FROM spawners s JOIN users u ON u.id = s.user_id'), [
      'json',
      'keep',
      'keep',
    ]);
  });

  it("shows KubeSpawner's state with its secret-looking keys hidden", () => {
    const text = shown(opened, "SELECT state FROM spawners WHERE name LIKE 'old-%'");
    assert.ok(!text.includes(FAKE_SECRET_MARK));
    assert.ok(text.includes('jupyter-x') && text.includes(REDACTED));
    assert.equal(
      redactJsonText('{"pod_name": "jupyter-a", "namespace": "hub"}'),
      '{"pod_name": "jupyter-a", "namespace": "hub"}',
      'harmless JSON is returned as stored',
    );
    assert.equal(
      redactJsonText('{"nested": {"password": "p", "ok": [1, {"token": "t"}]}}'),
      `{"nested":{"password":"${REDACTED}","ok":[1,{"token":"${REDACTED}"}]}}`,
    );
    assert.equal(redactJsonText('not json but a secret_token=abc'), REDACTED);
  });

  it('redactRow and redactRecord keep NULLs and replace values', () => {
    assert.deepEqual(redactRow(['keep', 'redact', 'redact'], ['alice', 'abc', null]), ['alice', REDACTED, null]);
    assert.deepEqual(redactRecord('api_tokens', { prefix: 'abcd', hashed: 'sha512:…', note: null }), {
      prefix: 'abcd',
      hashed: REDACTED,
      note: null,
    });
    assert.deepEqual(redactRecord('some_foreign_table', { api_key: 'k', password_hash: 'h', title: 't' }), {
      api_key: REDACTED,
      password_hash: REDACTED,
      title: 't',
    });
  });
});
