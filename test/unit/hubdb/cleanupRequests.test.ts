import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { type ScriptLanguage, type StaleServer } from '../../../src/core/hubdb';
import { seededRandom } from '../../builders/hubDb';
import { hostileNames } from '../../builders/hostileNames';
import {
  commandLinesContaining,
  startRecordingHub,
  type HubFault,
  type RecordingHub,
} from '../../harness/recordingHub';
import { useTempDir } from '../../harness/tempDir';
import { hubState, includedIn, OLD_API, OLD_DB, runScript, script, strayRequests, TOKEN } from './cleanupScriptKit';

/**
 * The guard for issue 10's worst finding: the generated scripts, run for real (bash with curl, python3
 * with urllib) in dry-run and --apply mode against a hub that records every request, with thousands of
 * hostile names, while the hub sometimes resets, errs, redirects or answers a login page. Every request
 * must be the GET check or the DELETE of a server in the DB, decoding to exactly its names; the token
 * only in the Authorization header and on no command line; every failure counted, and the run going on.
 *
 * Sizes: HUBOPS_CLEANUP_SERVERS_BASH (default 300) and HUBOPS_CLEANUP_SERVERS_PYTHON (default 2,500)
 * stale servers, each with a user name and a server name from the corpus.
 */
const SIZES: Record<ScriptLanguage, number> = {
  bash: Number(process.env.HUBOPS_CLEANUP_SERVERS_BASH ?? 300),
  python: Number(process.env.HUBOPS_CLEANUP_SERVERS_PYTHON ?? 2500),
};
const FAULTS: HubFault[] = ['reset', 'error-500', 'error-403', 'login-page', 'redirect', 'other-user', 'proxy-404'];
const PWNED = '/tmp/hubops-pwned';

describe('cleanup scripts: every request recorded, thousands of hostile names', function () {
  this.timeout(30 * 60_000);
  const dir = useTempDir('hubdb-requests-');
  let hub: RecordingHub | undefined;

  beforeEach(() => rmSync(PWNED, { force: true }));
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
    assert.ok(!existsSync(PWNED), 'a name was executed as a command');
  });

  for (const language of ['bash', 'python'] as const) {
    it(`${language}: dry run sends nothing; --apply sends only the check and the DELETE of each named server`, async () => {
      const size = SIZES[language];
      const users = hostileNames(size, 1001);
      const names = hostileNames(size, 2002);
      const servers: StaleServer[] = users.map((user, i) => ({
        user,
        server: names[i]!,
        lastActivity: OLD_DB,
        idleDays: 500,
      }));
      // Each user also runs a server named like someone else's stale one: a DELETE that lands on the
      // wrong user, or on a running server, shows in the hub's state afterwards.
      const running = Object.fromEntries(
        users.map((user, i) => [
          user,
          { [`${names[(i + 1) % size]!}`]: { stopped: false, lastActivity: OLD_API, started: OLD_API } },
        ]),
      );
      const state = hubState(servers, running);
      const included = includedIn(language, servers);
      const distinct = new Set([...users, ...names]).size;

      // Faults: a seeded 4% of requests, by their place in the run.
      const random = seededRandom(size);
      const faulted = new Set<number>();
      let seen = 0;
      const onCommandLine: string[] = [];
      hub = await startRecordingHub({
        token: TOKEN,
        users: state,
        fault: () =>
          random() < 0.04 ? (faulted.add(seen - 1), FAULTS[Math.floor(random() * FAULTS.length)]) : undefined,
        onRequest: () => {
          seen += 1;
          // /proc is read while the client waits for this answer (every 10th request: it costs a scan).
          if (seen % 10 === 1) onCommandLine.push(...commandLinesContaining(TOKEN).map((p) => p.cmdline));
        },
      });

      const text = script(language, servers);
      assert.ok(!text.includes(TOKEN));
      const dry = await runScript(dir(), language, text, [hub.url], { JUPYTERHUB_API_TOKEN: TOKEN });
      assert.equal(dry.code, 0, dry.stderr.slice(0, 2000));
      assert.equal(hub.requests.length, 0, 'a dry run sends nothing');
      assert.equal(dry.stdout.split('\n').filter((l) => l.startsWith('would remove ')).length, included.length);

      const run = await runScript(dir(), language, text, [hub.url, '--apply'], { JUPYTERHUB_API_TOKEN: TOKEN });
      const strays = strayRequests(hub.requests, servers);
      assert.deepEqual(strays.slice(0, 20), [], `${strays.length} stray request(s)`);
      assert.deepEqual(onCommandLine, [], 'the token is on no command line');
      assert.doesNotMatch(run.stderr, /Traceback|command not found|syntax error/);

      // Every failure counted, and the run went on to the end.
      const removed = hub.requests.filter((r) => r.method === 'DELETE' && r.answer === 204).length;
      const failed = included.length - removed;
      const faultedRequests = [...faulted].map((i) => hub!.requests[i]!);
      assert.ok(
        faultedRequests.length > 0 && failed === faultedRequests.length,
        `${failed} vs ${faultedRequests.length}`,
      );
      assert.equal(run.code, 1);
      assert.match(
        run.stdout,
        new RegExp(
          `\\nremoved ${removed}, skipped 0, already gone 0, failed ${failed} \\(of ${included.length}; ${servers.length - included.length} left out of the script\\)\\n$`,
        ),
      );
      assert.equal(run.stderr.split('\n').filter((l) => l.startsWith('FAILED ')).length, failed);

      // What the hub holds now: exactly the stale servers not removed, every user, every running server.
      for (const [i, user] of users.entries()) {
        const left = state.get(user);
        assert.ok(left, `user ${JSON.stringify(user).slice(0, 80)} still exists`);
        assert.equal(left.servers.get(names[(i + 1) % size]!)?.stopped, false, 'running servers untouched');
      }

      console.log(
        `      ${language}: ${distinct.toLocaleString('en-US')} distinct names in ${servers.length.toLocaleString('en-US')} servers ` +
          `(${(servers.length - included.length).toLocaleString('en-US')} left out); ${hub.requests.length.toLocaleString('en-US')} requests recorded, ` +
          `${faultedRequests.length} faulted, ${strays.length} outside the intended URLs; ${removed} removed, ${failed} failed`,
      );
    });
  }
});
