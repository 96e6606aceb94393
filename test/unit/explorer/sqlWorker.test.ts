import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlWorkerClient } from '../../../src/explorer/sqlWorkerClient';
import { REDACTED as CORE_REDACTED } from '../../../src/core/secrets';
import { checkAnalysisView, REDACTED, type Cell } from '../../../src/protocol/explorerProtocol';
import { buildCalibrationDb, buildHubDb, FAKE_SECRET_MARK, HOSTILE_NAMES } from '../../builders/hubDb';
import { useTempDir } from '../../harness/tempDir';
import { countingQuery, expectOk, runawayQuery, startWorkerClient } from './workerHarness';

describe('explorer sql.js worker', function () {
  this.timeout(60_000);
  const dir = useTempDir('hubops-explorer-');
  let client: SqlWorkerClient;
  let hubDb: Uint8Array;

  before(async () => {
    hubDb = await buildHubDb({
      users: [
        {
          name: 'alice',
          authStateBytes: 64,
          servers: [
            { name: '', running: true },
            { name: 'gpu', running: false },
          ],
        },
        ...HOSTILE_NAMES.map((name) => ({ name, servers: [{ name, running: true }] })),
      ],
      tokens: [{ user: 'alice', note: 'ci' }],
      oauthCodes: [{ user: 'alice', expiresAt: new Date('2025-06-02T00:00:00Z') }],
      shareCodes: [{ user: 'alice', server: '' }],
    });
  });
  beforeEach(() => (client = startWorkerClient()));
  afterEach(() => client.dispose());

  it('opens a hub DB: tables with row counts, columns, indexes, secret columns, the schema it carries', async () => {
    const opened = expectOk(await client.open(hubDb, false));
    assert.equal(opened.hub.kind, 'hub');
    assert.equal(opened.hub.revision, '4621fec11365');
    const users = opened.tables.find((t) => t.name === 'users')!;
    assert.equal(users.rowCount, 1 + HOSTILE_NAMES.length);
    assert.deepEqual(
      users.columns.filter((c) => c.treatment !== 'keep').map((c) => [c.name, c.treatment]),
      [
        ['cookie_id', 'redact'],
        ['state', 'json'],
        ['encrypted_auth_state', 'redact'],
      ],
    );
    assert.ok(
      users.indexes.some((i) => i.unique && i.columns.includes('name')),
      'users.name is unique-indexed',
    );
    assert.equal(opened.tables.find((t) => t.name === 'spawners')!.rowCount, 2 + HOSTILE_NAMES.length);
    assert.equal(opened.secretsRevealed, false);
  });

  it('hides secrets everywhere by default, even behind aliases and expressions, until revealed', async () => {
    expectOk(await client.open(hubDb, false));
    const queries = [
      'SELECT * FROM api_tokens',
      'SELECT hashed AS h, substr(hashed, 1) AS s FROM api_tokens',
      'SELECT secret FROM oauth_clients',
      'SELECT code FROM oauth_codes',
      'SELECT cookie_id, encrypted_auth_state, hex(encrypted_auth_state) FROM users',
      'SELECT hashed FROM share_codes',
    ];
    const everything = async () => {
      const texts: string[] = [];
      for (const sql of queries) {
        const result = expectOk(await client.request('query', { sql }));
        const rows = expectOk(await client.request('rows', { resultId: result.resultId, offset: 0, limit: 1000 }));
        texts.push(JSON.stringify(rows));
        // Blobs travel as hex: the fake mark is in the auth_state bytes.
        for (const row of rows)
          for (let c = 0; c < row.length; c++)
            texts.push(await cellText(client, result.resultId, rows.indexOf(row), c));
      }
      return texts.join('\n');
    };
    const hidden = await everything();
    assert.ok(!hidden.includes(FAKE_SECRET_MARK), 'no secret reaches the grid');
    assert.ok(!hidden.includes(Buffer.from(FAKE_SECRET_MARK).toString('hex')), 'not even as hex');
    assert.ok(hidden.includes(REDACTED));

    const revealed = expectOk(await client.setSecretsRevealed(true));
    assert.equal(revealed.secretsRevealed, true);
    assert.ok((await everything()).includes(FAKE_SECRET_MARK), 'revealed on request');
    expectOk(await client.setSecretsRevealed(false));
    assert.ok(!(await everything()).includes(FAKE_SECRET_MARK), 'hidden again');
  });

  it('gives no secret away through filters, sorting or a foreign table named like secrets', async () => {
    expectOk(await client.open(hubDb, false));
    const first = async (sql: string) => {
      const result = expectOk(await client.request('query', { sql }));
      return expectOk(await client.request('rows', { resultId: result.resultId, offset: 0, limit: 1 }))[0]?.[0];
    };
    assert.equal(await first("SELECT count(*) FROM api_tokens WHERE hashed LIKE 'sha512:%'"), 0, 'no prefix search');
    assert.equal(await first("SELECT count(DISTINCT hashed) FROM api_tokens WHERE hashed NOT LIKE '‹redacted›%'"), 0);
    assert.equal(
      await first("SELECT count(*) FROM spawners WHERE state LIKE '%pod_name%'"),
      2 + HOSTILE_NAMES.length,
      'harmless JSON keys stay',
    );

    const initSqlJs = (await import('sql.js')).default;
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run(
      "CREATE TABLE accounts(id INTEGER PRIMARY KEY, login TEXT, password TEXT, api_key TEXT); INSERT INTO accounts VALUES (1, 'ops', 'hunter2', 'k-123')",
    );
    const opened = expectOk(await client.open(db.export(), false));
    db.close();
    assert.deepEqual(
      opened.tables[0]!.columns.map((c) => [c.name, c.treatment]),
      [
        ['id', 'keep'],
        ['login', 'keep'],
        ['password', 'redact'],
        ['api_key', 'redact'],
      ],
    );
    const result = expectOk(
      await client.request('query', { sql: "SELECT login, password AS p, api_key || '' AS k FROM accounts" }),
    );
    assert.deepEqual(expectOk(await client.request('rows', { resultId: result.resultId, offset: 0, limit: 1 })), [
      ['ops', REDACTED, REDACTED],
    ]);
  });

  it('shows the same marker the core redacts with', () => {
    assert.equal(REDACTED, CORE_REDACTED);
  });

  it('analyzes on the unredacted bytes and sends a view the page accepts', async () => {
    const calibration = await buildCalibrationDb({ stressServers: 300, stressRunning: 150 });
    expectOk(await client.open(calibration, false));
    const { view, analysis } = expectOk(
      await client.request('analyze', { jupyterhubVersion: '5.3.0', memoryLimitBytes: 128 * 1024 ** 2 }),
    );
    assert.equal(checkAnalysisView(view).ok, true, JSON.stringify(checkAnalysisView(view)));
    // The host gets the analyzer's whole result too (for the journal): the same verdict as the view.
    assert.equal(analysis.verdict.status, view.verdict.level);
    assert.equal(analysis.verdict.headline, view.verdict.headline);
    assert.equal(view.verdict.level, 'oom');
    assert.ok(view.verdict.marginBytes! < 0);
    assert.equal(view.offenders[0]!.user, 'stress-user', 'the top user first');
    assert.deepEqual(
      view.versions.filter((v) => v.selected).map((v) => v.version),
      ['5.0.0-5.3.0'],
    );
    assert.ok(view.versions.length >= 4, 'every variant side by side');
    const quadratic = view.versions.find((v) => v.version === '5.0.0-5.3.0')!;
    assert.ok(quadratic.mainRows > 45_000, `Σ running × spawners: ${quadratic.mainRows}`);
    assert.ok(view.startupQueries.every((q) => q.plan.length > 0));
    assert.match(view.remediation.namedServerLimit.yaml, /named_server_limit_per_user/);
    assert.ok(view.remediation.cleanup.bash.length > 0);

    const all = expectOk(await client.request('analyze', {})).view;
    assert.equal(all.verdict.memoryLimitBytes, null);
    assert.equal(all.verdict.level, 'unknown');
    const bad = await client.request('analyze', { jupyterhubVersion: 'banana' });
    assert.equal(!bad.ok && bad.error.code, 'hubdb.bad-version');
  });

  it('keeps hostile user and server names as data, byte for byte', async () => {
    expectOk(await client.open(hubDb, false));
    const result = expectOk(
      await client.request('query', {
        sql: 'SELECT users.name, spawners.name FROM users JOIN spawners ON spawners.user_id = users.id ORDER BY users.id, spawners.id',
      }),
    );
    const rows = expectOk(await client.request('rows', { resultId: result.resultId, offset: 0, limit: 100 }));
    assert.deepEqual(
      rows.slice(2).map((r) => r[0]),
      [...HOSTILE_NAMES],
    );
    assert.deepEqual(
      rows.slice(2).map((r) => r[1]),
      [...HOSTILE_NAMES],
    );
  });

  it('pages through a 1,000,000-row result in order and sorts it by re-querying in the worker', async () => {
    expectOk(await client.open(hubDb, false));
    const count = 1_000_000;
    const result = expectOk(await client.request('query', { sql: countingQuery(count) }));
    assert.equal(result.rowCount, count);
    assert.deepEqual(result.columns, ['x', 'name', 'bucket']);
    let expected = 1;
    for (let offset = 0; offset < count; offset += 1000) {
      const page = expectOk(await client.request('rows', { resultId: result.resultId, offset, limit: 1000 }));
      assert.equal(page.length, 1000);
      for (const row of page) assert.equal(row[0], expected++);
    }
    assert.deepEqual(
      expectOk(await client.request('rows', { resultId: result.resultId, offset: count, limit: 10 })),
      [],
    );

    const byNameDesc = expectOk(
      await client.request('sort', { resultId: result.resultId, column: 1, direction: 'desc' }),
    );
    assert.deepEqual(byNameDesc.sort, { column: 1, direction: 'desc' });
    assert.equal(byNameDesc.rowCount, count);
    const top = expectOk(await client.request('rows', { resultId: byNameDesc.resultId, offset: 0, limit: 3 }));
    assert.deepEqual(
      top.map((r) => r[1]),
      ['user-0999999', 'user-0999998', 'user-0999997'],
    );
    const tail = expectOk(await client.request('rows', { resultId: byNameDesc.resultId, offset: count - 1, limit: 5 }));
    assert.deepEqual(
      tail.map((r) => r[1]),
      ['user-0000000'],
    );
    const byBucket = expectOk(
      await client.request('sort', { resultId: byNameDesc.resultId, column: 2, direction: 'asc' }),
    );
    const firstBucket = expectOk(await client.request('rows', { resultId: byBucket.resultId, offset: 0, limit: 2 }));
    assert.deepEqual(
      firstBucket.map((r) => [r[0], r[2]]),
      [
        [3, 0],
        [6, 0],
      ],
      'ties keep the original order',
    );
    const unsorted = expectOk(
      await client.request('sort', { resultId: byBucket.resultId, column: 2, direction: 'none' }),
    );
    assert.equal(unsorted.resultId, result.resultId);
    assert.equal(unsorted.sort, null);
  });

  it('cancels a runaway query by ending the thread, then works again on the same DB', async () => {
    expectOk(await client.open(hubDb, false));
    // Requests run in order: once the ping before it is answered, the thread takes the runaway next.
    const ping = client.request('query', { sql: 'SELECT 1' });
    const runaway = client.request('query', { sql: runawayQuery });
    expectOk(await ping);
    const reopened = await client.cancel();
    const outcome = await runaway;
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.error.code, 'cancelled');
    assert.equal(expectOk(reopened!).secretsRevealed, false);
    const after = expectOk(await client.request('query', { sql: 'SELECT hashed FROM api_tokens LIMIT 1' }));
    const rows = expectOk(await client.request('rows', { resultId: after.resultId, offset: 0, limit: 1 }));
    assert.deepEqual(rows, [[REDACTED]], 'the re-opened DB keeps secrets hidden');
  });

  it('exports a result to CSV and JSON files, streamed, with secrets hidden', async () => {
    expectOk(await client.open(hubDb, false));
    const result = expectOk(
      await client.request('query', {
        sql: `SELECT name, cookie_id, 'a,"b"' || char(10) || 'c' AS tricky FROM users ORDER BY id`,
      }),
    );
    const csvPath = join(dir(), 'users.csv');
    const csv = expectOk(await client.request('export', { resultId: result.resultId, format: 'csv', path: csvPath }));
    assert.equal(csv.rows, 1 + HOSTILE_NAMES.length);
    const csvText = readFileSync(csvPath, 'utf8');
    assert.equal(csv.bytes, Buffer.byteLength(csvText));
    assert.ok(csvText.startsWith('name,cookie_id,tricky\r\nalice,‹redacted›,"a,""b""\nc"\r\n'), csvText.slice(0, 80));
    assert.ok(!csvText.includes(FAKE_SECRET_MARK));

    const jsonPath = join(dir(), 'users.json');
    expectOk(await client.request('export', { resultId: result.resultId, format: 'json', path: jsonPath }));
    const parsed = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>[];
    assert.deepEqual(
      parsed.map((r) => r.name),
      ['alice', ...HOSTILE_NAMES],
    );
    assert.ok(parsed.every((r) => r.cookie_id === REDACTED));
  });

  it('streams a 1,000,000-row export to a file', async () => {
    expectOk(await client.open(hubDb, false));
    const result = expectOk(await client.request('query', { sql: countingQuery(1_000_000) }));
    const path = join(dir(), 'big.csv');
    const exported = expectOk(await client.request('export', { resultId: result.resultId, format: 'csv', path }));
    assert.equal(exported.rows, 1_000_000);
    const lines = readFileSync(path, 'utf8').split('\r\n');
    assert.equal(lines.length, 1_000_002, 'header, a million rows, the final line break');
    assert.equal(lines[1_000_000], '1000000,user-0000000,1');
  });

  it('reports an export it cannot write, and leaves no partial file', async () => {
    expectOk(await client.open(hubDb, false));
    const result = expectOk(await client.request('query', { sql: 'SELECT 1' }));
    const outcome = await client.request('export', {
      resultId: result.resultId,
      format: 'csv',
      path: join(dir(), 'missing', 'x.csv'),
    });
    assert.equal(!outcome.ok && outcome.error.code, 'export');
  });

  it('is read-only, one statement at a time, and still answers PRAGMA and EXPLAIN', async () => {
    expectOk(await client.open(hubDb, false));
    for (const sql of [
      'DELETE FROM users',
      'DROP TABLE spawners',
      "UPDATE users SET name = 'x'",
      'CREATE TABLE t(x)',
    ]) {
      const outcome = await client.request('query', { sql });
      assert.equal(!outcome.ok && outcome.error.code, 'read-only', sql);
    }
    const two = await client.request('query', { sql: 'SELECT 1; DELETE FROM users' });
    assert.match(!two.ok ? two.error.message : '', /one statement at a time/);
    const users = expectOk(await client.request('query', { sql: 'SELECT count(*) FROM users;' }));
    assert.deepEqual(expectOk(await client.request('rows', { resultId: users.resultId, offset: 0, limit: 1 })), [
      [1 + HOSTILE_NAMES.length],
    ]);

    const pragma = expectOk(await client.request('query', { sql: 'PRAGMA table_info(spawners)' }));
    assert.equal(pragma.columns[1], 'name');
    const names = expectOk(await client.request('rows', { resultId: pragma.resultId, offset: 0, limit: 100 })).map(
      (r) => r[1],
    );
    assert.ok(names.includes('server_id'));
    const sorted = expectOk(await client.request('sort', { resultId: pragma.resultId, column: 1, direction: 'asc' }));
    const first = expectOk(await client.request('rows', { resultId: sorted.resultId, offset: 0, limit: 1 }));
    assert.equal(first[0]![1], [...(names as string[])].sort()[0]);

    const plan = expectOk(
      await client.request('explain', { sql: 'SELECT * FROM users JOIN spawners ON spawners.user_id = users.id' }),
    );
    assert.ok(plan.length >= 2);
    assert.ok(plan.every((node) => typeof node.detail === 'string' && node.id > 0));
    const bad = await client.request('query', { sql: 'SELECT * FROM no_such_table' });
    assert.equal(!bad.ok && bad.error.code, 'sql');
    assert.match(!bad.ok ? bad.error.message : '', /no such table/);
  });

  it('sends exact integers, long texts as previews and blobs as descriptions; copy gets the whole value', async () => {
    expectOk(await client.open(hubDb, true));
    const result = expectOk(
      await client.request('query', {
        sql: "SELECT 9007199254740993 AS big, 42 AS small, 1.5 AS real, NULL AS none, hex(zeroblob(3000)) AS long, x'00ff10' AS blob",
      }),
    );
    const [row] = expectOk(await client.request('rows', { resultId: result.resultId, offset: 0, limit: 1 }));
    const [big, small, real, none, long, blob] = row as Cell[];
    assert.equal(big, '9007199254740993');
    assert.equal(small, 42);
    assert.equal(real, 1.5);
    assert.equal(none, null);
    assert.deepEqual(long, { kind: 'longText', preview: '0'.repeat(2000), length: 6000 });
    assert.deepEqual(blob, { kind: 'blob', bytes: 3, hexPrefix: '00ff10' });
    assert.equal(await cellText(client, result.resultId, 0, 4), '0'.repeat(6000));
    assert.equal(await cellText(client, result.resultId, 0, 5), '00ff10');
  });

  it('pages and sorts a result whose columns are called rowid and _rowid_', async () => {
    expectOk(await client.open(hubDb, false));
    const result = expectOk(
      await client.request('query', { sql: 'SELECT 100 - id AS rowid, name AS _rowid_ FROM users ORDER BY id' }),
    );
    const rows = expectOk(await client.request('rows', { resultId: result.resultId, offset: 0, limit: 2 }));
    assert.deepEqual(rows, [
      [99, 'alice'],
      [98, HOSTILE_NAMES[0]],
    ]);
    const sorted = expectOk(await client.request('sort', { resultId: result.resultId, column: 0, direction: 'asc' }));
    const lowest = expectOk(await client.request('rows', { resultId: sorted.resultId, offset: 0, limit: 1 }));
    assert.deepEqual(lowest, [[100 - (1 + HOSTILE_NAMES.length), HOSTILE_NAMES.at(-1)]]);
    assert.equal(await cellText(client, sorted.resultId, 0, 1), HOSTILE_NAMES.at(-1));
    const all = await client.request('query', { sql: 'SELECT 1 AS rowid, 2 AS _rowid_, 3 AS oid' });
    assert.match(!all.ok ? all.error.message : '', /rename one/);
  });

  it('forgets an old result when a new query replaces it', async () => {
    expectOk(await client.open(hubDb, false));
    const first = expectOk(await client.request('query', { sql: 'SELECT 1' }));
    expectOk(await client.request('query', { sql: 'SELECT 2' }));
    const stale = await client.request('rows', { resultId: first.resultId, offset: 0, limit: 1 });
    assert.equal(!stale.ok && stale.error.code, 'unknown-result');
  });

  describe('bad files say what is wrong', () => {
    const failure = async (bytes: Uint8Array) => {
      const opened = await client.open(bytes, false);
      assert.equal(opened.ok, false);
      return !opened.ok ? opened.error : { code: '', message: '' };
    };

    it('empty, truncated, not SQLite', async () => {
      assert.equal((await failure(new Uint8Array())).code, 'hubdb.empty');
      assert.equal((await failure(hubDb.slice(0, 50))).code, 'hubdb.truncated');
      const cut = await failure(hubDb.slice(0, Math.floor(hubDb.length / 2)));
      assert.equal(cut.code, 'hubdb.truncated');
      assert.match(cut.message, /header promises \d+/);
      assert.equal((await failure(new TextEncoder().encode('{"users": []}\n'.repeat(20)))).code, 'hubdb.not-sqlite');
    });

    it('a damaged page is reported, not shown as a blank editor', async () => {
      const damaged = hubDb.slice();
      // Scribble over the second page (the first table's root), keeping the header intact.
      const pageSize = (damaged[16]! << 8) | damaged[17]!;
      damaged.fill(0xa5, pageSize, pageSize * 2);
      const error = await failure(damaged);
      assert.equal(error.code, 'hubdb.corrupt');
      assert.ok(error.message.length > 20);
    });

    it('a foreign DB opens in the explorer; the hub panel says why it is off', async () => {
      const initSqlJs = (await import('sql.js')).default;
      const SQL = await initSqlJs();
      const db = new SQL.Database();
      db.run("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('hello')");
      const opened = expectOk(await client.open(db.export(), false));
      db.close();
      assert.equal(opened.hub.kind, 'foreign');
      assert.deepEqual(
        opened.tables.map((t) => [t.name, t.rowCount]),
        [['notes', 1]],
      );
      const analysis = await client.request('analyze', {});
      assert.equal(!analysis.ok && analysis.error.code, 'hubdb.not-hub');
    });

    it('an unknown alembic revision is named', async () => {
      const opened = expectOk(
        await client.open(await buildHubDb({ alembicRevision: 'ffffffffffff', users: [] }), false),
      );
      assert.equal(opened.hub.kind, 'unknown-revision');
      assert.match(opened.hub.summary, /ffffffffffff/);
    });
  });

  it('writes nothing: a DB opened from a file leaves the file unchanged', async () => {
    const path = join(dir(), 'jupyterhub.sqlite');
    writeFileSync(path, hubDb);
    expectOk(await client.open(new Uint8Array(readFileSync(path)), false));
    expectOk(await client.request('query', { sql: countingQuery(10) }));
    assert.deepEqual(new Uint8Array(readFileSync(path)), hubDb);
  });
});

async function cellText(client: SqlWorkerClient, resultId: number, row: number, column: number): Promise<string> {
  return expectOk(await client.request('cell', { resultId, row, column }));
}
