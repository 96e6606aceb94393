import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bashCleanupScript,
  leftOutReason,
  MAX_STALE_DAYS,
  pythonCleanupScript,
  scriptTime,
  type ScriptLanguage,
  type StaleServer,
} from '../../../src/core/hubdb';
import { seededRandom } from '../../builders/hubDb';
import { LONG_NAMES, NAME_FRAGMENTS } from '../../builders/hostileNames';
import { startRecordingHub, type RecordingHub } from '../../harness/recordingHub';
import { useTempDir } from '../../harness/tempDir';
import { deletedNames, hubState, runScript, strayRequests, TOKEN } from './cleanupScriptKit';

/**
 * Fuzzing the cleanup-script generator, bounded to seconds: seeded random and adversarial names (lone
 * surrogates, NUL, controls, bidi, astral, 5,000 characters, URL/shell/Python fragments), last-activity
 * values and snapshot times. Every generated script must be printable ASCII, account for every server
 * (a call or a left-out comment), parse (`bash -n`, `python3 -m py_compile`), and a sample of cases run
 * with --apply against the recording hub must send nothing outside the intended URLs.
 *
 * HUBOPS_FUZZ_SEED replays a run (the seed is printed); HUBOPS_FUZZ_CASES sets the number of cases.
 */
const SEED = Number(process.env.HUBOPS_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env.HUBOPS_FUZZ_CASES ?? 200);
/** One case in this many joins the sample that is run against the recording hub. */
const SAMPLE_EVERY = 10;

function fuzzer(seed: number) {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const codePoint = (): string => {
    switch (int(10)) {
      case 0:
        return String.fromCharCode(int(0x20)); // C0 controls, NUL included
      case 1: // now and then a lone surrogate (no DB text holds one, but a JS string can)
        return random() < 0.15
          ? String.fromCharCode(0xd800 + int(0x800))
          : String.fromCodePoint(0x10000 + int(0xfffff));
      case 2:
        return pick([
          '\u202e',
          '\u202d',
          '\u2066',
          '\u2067',
          '\u2069',
          '\u200b',
          '\u200f',
          '\ufeff',
          '\u2028',
          '\u0085',
        ]);
      case 3:
        return String.fromCodePoint(0x10000 + int(0xfffff));
      case 4:
        return String.fromCharCode(0x80 + int(0x780));
      case 5:
        return pick(['.', '/', '%', '?', '#', '\\', "'", '"', '$', '`', '{', '}', '\n', '\r', ' ', '-', '~', '*']);
      default:
        return String.fromCharCode(0x20 + int(0x5f));
    }
  };
  const name = (): string => {
    const roll = random();
    if (roll < 0.03) return pick(LONG_NAMES) + (random() < 0.5 ? codePoint() : '');
    if (roll < 0.05) return '';
    let text = '';
    for (let parts = 1 + int(4); parts > 0; parts--)
      text += random() < 0.4 ? pick(NAME_FRAGMENTS) : Array.from({ length: 1 + int(12) }, codePoint).join('');
    return text;
  };
  const time = (): string | null =>
    pick([
      null,
      '2024-01-01 10:00:00.000000',
      `2023-0${1 + int(9)}-1${int(10)} 0${int(10)}:1${int(10)}:2${int(10)}.${String(int(1e6)).padStart(6, '0')}`,
      '2024-01-01T10:00:00Z',
      "'; touch /tmp/hubops-pwned; '",
      '2024-13-45 99:99:99',
      '2451545.0',
      `${codePoint()}${codePoint()}`,
    ]);
  const server = (): StaleServer => ({
    user: name(),
    server: name(),
    lastActivity: time(),
    idleDays: int(1000),
    ...(random() < 0.03 ? { inexact: `the user name is ${name()}` } : {}),
  });
  const snapshot = () =>
    pick([undefined, '2025-06-01T12:00:00.000Z', '2025-06-01T12:00:00Z\n$(touch /tmp/hubops-pwned)', name()]);
  return { int, random, server, snapshot };
}

