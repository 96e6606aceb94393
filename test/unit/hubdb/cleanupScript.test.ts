import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import {
  analyzeHubDb,
  bashCleanupScript,
  bashQuote,
  encodePathSegment,
  findStaleServers,
  leftOutReason,
  loadSqlJs,
  MAX_REQUEST_PATH,
  MAX_SCRIPT_BYTES,
  printableName,
  pythonCleanupScript,
  pythonQuote,
  serversThatFit,
  type ScriptLanguage,
  type StaleServer,
} from '../../../src/core/hubdb';
import { buildHubDb, HOSTILE_NAMES } from '../../builders/hubDb';
import {
  commandLinesContaining,
  startRecordingHub,
  tornadoUnquote,
  type HubFault,
  type HubRoute,
  type HubUserState,
  type RecordingHub,
} from '../../harness/recordingHub';
import { seededRandom } from '../../harness/random';
import { useTempDir } from '../../harness/tempDir';
import {
  BAD_STALE_DAYS,
  deletedNames,
  deletes,
  hubState,
  includedIn,
  OLD_API,
  runScript,
  script,
  SNAPSHOT,
  stale,
  strayRequests,
  TOKEN,
} from './cleanupScriptKit';
import { openBuilt, openBytes } from './hubDbTestKit';

const PWNED = '/tmp/hubops-pwned';
const EVERY_BYTE = Array.from({ length: 255 }, (_, i) => String.fromCharCode(i + 1)).join('');
const NAMES = [
  ...HOSTILE_NAMES,
  "it's",
  '\\x41 $HOME ${PATH}',
  "$'x'",
  '%2F..%2F',
  'tab\there',
  '.',
  '..',
  EVERY_BYTE,
  '\u{1F680}\u{E0041}',
];
const LANGUAGES: ScriptLanguage[] = ['bash', 'python'];
const env = { JUPYTERHUB_API_TOKEN: TOKEN };

