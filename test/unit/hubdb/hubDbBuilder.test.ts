import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectAll } from '../../../src/core/hubdb';
import { buildHubDb, calibrationShape, FAKE_SECRET_MARK, HOSTILE_NAMES, type HubDbVersion } from '../../builders/hubDb';
import { useTempDir } from '../../harness/tempDir';
import { openBytes } from './hubDbTestKit';

describe('test builder: JupyterHub-schema SQLite files', () => {
  const dir = useTempDir('hubdb-builder-');

  it('is deterministic: same spec and seed, same bytes; another seed, other bytes', async () => {
    const spec = calibrationShape({ stressServers: 20, stressRunning: 5 });
    assert.deepEqual(await buildHubDb(spec), await buildHubDb(spec));
    assert.notDeepEqual(await buildHubDb(spec), await buildHubDb({ ...spec, seed: 2 }));
  });

  it("writes files the sqlite3 CLI finds intact, with the series' columns, foreign keys and no index on spawners.user_id", async () => {
    for (const version of ['3.x', '4.x', '5.x', '6.x'] as HubDbVersion[]) {
      const file = join(dir(), `${version}.sqlite`);
      writeFileSync(
        file,
        await buildHubDb({ version, users: [{ name: 'a', servers: [{ name: '', running: true }] }] }),
      );
      const check = execFileSync('sqlite3', [file, 'PRAGMA integrity_check; PRAGMA foreign_key_check;'], {
        encoding: 'utf8',
      });
      assert.equal(check.trim(), 'ok', version);
      const spawnerColumns = execFileSync(
        'sqlite3',
        [file, "SELECT group_concat(name) FROM pragma_table_info('spawners')"],
        {
          encoding: 'utf8',
        },
      ).trim();
      assert.equal(spawnerColumns.includes('display_name'), version === '6.x', version);
      const fks = execFileSync(
        'sqlite3',
        [file, 'SELECT "table", on_delete FROM pragma_foreign_key_list(\'spawners\') ORDER BY 1'],
        {
          encoding: 'utf8',
        },
      );
      assert.equal(fks.trim(), 'oauth_clients|SET NULL\nservers|SET NULL\nusers|CASCADE');
      const indexes = execFileSync('sqlite3', [file, "SELECT count(*) FROM pragma_index_list('spawners')"], {
        encoding: 'utf8',
      });
      assert.equal(indexes.trim(), '0');
    }
  });

  it('mirrors a running hub: running = server row + API token + OAuth client; stopped = none of them', async () => {
    const opened = await openBytes(
      await buildHubDb({
        users: [
          {
            name: 'a',
            servers: [
              { name: '', running: true },
              { name: 'x', running: false },
              { name: 'y', running: true },
            ],
          },
        ],
      }),
    );
    try {
      const rows = selectAll(
        opened.db,
        'SELECT s.name, s.server_id IS NOT NULL, s.oauth_client_id, (SELECT count(*) FROM api_tokens t WHERE t.client_id = s.oauth_client_id) FROM spawners s ORDER BY s.id',
      );
      assert.deepEqual(rows, [
        ['', 1, 'jupyterhub-user-a', 1],
        ['x', 0, null, 0],
        ['y', 1, 'jupyterhub-user-a-y', 1],
      ]);
      const state = String(selectAll(opened.db, "SELECT state FROM spawners WHERE name = ''")[0]![0]);
      assert.ok(state.length >= 200 && state.length <= 215, String(state.length));
      assert.deepEqual(Object.keys(JSON.parse(state)).slice(0, 3), ['pod_name', 'namespace', 'dns_name']);
    } finally {
      opened.close();
    }
  });

  it('stores hostile names as given and marks every fake secret', async () => {
    const opened = await openBytes(
      await buildHubDb({
        users: HOSTILE_NAMES.map((name) => ({ name, authStateBytes: 64, servers: [{ name, running: true }] })),
        oauthCodes: [{ user: HOSTILE_NAMES[0]!, expiresAt: new Date('2030-01-01') }],
      }),
    );
    try {
      assert.deepEqual(
        selectAll(opened.db, 'SELECT name FROM users ORDER BY id').map((r) => r[0]),
        HOSTILE_NAMES,
      );
      for (const [table, column] of [
        ['api_tokens', 'hashed'],
        ['oauth_clients', 'secret'],
        ['oauth_codes', 'code'],
        ['users', 'cookie_id'],
      ])
        for (const [value] of selectAll(opened.db, `SELECT ${column} FROM ${table}`))
          assert.ok(String(value).includes(FAKE_SECRET_MARK), `${table}.${column}`);
      const blob = selectAll(opened.db, 'SELECT encrypted_auth_state FROM users LIMIT 1')[0]![0] as Uint8Array;
      assert.equal(blob.length, 64);
      assert.ok(Buffer.from(blob).toString('latin1').startsWith(FAKE_SECRET_MARK));
    } finally {
      opened.close();
    }
  });
});