describe('fuzz: the cleanup-script generator', function () {
  this.timeout(20 * 60_000);
  const dir = useTempDir('hubdb-fuzz-');
  let hub: RecordingHub | undefined;
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  it(`${CASES} seeded cases: printable ASCII, every server accounted for, parses, sends only what it names`, async () => {
    const f = fuzzer(SEED);
    const where = (i: number) => `(seed ${SEED}, case ${i}; replay with HUBOPS_FUZZ_SEED=${SEED})`;
    const files: Record<ScriptLanguage, string[]> = { bash: [], python: [] };
    const sample: StaleServer[] = [];
    let names = 0;
    for (let i = 0; i < CASES; i++) {
      const servers = Array.from({ length: 1 + f.int(6) }, f.server);
      names += servers.length * 2;
      const options = { days: 1 + f.int(MAX_STALE_DAYS), snapshotTime: f.snapshot() };
      for (const language of ['bash', 'python'] as const) {
        let text: string;
        try {
          text = (language === 'bash' ? bashCleanupScript : pythonCleanupScript)(servers, options);
        } catch (error) {
          assert.fail(`${language} generator threw ${String(error)} ${where(i)}`);
        }
        assert.match(text, /^[\x20-\x7e\n]*$/, `${language}: only printable ASCII ${where(i)}`);
        const lines = text.split('\n');
        const calls = lines.filter((l) =>
          language === 'bash' ? l.startsWith('remove_server ') : l.startsWith('    ('),
        );
        const comments = lines.filter((l) => l.startsWith('# left out: '));
        const expected = servers.filter((s) => leftOutReason(s, language) === null).length;
        assert.equal(calls.length, expected, `${language}: one call per server it can send ${where(i)}`);
        assert.equal(
          comments.length,
          servers.length - expected,
          `${language}: one comment per server left out ${where(i)}`,
        );
        const file = join(dir(), `case-${i}.${language === 'bash' ? 'sh' : 'py'}`);
        writeFileSync(file, text);
        files[language].push(file);
      }
      if (i % SAMPLE_EVERY === 0) sample.push(...servers);
    }

    // Parse every script: one bash and one python3 process for all of them.
    const badBash = execFileSync('bash', [
      '-c',
      'for f; do bash -n "$f" 2>&1 || echo "FAILED $f"; done',
      'bash',
      ...files.bash,
    ]);
    assert.equal(badBash.toString(), '', `bash -n ${where(-1)}`);
    execFileSync('python3', [
      '-c',
      'import py_compile, sys\nfor f in sys.argv[1:]:\n    py_compile.compile(f, cfile=f + "c", doraise=True)',
      ...files.python,
    ]);

    // A sample run: the sampled cases' servers in one script per language, --apply against the hub.
    const unique = [...new Map(sample.map((s) => [JSON.stringify([s.user, s.server]), s])).values()];
    let requests = 0;
    for (const language of ['bash', 'python'] as const) {
      const sendable = unique.filter((s) => leftOutReason(s, language) === null);
      // The live hub as the snapshot saw it: every server stopped, last used when the DB says (in the
      // API's form; a DB value that is not a time reads as never used).
      const users = hubState(sendable);
      for (const s of sendable)
        users.get(s.user)!.servers.get(s.server)!.lastActivity = scriptTime(s.lastActivity) || null;
      hub = await startRecordingHub({ token: TOKEN, users });
      const text = (language === 'bash' ? bashCleanupScript : pythonCleanupScript)(unique, { days: 30 });
      const run = await runScript(dir(), language, text, [hub.url, '--apply'], { JUPYTERHUB_API_TOKEN: TOKEN });
      assert.deepEqual(strayRequests(hub.requests, sendable).slice(0, 10), [], `${language} ${where(-1)}`);
      assert.doesNotMatch(run.stderr, /Traceback|syntax error|command not found/, where(-1));
      assert.equal(run.code, 0, `${language}: ${run.stderr.slice(0, 500)} ${where(-1)}`);
      assert.deepEqual(
        deletedNames(hub)
          .map((n) => JSON.stringify(n))
          .sort(),
        sendable.map((s) => JSON.stringify([s.user, s.server])).sort(),
        `${language}: each server removed once, by its exact names ${where(-1)}`,
      );
      requests += hub.requests.length;
      await hub.close();
      hub = undefined;
    }
    console.log(
      `      fuzz: seed ${SEED}, ${CASES} cases, ${names.toLocaleString('en-US')} names, ${files.bash.length + files.python.length} scripts parsed; ` +
        `sample of ${unique.length} servers run in both languages: ${requests} requests, 0 outside the intended URLs`,
    );
  });
});