describe('cleanup scripts', function () {
  this.timeout(300_000);
  const dir = useTempDir('hubdb-script-');
  let hub: RecordingHub | undefined;
  const serve = async (
    users: Map<string, HubUserState>,
    options: { basePath?: string; fault?: (method: string, route: HubRoute | null) => HubFault | undefined } = {},
  ) => {
    hub = await startRecordingHub({ token: TOKEN, users, ...options });
    return hub;
  };

  beforeEach(() => rmSync(PWNED, { force: true }));
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
    assert.ok(!existsSync(PWNED), 'a name was executed as a command');
  });

  it('quotes every name so bash and Python read back exactly the same characters', () => {
    // One process per language, every name printed NUL-terminated.
    const viaBash = execFileSync('bash', ['-c', NAMES.map((n) => `printf '%s\\0' ${bashQuote(n)}`).join('\n')]);
    assert.deepEqual(viaBash.toString('utf8').split('\0').slice(0, -1), NAMES);
    const viaPython = execFileSync('python3', [
      '-c',
      `import sys\nfor n in [${NAMES.map(pythonQuote).join(', ')}]:\n    sys.stdout.buffer.write(n.encode() + b"\\0")`,
    ]);
    assert.deepEqual(viaPython.toString('utf8').split('\0').slice(0, -1), NAMES);
    for (const name of NAMES) {
      assert.match(
        bashQuote(name),
        /^\$'[\x20-\x7e]*'$/,
        'printable ASCII only: bidi and control characters are visible escapes',
      );
      assert.match(pythonQuote(name), /^"[\x20-\x7e]*"$/);
      assert.match(printableName(name, 10_000), /^"[\x20-\x7e]*"$/);
    }
  });

  it('encodes every path segment in A-Z a-z 0-9 _ ~ - and %XX (dots too), decoding back as tornado does', () => {
    for (const name of [...NAMES, '\u0000', 'a.b', '...']) {
      const segment = encodePathSegment(name);
      assert.match(segment, /^[A-Za-z0-9_~%-]*$/);
      assert.ok(!segment.includes('.'), segment);
      assert.equal(tornadoUnquote(segment), name);
    }
    assert.equal(encodePathSegment('..'), '%2E%2E');
    assert.equal(encodePathSegment('a/b?c#d'), 'a%2Fb%3Fc%23d');
  });

  for (const language of LANGUAGES) {
    describe(language, () => {
      it('finding 1: dot segments reach the hub as names, never as another URL', async () => {
        const servers = [
          stale('alice', '..'),
          stale('alice', '.'),
          stale('..', 'x'),
          stale('.', 'y'),
          stale('alice', '%2E%2E'),
          stale('bob', '../bob'),
          stale('bob', '..%2F..'),
        ];
        const users = hubState(servers, {
          alice: { keep: { stopped: false, lastActivity: OLD_API, started: OLD_API } },
          bob: { '': { stopped: true, lastActivity: OLD_API, started: null } },
        });
        const h = await serve(users);
        const run = await runScript(dir(), language, script(language, servers), [h.url, '--apply'], env);
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(strayRequests(h.requests, servers), []);
        assert.deepEqual(deletedNames(h).sort(), servers.map((s) => [s.user, s.server]).sort());
        assert.deepEqual([...users.get('alice')!.servers.keys()], ['keep'], 'alice and her running server stay');
        assert.deepEqual([...users.get('bob')!.servers.keys()], ['']);
        assert.match(run.stdout, /removed 7, skipped 0, already gone 0, failed 0/);
      });

      it('finding 2: no answer, a login page, other users, 4xx and 5xx are counted per server and the run goes on', async () => {
        const faults: Record<string, [string, HubFault]> = {
          reset: ['GET', 'reset'],
          login: ['GET', 'login-page'],
          forbidden: ['GET', 'error-403'],
          broken: ['DELETE', 'error-500'],
          redirect: ['GET', 'redirect'],
          impostor: ['GET', 'other-user'],
          proxy: ['GET', 'proxy-404'],
          cut: ['DELETE', 'reset'],
        };
        const servers = [...Object.keys(faults), 'fine-1', 'fine-2'].map((u) => stale(u, `${u}-server`));
        const users = hubState(servers);
        const h = await serve(users, {
          fault: (method, route) => {
            const fault = route ? faults[route.user] : undefined;
            return fault && fault[0] === method ? fault[1] : undefined;
          },
        });
        const run = await runScript(dir(), language, script(language, servers), [h.url, '--apply'], env);
        assert.equal(run.code, 1, 'exit 1 when anything failed');
        assert.match(run.stdout, /removed 2, skipped 0, already gone 0, failed 8 \(of 10; 0 left out of the script\)/);
        for (const user of Object.keys(faults))
          assert.match(run.stderr, new RegExp(`FAILED "${user}"/"${user}-server": `));
        assert.doesNotMatch(run.stderr, /Traceback/);
        assert.deepEqual(strayRequests(h.requests, servers), [], 'the redirect was not followed');
        assert.deepEqual(
          deletedNames(h),
          [
            ['broken', 'broken-server'],
            ['cut', 'cut-server'],
            ['fine-1', 'fine-1-server'],
            ['fine-2', 'fine-2-server'],
          ],
          'a failed check never leads to a DELETE',
        );
      });

      it('finding 3: a server started, or used, after the snapshot is skipped even when it is stopped again', async () => {
        const after = '2025-06-02T08:00:00.123456Z';
        const servers = [
          stale('carol', 'restarted'),
          stale('carol', 'used-again'),
          stale('carol', 'running'),
          stale('carol', 'touched', '2024-01-01 10:00:00.250000'),
          stale('carol', 'never-used', null),
          stale('carol', 'never-used-then-used', null),
          stale('carol', 'untouched', '2024-01-01 10:00:00.250000'),
          stale('carol', 'gone-meanwhile'),
        ];
        const users = hubState(servers);
        const carol = users.get('carol')!.servers;
        carol.set('restarted', { stopped: true, lastActivity: OLD_API, started: after });
        carol.set('used-again', { stopped: true, lastActivity: after, started: null });
        carol.set('running', { stopped: false, lastActivity: OLD_API, started: OLD_API });
        carol.set('touched', { stopped: true, lastActivity: '2024-01-01T10:00:00.250001Z', started: null });
        carol.set('never-used-then-used', { stopped: true, lastActivity: '2024-02-01T00:00:00Z', started: null });
        carol.delete('gone-meanwhile');
        const h = await serve(users);
        const run = await runScript(dir(), language, script(language, servers), [h.url, '--apply'], env);
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(deletedNames(h), [
          ['carol', 'never-used'],
          ['carol', 'untouched'],
        ]);
        assert.match(run.stdout, /removed 2, skipped 5, already gone 1, failed 0/);
        assert.match(run.stdout, /skipped "carol"\/"restarted": used or started since the snapshot/);
        assert.match(run.stdout, /skipped "carol"\/"running": it is running/);
        assert.equal(
          h.requests.filter((r) => r.method === 'GET').length,
          1,
          "one read of carol's model serves her servers",
        );
      });

      it('finding 3: --stale-days at run time also skips servers used within that many days', async () => {
        const day = 86_400_000;
        const dbTime = (ms: number) => new Date(Date.now() - ms).toISOString().replace('T', ' ').replace('Z', '000');
        const servers = [stale('dave', 'forty-days', dbTime(40 * day)), stale('dave', 'a-year', dbTime(365 * day))];
        const h = await serve(hubState(servers));
        const text = script(language, servers, { snapshotTime: new Date().toISOString() });
        const run = await runScript(dir(), language, text, [h.url, '--apply', '--stale-days', '60'], env);
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(deletedNames(h), [['dave', 'a-year']]);
        assert.match(run.stdout, /skipped "dave"\/"forty-days": used in the last 60 days/);
      });

      it('finding 4: --stale-days empty, 0, negative, non-integer or huge exits 2 with one line and sends nothing', async () => {
        const h = await serve(hubState([stale('erin', 'old')]));
        const text = script(language, [stale('erin', 'old')]);
        const bad = BAD_STALE_DAYS;
        // Both spellings for a few values, the = form for the rest (each case is a process start).
        const spellings = (value: string, i: number) =>
          i < 4 ? [[`--stale-days=${value}`], ['--stale-days', value]] : [[`--stale-days=${value}`]];
        for (const [i, value] of bad.entries())
          for (const args of spellings(value, i)) {
            const run = await runScript(dir(), language, text, [h.url, '--apply', ...args], env);
            assert.equal(run.code, 2, `${JSON.stringify(args)}: ${run.stdout}`);
            assert.match(run.stderr, /^--stale-days must be a whole number of days from 1 to 36500, not .*\n$/);
            assert.equal(run.stdout, '');
          }
        for (const args of [
          ['--stale-days'],
          ['--bogus'],
          [],
          ['ftp://hub'],
          ['http://hub x'],
          ['http://hub/?a'],
          [h.url, h.url],
        ]) {
          const run = await runScript(dir(), language, text, args, env);
          assert.equal(run.code, 2, JSON.stringify(args));
          assert.equal(run.stderr.split('\n').length, 2, `one line: ${run.stderr}`);
        }
        const noToken = await runScript(dir(), language, text, [h.url, '--apply']);
        assert.equal(noToken.code, 2);
        assert.match(noToken.stderr, /^set JUPYTERHUB_API_TOKEN in the environment\n$/);
        assert.equal(h.requests.length, 0);
        for (const days of ['1', '36500'])
          assert.equal((await runScript(dir(), language, text, [h.url, `--stale-days=${days}`], env)).code, 0);
      });

      it('a dry run lists every server, says what it left out, and sends nothing at all', async () => {
        const servers = NAMES.map((name, i) => stale(name, `${name}-${i}`));
        const h = await serve(hubState(servers));
        const text = script(language, servers, { snapshotTime: '2025-06-01T12:00:00Z\n$(id)' });
        const run = await runScript(dir(), language, text, [h.url], env);
        assert.equal(run.code, 0, run.stderr);
        const included = includedIn(language, servers);
        const lines = run.stdout.trimEnd().split('\n');
        assert.deepEqual(
          lines.slice(0, -1),
          included.map((s) => `would remove ${printableName(s.user)}/${printableName(s.server)}`),
        );
        assert.equal(
          lines.at(-1),
          `dry run: ${included.length} server(s) would be removed, ${servers.length - included.length} left out; nothing was sent. Run again with --apply.`,
        );
        assert.equal(h.requests.length, 0);
      });

      it('--apply: each hostile name reaches the hub exactly, the token only in the Authorization header', async () => {
        const servers = NAMES.map((name, i) => stale(name, `${name}-${i}`));
        const onCommandLines: string[] = [];
        hub = await startRecordingHub({
          token: TOKEN,
          users: hubState(servers),
          basePath: '/base/',
          onRequest: () => onCommandLines.push(...commandLinesContaining(TOKEN).map((p) => p.cmdline)),
        });
        const text = script(language, servers);
        assert.ok(!text.includes(TOKEN));
        const run = await runScript(dir(), language, text, [`${hub.url}//`, '--apply'], env);
        assert.equal(run.code, 0, run.stderr);
        const included = includedIn(language, servers);
        assert.deepEqual(strayRequests(hub.requests, servers, { basePath: '/base/' }), []);
        assert.deepEqual(deletedNames(hub, '/base/').sort(), included.map((s) => [s.user, s.server]).sort());
        assert.deepEqual(onCommandLines, [], 'the token is on no command line while requests are made');
        assert.ok(deletes(hub).length > 0);
      });
    });
  }

  it('leaves out, with a comment, what cannot be sent as exactly its name', () => {
    const cases: [StaleServer, ScriptLanguage[], RegExp][] = [
      [stale('', 'x'), ['bash', 'python'], /the user name is empty/],
      [stale('u', ''), ['bash', 'python'], /default server, which is never removed/],
      [stale('a\u0000b', 'x'), ['bash'], /NUL character, which bash arguments cannot carry/],
      [stale('u', 'half \ud800 pair'), ['bash', 'python'], /not valid Unicode/],
      [stale('名'.repeat(5000), 'x'.repeat(5000)), ['bash', 'python'], /request path would be 50,015 bytes/],
      [{ ...stale('u', 'x'), inexact: 'the user name is not valid UTF-8' }, ['bash', 'python'], /not valid UTF-8/],
    ];
    for (const [server, languages, why] of cases)
      for (const language of LANGUAGES) {
        const reason = leftOutReason(server, language);
        const text = script(language, [server]);
        if (!languages.includes(language)) {
          assert.equal(reason, null);
          continue;
        }
        assert.match(reason ?? '', why);
        const comment = text.split('\n').find((l) => l.startsWith('# left out: '));
        assert.ok(comment, text.slice(0, 400));
        assert.match(comment, /^# left out: user "[\x20-\x7e]+$/, 'one line of printable ASCII');
        assert.match(text, language === 'bash' ? /\nLEFT_OUT=1\n/ : /\nLEFT_OUT = 1\n/);
      }
    assert.equal(leftOutReason(stale('x'.repeat(5000), 'y'.repeat(5000)), 'bash'), null);
    assert.ok(`users/${'x'.repeat(5000)}/servers/${'y'.repeat(5000)}`.length < MAX_REQUEST_PATH);
  });

  it('finding 3: names are read from the DB exactly, NUL and all; names it cannot read exactly are left out', async () => {
    const bytes = await buildHubDb({
      users: ['alice', 'nul-user', 'latin1-user', 'blob-user'].map((name) => ({
        name,
        servers: [{ name: 'notebook', running: false, lastActivity: new Date('2024-01-01T10:00:00Z') }],
      })),
    });
    const SQL = await loadSqlJs();
    const db = new SQL.Database(bytes);
    db.run("UPDATE users SET name = 'alice' || char(0) || 'evil' WHERE name = 'nul-user'");
    db.run("UPDATE users SET name = CAST(X'616c696365ff' AS TEXT) WHERE name = 'latin1-user'");
    db.run("UPDATE users SET name = X'616c696365' WHERE name = 'blob-user'");
    const opened = await openBytes(db.export());
    db.close();
    try {
      const found = findStaleServers(opened.db, { now: new Date('2025-06-01T12:00:00Z') });
      assert.equal(found.count, 4);
      assert.deepEqual(
        found.servers.map((s) => [s.user, s.inexact ?? 'exact']).sort(),
        [
          ['alice', 'exact'],
          ['alice', 'the user name is stored as a BLOB, not text (the hub cannot find it by name)'],
          ['alice\u0000evil', 'exact'],
          ['alice\ufffd', 'the user name is not valid UTF-8'],
        ].sort(),
        'the NUL is kept, not cut; a BLOB or bytes that are not UTF-8 are flagged',
      );

      const analysis = analyzeHubDb(opened, { now: new Date('2025-06-01T12:00:00Z') });
      assert.ok(analysis.ok);
      assert.match(
        analysis.value.remediation.cleanup.text,
        / 2 cannot be named exactly in a request and are left out \(the scripts say why\)\. The bash script also leaves out 1 whose names hold a NUL; the Python script removes them\.$/,
      );

      // alice's notebook must be removed once, for alice only.
      for (const language of LANGUAGES) {
        const users = hubState(found.servers.filter((s) => !s.inexact));
        const h = await serve(users);
        const run = await runScript(dir(), language, script(language, found.servers), [h.url, '--apply'], env);
        assert.equal(run.code, 0, run.stderr);
        const expected =
          language === 'bash'
            ? [['alice', 'notebook']]
            : [
                ['alice', 'notebook'],
                ['alice\u0000evil', 'notebook'],
              ];
        assert.deepEqual(deletedNames(h).sort(), expected.sort());
        assert.deepEqual(
          strayRequests(
            h.requests,
            found.servers.filter((s) => !s.inexact),
          ),
          [],
        );
        await h.close();
        hub = undefined;
      }
    } finally {
      opened.close();
    }
  });

  it('keeps the scripts under MAX_SCRIPT_BYTES however long the names, saying how many it left out', async () => {
    const long = '\u202e名'.repeat(120);
    const opened = await openBuilt({
      users: [
        {
          name: long,
          servers: Array.from({ length: 3000 }, (_, i) => ({
            name: `${long}${i}`,
            running: false,
            lastActivity: new Date('2024-01-01'),
          })),
        },
      ],
    });
    try {
      const a = analyzeHubDb(opened, { now: new Date('2025-06-01'), snapshotTime: SNAPSHOT });
      assert.ok(a.ok);
      const { cleanup } = a.value.remediation;
      assert.equal(cleanup.staleServers, 3000);
      assert.ok(cleanup.scripted > 50 && cleanup.scripted < 3000, String(cleanup.scripted));
      assert.ok(cleanup.bash.length <= MAX_SCRIPT_BYTES && cleanup.python.length <= MAX_SCRIPT_BYTES);
      assert.equal(cleanup.bash.split('\nremove_server ').length - 1, cleanup.scripted);
      assert.match(
        cleanup.text,
        new RegExp(`they list the ${cleanup.scripted.toLocaleString('en-US')} oldest: run again after`),
      );
      assert.equal(serversThatFit([], 0), 0);
    } finally {
      opened.close();
    }
  });

  it('counts the servers that fit without writing their lines when every name is plain, and agrees with the lines', () => {
    const random = seededRandom(1163);
    const plain = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_~-';
    const name = (max: number) =>
      Array.from({ length: 1 + Math.floor(random() * max) }, () => plain[Math.floor(random() * plain.length)]).join('');
    const servers = Array.from({ length: 400 }, (_, i) => ({
      user: name(i % 50 === 0 ? 3000 : 40),
      server: name(i % 70 === 0 ? 2000 : 30),
      lastActivity: i % 9 === 0 ? null : '2025-01-02 03:04:05.123456',
      idleDays: 150,
    }));
    // Each server's longer line, as the scripts write it: the bound must never be below it.
    const longest = servers.map((s) => {
      const bash = bashCleanupScript([s], { days: 30 })
        .split('\n')
        .find((l) => l.startsWith(`remove_server $'${s.user}' `))!;
      const python = pythonCleanupScript([s], { days: 30 })
        .split('\n')
        .find((l) => l.startsWith(`    ("${s.user}", `))!;
      return Math.max(bash.length, python.length) + 1;
    });
    const exactFit = (maxBytes: number) => {
      let used = 16 * 1024;
      for (let i = 0; i < longest.length; i++) if ((used += longest[i]!) > maxBytes) return i;
      return longest.length;
    };
    for (const s of servers) {
      const line = longest[servers.indexOf(s)]!;
      assert.ok(
        line <= 100 + 4 * (s.user.length + s.server.length) + 1,
        `${line} for ${s.user.length}+${s.server.length}`,
      );
    }
    for (const maxBytes of [16 * 1024, 20_000, 100_000, 400_000, 900_000, 2_000_000])
      assert.equal(serversThatFit(servers, maxBytes), exactFit(maxBytes), `at ${maxBytes} bytes`);
  });
});
