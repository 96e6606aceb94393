import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { analyze } from '../../../src/cli/analyze';
import { buildCalibrationDb, buildHubDb, HOSTILE_NAMES } from '../../builders/hubDb';
import { useBuiltCli } from '../../harness/builtCli';
import { runSubcommand } from '../../harness/runCli';
import { useTempDir } from '../../harness/tempDir';
import { BAD_STALE_DAYS } from './cleanupScriptKit';

const run = promisify(execFile);

const cli = (args: string[]) => runSubcommand(analyze, args);

describe('hubops analyze', function () {
  this.timeout(60_000);
  const dir = useTempDir('hubdb-cli-');
  const builtCli = useBuiltCli();

  it('--json: counts, one start-up entry per version family, the selected one, the verdict and the offenders', async () => {
    const file = join(dir(), 'jupyterhub.sqlite');
    writeFileSync(file, await buildCalibrationDb({ stressServers: 1500, stressRunning: 700 }));
    const { code, out, err } = await cli([file, '--jupyterhub-version', '5.3.0', '--memory-limit', '2Gi', '--json']);
    assert.equal(code, 0, err);
    const json = JSON.parse(out);
    assert.deepEqual(Object.keys(json.counts).slice(0, 4), ['users', 'spawners', 'servers', 'running']);
    assert.equal(json.counts.users, 201);
    assert.equal(json.counts.running, 736);
    assert.equal(json.startup.length, 5);
    for (const entry of json.startup)
      for (const key of ['jupyterhub', 'rows', 'totalRows', 'statements', 'peakBytes', 'seconds'])
        assert.ok(key in entry, key);
    assert.equal(json.selected.jupyterhub, '5.0.0-5.3.0');
    assert.equal(json.selected.rows, json.counts.sumRunningTimesSpawners);
    assert.equal(json.verdict.status, 'oom');
    assert.equal(json.verdict.limitBytes, 2 * 2 ** 30);
    assert.deepEqual(
      {
        user: json.offenders[0].user,
        spawners: json.offenders[0].spawners,
        running: json.offenders[0].running,
        rows: json.offenders[0].rows,
      },
      { user: 'stress-user', spawners: 1500, running: 700, rows: 1_050_000 },
    );
  });

  it('prints a readable report with the verdict first', async () => {
    const file = join(dir(), 'hub.sqlite');
    writeFileSync(file, await buildCalibrationDb({ stressServers: 300, stressRunning: 150 }));
    const { code, out } = await cli([file, '--memory-limit=1Gi']);
    assert.equal(code, 0);
    const lines = out.split('\n');
    assert.match(lines[0]!, /^(Fits|Tight|OOM): JupyterHub 5\.0\.0-5\.3\.0 \(assumed/);
    assert.ok(out.includes('JUPYTERHUB') && out.includes('5.4.3-5.5.x'));
    assert.match(out, /stress-user +300 +150 +45,000/);
    assert.match(out, /What to do:\n {2}1\. /);
    assert.match(out, /named_server_limit_per_user: \d+/);
  });

  it('keeps terminal control and bidi characters from names out of the report', async () => {
    const file = join(dir(), 'hostile.sqlite');
    const names = ['\u001b[31mred\u001b[0m', '\u202eevil', ...HOSTILE_NAMES];
    writeFileSync(
      file,
      await buildHubDb({
        users: names.map((name) => ({
          name,
          servers: [
            { name: 'a', running: true },
            { name: 'b', running: false, lastActivity: new Date('2020-01-01') },
          ],
        })),
      }),
    );
    const { code, out } = await cli([file]);
    assert.equal(code, 0);
    assert.ok(
      !out.includes('\u001b') && !out.includes('\u202e'),
      'escape and bidi characters are written as \\u escapes',
    );
    assert.ok(out.includes('\\x1b[31mred'));
  });

  it('keeps every name on its line: a user called "a\\nFits: …" adds no line to the report', async () => {
    const stale = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        name: `s${i}`,
        running: i < n / 2,
        lastActivity: new Date('2020-01-01'),
      }));
    const reportFor = async (user: string, server: string) => {
      const file = join(dir(), 'names.sqlite');
      writeFileSync(
        file,
        await buildHubDb({
          users: [
            { name: user, servers: stale(40) },
            { name: 'bob', servers: [{ name: server, running: false, lastActivity: new Date('2020-01-01') }] },
          ],
        }),
      );
      const { code, out } = await cli([file, '--memory-limit', '4Gi']);
      assert.equal(code, 0);
      return out.split('\n');
    };
    const plain = await reportFor('mallory', 'lab');
    const forged = await reportFor('mallory\nFits: forged\r\u2028\u0085x', 'lab\nWhat to do:');
    assert.equal(forged.length, plain.length, forged.join('\n'));
    assert.ok(!forged.some((l) => /^(Fits: forged|What to do:.*lab)/.test(l)));
    assert.ok(forged.some((l) => l.includes('mallory\\nFits: forged\\r\\u2028\\x85x')));
  });

  it('prints the cleanup script on request', async () => {
    const file = join(dir(), 'hub.sqlite');
    writeFileSync(file, await buildCalibrationDb({ stressServers: 100, stressRunning: 50 }));
    const bash = await cli([file, '--cleanup-script', 'bash']);
    assert.equal(bash.code, 0);
    assert.match(bash.out, /^#!\/usr\/bin\/env bash\n/);
    assert.match(bash.out, /remove_server \$'stress-user' \$'srv-\d+' 'stress-user' 'srv-\d+'/);
    const python = await cli([file, '--cleanup-script=python']);
    assert.match(python.out, /^#!\/usr\/bin\/env python3\n/);
  });

  it('exits 2 with a clear message for files that are not a JupyterHub DB and for bad options', async () => {
    const other = join(dir(), 'other.sqlite');
    execFileSync('sqlite3', [other, 'CREATE TABLE t (x);']);
    const notHub = await cli([other]);
    assert.equal(notHub.code, 2);
    assert.match(notHub.err, /other\.sqlite: This is not a JupyterHub database/);

    const text = join(dir(), 'notes.txt');
    writeFileSync(text, 'hello');
    assert.match((await cli([text])).err, /not a SQLite database/);
    assert.equal((await cli([text])).code, 2);
    assert.match((await cli([join(dir(), 'missing.sqlite')])).err, /cannot read .*missing\.sqlite/);

    const hub = join(dir(), 'hub.sqlite');
    writeFileSync(hub, await buildHubDb({ users: [] }));
    assert.match(
      (await cli([hub, '--memory-limit', 'lots'])).err,
      /^hubops analyze: --memory-limit must be a memory quantity from 1 byte to 1Ei \(e\.g\. 2Gi, 1500Mi, 2147483648\), not "lots"\n$/,
    );
    assert.match((await cli([hub, '--jupyterhub-version', 'latest'])).err, /'latest' is not a JupyterHub version/);
    assert.match((await cli([hub, '--frobnicate'])).err, /unknown option --frobnicate/);
    assert.match((await cli([])).err, /give one DB file/);
    for (const args of [[hub, '--memory-limit', 'lots'], [hub, '--jupyterhub-version', 'latest'], []])
      assert.equal((await cli(args)).code, 2);
  });

  it('finding 4: every numeric option is validated; anything invalid exits 2 with one line', async () => {
    const hub = join(dir(), 'hub.sqlite');
    writeFileSync(hub, await buildHubDb({ users: [] }));
    const cases: [string[], RegExp][] = [
      ...[...BAD_STALE_DAYS, 'Infinity'].map((v): [string[], RegExp] => [
        [`--stale-days=${v}`],
        /^hubops analyze: --stale-days must be a whole number of days from 1 to 36,500, not ".*"\n$/,
      ]),
      ...['', '0', '-2Gi', 'lots', '2 Gi', '1e99', '99999Ei', 'NaN', '0.1'].map((v): [string[], RegExp] => [
        ['--memory-limit', v],
        /^hubops analyze: --memory-limit must be a memory quantity from 1 byte to 1Ei .*, not ".*"\n$/,
      ]),
      [['--stale-days'], /^hubops analyze: --stale-days needs a value \(usage: hubops analyze FILE .*\)\n$/],
      [
        ['--jupyterhub-version', '5.3\n0'],
        /^hubops analyze: --jupyterhub-version must be a version like 5\.3\.0, not "5\.3\\n0"\n$/,
      ],
      [['--cleanup-script', 'zsh'], /^hubops analyze: --cleanup-script must be bash or python, not "zsh"\n$/],
      [['--json=yes'], /^hubops analyze: unknown option --json=yes \(usage: hubops analyze FILE .*\)\n$/],
    ];
    for (const [args, message] of cases) {
      const { code, out, err } = await cli([hub, ...args]);
      assert.equal(code, 2, JSON.stringify(args));
      assert.match(err, message, JSON.stringify(args));
      assert.equal(out, '');
    }
    for (const args of [['--stale-days=1'], ['--stale-days', '36500'], ['--memory-limit', '1Ei'], ['--memory-limit=1']])
      assert.equal((await cli([hub, ...args, '--json'])).code, 0, JSON.stringify(args));
    const json = JSON.parse((await cli([hub, '--stale-days=7', '--json'])).out);
    assert.equal(json.stale.days, 7);
  });

  it('reads the -wal file beside the DB', async () => {
    const file = join(dir(), 'live.sqlite');
    execFileSync('python3', [
      '-c',
      `
import shutil, sqlite3, sys
c = sqlite3.connect(sys.argv[1] + '.tmp')
c.execute('PRAGMA journal_mode=WAL')
c.execute('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)')
c.execute('CREATE TABLE spawners (id INTEGER PRIMARY KEY, user_id INTEGER, server_id INTEGER, name TEXT, state TEXT, last_activity TEXT)')
c.execute('CREATE TABLE servers (id INTEGER PRIMARY KEY)')
c.commit()
c.execute('PRAGMA wal_checkpoint(TRUNCATE)')
c.execute("INSERT INTO users VALUES (1, 'late')")
c.execute("INSERT INTO servers VALUES (1)")
c.execute("INSERT INTO spawners VALUES (1, 1, 1, '', '{}', NULL)")
c.commit()
shutil.copy(sys.argv[1] + '.tmp', sys.argv[1]); shutil.copy(sys.argv[1] + '.tmp-wal', sys.argv[1] + '-wal')
`,
      file,
    ]);
    const { code, out } = await cli([file, '--json']);
    assert.equal(code, 0);
    const json = JSON.parse(out);
    assert.equal(json.counts.running, 1);
    assert.match(json.notes.join(' '), /Applied 1 committed transaction/);
  });

  it('works as shipped: dist/cli.js with sql-wasm.wasm beside it, run from another folder', async () => {
    const file = join(dir(), 'jupyterhub.sqlite');
    writeFileSync(file, await buildCalibrationDb({ stressServers: 100, stressRunning: 50 }));
    // Run from another directory so nothing resolves through the repository's node_modules.
    const { stdout } = await run(
      process.execPath,
      [builtCli(), 'analyze', file, '--json', '--jupyterhub-version', '5.4.3'],
      { cwd: dir() },
    );
    const json = JSON.parse(stdout);
    assert.equal(json.selected.jupyterhub, '5.4.3-5.5.x');
    assert.equal(json.verdict.status, 'unknown');
    await assert.rejects(
      run(process.execPath, [builtCli(), 'analyze', builtCli()], { cwd: dir() }),
      (error: { code: number; stderr: string }) => error.code === 2 && /not a SQLite database/.test(error.stderr),
    );
  });
});
