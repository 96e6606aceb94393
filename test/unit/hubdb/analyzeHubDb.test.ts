import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  analyzeHubDb,
  explainQueryPlan,
  findStaleServers,
  openHubDb,
  remediationPlan,
  suggestNamedServerLimit,
  type HubDbAnalysis,
  type UserLoad,
} from '../../../src/core/hubdb';
import {
  buildCalibrationDb,
  DEFAULT_NOW,
  FAKE_SECRET_MARK,
  HOSTILE_NAMES,
  type ServerSpec,
} from '../../builders/hubDb';
import { rowBytesSql } from '../../../src/core/hubdb/analyzer/hubScan';
import { selectAll, tableColumns } from '../../../src/core/hubdb/sqlRows';
import { useTempDir } from '../../harness/tempDir';
import { openBuilt, openBytes, withBuilt } from './hubDbTestKit';

const DAY = 86_400_000;
const ago = (days: number) => new Date(DEFAULT_NOW.getTime() - days * DAY);
const now = DEFAULT_NOW;

function analysed(result: ReturnType<typeof analyzeHubDb>): HubDbAnalysis {
  if (!result.ok) assert.fail(result.error.userMessage);
  return result.value;
}

describe('analyzeHubDb', () => {
  const dir = useTempDir('hubdb-analyze-');

  it('on the incident-shaped DB: OOM on 5.3 against 2Gi, fits on 5.4.3, the stress user named, the fix planned', async () => {
    const opened = await openBytes(await buildCalibrationDb({ stressServers: 1500, stressRunning: 700 }));
    try {
      const worst = analysed(analyzeHubDb(opened, { memoryLimitBytes: 2 * 2 ** 30, now }));
      assert.equal(worst.verdict.status, 'oom');
      assert.equal(worst.verdict.family, '5.0-5.3');
      assert.ok(worst.verdict.versionAssumed);
      assert.equal(worst.selected, null);
      assert.deepEqual(
        worst.startup.map((s) => s.jupyterhub),
        ['4.0.0-4.1.6', '5.0.0-5.3.0', '5.4.0-5.4.2', '5.4.3-5.5.x', '6.0.0+'],
      );
      const join = worst.startup.find((s) => s.family === '5.0-5.3')!;
      assert.equal(join.rows, worst.counts.sumRunningTimesSpawners);
      assert.ok(join.peakBytes > 5 * 2 ** 30);
      assert.equal(worst.offenders[0]!.user, 'stress-user');
      assert.deepEqual(
        [worst.offenders[0]!.spawners, worst.offenders[0]!.running, worst.offenders[0]!.rows],
        [1500, 700, 1_050_000],
      );
      assert.ok(worst.offenders[0]!.share > 0.99);
      assert.equal(worst.stale.byUser[0]!.user, 'stress-user');
      assert.ok(worst.remediation.upgrade.needed);
      assert.equal(worst.remediation.upgrade.targetChart, '4.3.2');
      assert.match(worst.remediation.steps[1]!, /^Do not restart the hub on 5\.0\.0-5\.3\.0/);
      assert.match(
        worst.remediation.namedServerLimit.yaml,
        /^hub:\n {2}config:\n {4}JupyterHub:\n {6}named_server_limit_per_user: \d+\n$/,
      );
      assert.deepEqual(JSON.parse(JSON.stringify(worst)), worst, 'JSON-serialisable as is');

      const fixed = analysed(analyzeHubDb(opened, { jupyterhubVersion: '5.4.3', memoryLimitBytes: 2 * 2 ** 30, now }));
      assert.equal(fixed.verdict.status, 'fits');
      assert.equal(fixed.selected!.family, '5.4.3+');
      assert.equal(fixed.selected!.rows, fixed.counts.running);
      assert.ok(!fixed.remediation.upgrade.needed);
    } finally {
      opened.close();
    }
  });

  it('says "tight" near the limit and "unknown" without one', async () => {
    await withBuilt(
      {
        users: [{ name: 's', servers: Array.from({ length: 300 }, (_, i) => ({ name: `n${i}`, running: i < 150 })) }],
      },
      (opened) => {
        const peak = analysed(analyzeHubDb(opened, { jupyterhubVersion: '5.3.0', now })).selected!.peakBytes;
        assert.equal(
          analysed(analyzeHubDb(opened, { jupyterhubVersion: '5.3.0', memoryLimitBytes: peak / 0.8, now })).verdict
            .status,
          'tight',
        );
        assert.equal(
          analysed(analyzeHubDb(opened, { jupyterhubVersion: '5.3.0', memoryLimitBytes: peak * 2, now })).verdict
            .status,
          'fits',
        );
        assert.equal(analysed(analyzeHubDb(opened, { jupyterhubVersion: '5.3.0', now })).verdict.status, 'unknown');
      },
    );
  });

  it('refuses a file that is not a hub DB, a schema without the start-up columns, and a version that is not a version', async () => {
    const file = join(dir(), 'other.sqlite');
    execFileSync('sqlite3', [file, 'CREATE TABLE t (x);']);
    const foreign = await openHubDb(readFileSync(file));
    assert.ok(foreign.ok);
    const notHub = analyzeHubDb(foreign.value);
    assert.ok(!notHub.ok);
    assert.equal(notHub.error.code, 'hubdb.not-hub');
    foreign.value.close();

    const odd = join(dir(), 'odd.sqlite');
    execFileSync('sqlite3', [
      odd,
      'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE spawners (id INTEGER PRIMARY KEY, user_id INTEGER);',
    ]);
    const oddOpened = await openHubDb(readFileSync(odd));
    assert.ok(oddOpened.ok);
    const oddResult = analyzeHubDb(oddOpened.value);
    assert.ok(!oddResult.ok);
    assert.equal(oddResult.error.code, 'hubdb.schema');
    assert.match(oddResult.error.userMessage, /cannot read this schema \(no such column: .*server_id\)/);
    oddOpened.value.close();

    const opened = await openBuilt({ users: [] });
    const bad = analyzeHubDb(opened, { jupyterhubVersion: 'latest' });
    assert.ok(!bad.ok);
    assert.equal(bad.error.code, 'hubdb.bad-version');
    opened.close();
  });

  it('lists stale named servers: stopped, idle past the threshold, never default or running ones', async () => {
    const servers: ServerSpec[] = [
      { name: '', running: false, lastActivity: ago(400) },
      { name: 'old', running: false, lastActivity: ago(90) },
      { name: 'never-used', running: false, lastActivity: null },
      { name: 'recent', running: false, lastActivity: ago(3) },
      { name: 'running-old', running: true, lastActivity: ago(200) },
      { name: 'edge', running: false, lastActivity: ago(31) },
    ];
    await withBuilt(
      {
        users: [
          { name: 'ana', servers },
          { name: 'bo', servers: [{ name: 'x', running: false, lastActivity: ago(60) }] },
        ],
      },
      (opened) => {
        const stale = findStaleServers(opened.db, { days: 30, now });
        assert.equal(stale.count, 4);
        assert.deepEqual(
          stale.servers.map((s) => [s.user, s.server, s.idleDays]),
          [
            ['ana', 'never-used', null],
            ['ana', 'old', 90],
            ['bo', 'x', 60],
            ['ana', 'edge', 31],
          ],
        );
        assert.deepEqual(stale.byUser, [
          { user: 'ana', stale: 3 },
          { user: 'bo', stale: 1 },
        ]);
        assert.equal(findStaleServers(opened.db, { days: 60, now }).count, 2);
        assert.equal(findStaleServers(opened.db, { days: 30, now, limit: 1 }).servers.length, 1);
      },
    );
  });

  it('summarises DB health: sizes, expired tokens and codes, orphan servers, spawners pointing at missing servers', async () => {
    await withBuilt(
      {
        users: [
          {
            name: 'a',
            servers: [
              { name: '', running: true },
              { name: 'ghost', running: true, serverMissing: true },
            ],
          },
          { name: 'b', servers: [{ name: '', running: false }] },
        ],
        tokens: [
          { user: 'a', expiresAt: ago(1) },
          { user: 'a', expiresAt: ago(-10) },
          { user: 'b', expiresAt: null },
        ],
        oauthCodes: [
          { user: 'a', expiresAt: ago(1) },
          { user: 'b', expiresAt: ago(-1) },
        ],
        orphanServers: 2,
      },
      (opened) => {
        const a = analysed(analyzeHubDb(opened, { now }));
        assert.equal(a.health.expiredApiTokens, 1);
        assert.equal(a.health.expiredOAuthCodes, 1);
        assert.equal(a.health.orphanServers, 2);
        assert.equal(a.health.spawnersWithMissingServer, 1);
        assert.equal(a.health.spawnersWithoutUser, 0);
        const users = a.health.tables.find((t) => t.table === 'users')!;
        assert.equal(users.rows, 2);
        assert.ok(users.approxBytes > 50);
        assert.equal(a.health.items.find((i) => i.label.startsWith('Spawners pointing'))!.severity, 'error');
        assert.equal(
          a.counts.running,
          2,
          'a spawner with a dangling server_id still counts: the start-up WHERE selects it',
        );
      },
    );
  });

  it('sizes the spawners table as it sizes every other table (text lengths, 8 per number)', async () => {
    await withBuilt(
      {
        users: [
          {
            name: 'a',
            servers: [
              { name: '', running: true },
              { name: 'gpu', running: false },
            ],
          },
          { name: 'b', servers: [{ name: 'big', running: true, stateBytes: 5000 }] },
        ],
      },
      (opened) => {
        const spawners = analysed(analyzeHubDb(opened, { now })).health.tables.find((t) => t.table === 'spawners')!;
        const columns = tableColumns(opened.db, 'spawners');
        const [, bytes] = selectAll(opened.db, `SELECT count(*), sum(${rowBytesSql(columns)}) FROM spawners`)[0]!;
        assert.equal(spawners.rows, 3);
        assert.equal(spawners.approxBytes, Number(bytes));
        assert.ok(spawners.approxBytes > 5000);
      },
    );
  });

  it('gives every start-up statement with its plan: the 5.0–5.3 join builds a temporary index (spawners.user_id has none)', async () => {
    await withBuilt({ users: [{ name: 'a', servers: [{ name: '', running: true }] }] }, (opened) => {
      const a = analysed(analyzeHubDb(opened, { now }));
      const main = a.queries.find((q) => q.family === '5.0-5.3')!;
      assert.match(
        main.sql,
        /^SELECT users\.id AS users_id, users\.name AS users_name, .* FROM users JOIN spawners ON users\.id = spawners\.user_id LEFT OUTER JOIN spawners AS spawners_1 ON users\.id = spawners_1\.user_id/,
      );
      assert.match(main.sql, /servers_2\.cookie_name AS servers_2_cookie_name FROM/);
      assert.ok(
        main.plan.some((n) => /SEARCH spawners_1 USING AUTOMATIC .*INDEX \(user_id=\?\)/.test(n.detail)),
        JSON.stringify(main.plan),
      );
      const tree = explainQueryPlan(opened.db, 'SELECT * FROM users WHERE id IN (SELECT user_id FROM spawners)');
      assert.ok(
        tree.some((n) => n.children.length > 0),
        JSON.stringify(tree),
      );
      assert.throws(() => explainQueryPlan(opened.db, 'SELEC nonsense'), /syntax error/);
    });
  });

  it('never puts a secret in the analysis, whatever the names', async () => {
    await withBuilt(
      {
        users: HOSTILE_NAMES.map((name, i) => ({
          name,
          authStateBytes: 100,
          servers: [
            { name: `${name}-${i}`, running: false, lastActivity: ago(100) },
            { name: '', running: true },
          ],
        })),
        tokens: [{ user: HOSTILE_NAMES[0]!, expiresAt: ago(5) }],
      },
      (opened) => {
        const a = analysed(analyzeHubDb(opened, { now }));
        assert.ok(!JSON.stringify(a).includes(FAKE_SECRET_MARK));
        assert.equal(a.stale.count, HOSTILE_NAMES.length);
        assert.deepEqual(new Set(a.stale.servers.map((s) => s.user)), new Set(HOSTILE_NAMES));
      },
    );
  });

  it('plans for hundreds of thousands of users (no argument-count limits)', async () => {
    await withBuilt({ users: [{ name: 'a', servers: [{ name: 'x', running: true }] }] }, (opened) => {
      const a = analysed(analyzeHubDb(opened, { now }));
      const many: UserLoad[] = Array.from({ length: 300_000 }, (_, i) => ({
        id: i,
        name: `u${i}`,
        spawners: 2,
        running: 1,
        namedServers: 1 + (i % 4),
        userBytes: 0,
        spawnerBytes: 0,
        runningSpawnerBytes: 0,
        serverBytes: 0,
      }));
      const plan = remediationPlan({
        selected: a.startup[1]!,
        fixed: a.startup[3]!,
        quadratic: a.startup[1]!,
        verdict: a.verdict,
        perUser: many,
        stale: a.stale,
      });
      assert.match(plan.namedServerLimit.text, /the most anyone has now is 4\./);
    });
  });

  it('suggests a named-server limit from what people use', () => {
    const user = (namedServers: number): UserLoad => ({
      id: namedServers,
      name: String(namedServers),
      spawners: namedServers + 1,
      running: 0,
      namedServers,
      userBytes: 0,
      spawnerBytes: 0,
      runningSpawnerBytes: 0,
      serverBytes: 0,
    });
    assert.equal(suggestNamedServerLimit([]), 5);
    assert.equal(suggestNamedServerLimit([1, 2, 3, 1500].map(user)), 50);
    assert.equal(suggestNamedServerLimit(Array.from({ length: 100 }, (_, i) => user(1 + (i % 3)))), 6);
  });
});
