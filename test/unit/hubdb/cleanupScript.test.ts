import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  analyzeHubDb,
  bashCleanupScript,
  MAX_SCRIPT_BYTES,
  serversThatFit,
  bashQuote,
  encodePathSegment,
  pythonCleanupScript,
  pythonQuote,
  type StaleServer,
} from '../../../src/core/hubdb';
import { HOSTILE_NAMES } from '../../builders/hubDb';
import { useTempDir } from '../../support/tempDir';
import { openBuilt } from './hubDbTestKit';

const run = promisify(execFile);
const PWNED = '/tmp/hubops-pwned';
const NAMES = [...HOSTILE_NAMES, "it's", '\\x41 $HOME ${PATH}', "$'x'", '%2F..%2F', 'tab\there', '\u0000nul'.slice(1)];
const TOKEN = 'test-admin-token-0123456789';

interface Seen {
  method: string;
  path: string[];
  body: string;
  auth: string | undefined;
  type: string | undefined;
}

/** A stand-in for the hub's REST API: answers user models and records deletions. */
async function fakeHub(active: Set<string>): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const raw = (req.url ?? '').replace(/^\/hub\/api\/users\//, '');
      const path = raw.split('/').map(decodeURIComponent);
      seen.push({
        method: req.method ?? '',
        path,
        body,
        auth: req.headers.authorization,
        type: req.headers['content-type'],
      });
      if (req.headers.authorization !== `token ${TOKEN}`) return void res.writeHead(403).end();
      if (req.method === 'GET') {
        const servers = Object.fromEntries(
          [...active]
            .filter((k) => k.startsWith(`${path[0]}\u0000`))
            .map((k) => [k.split('\u0000')[1], { ready: true }]),
        );
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ name: path[0], servers }));
      } else if (req.method === 'DELETE') res.writeHead(204).end();
      else res.writeHead(405).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen };
}

describe('cleanup scripts', function () {
  this.timeout(60_000);
  const dir = useTempDir('hubdb-script-');
  const servers: StaleServer[] = NAMES.map((name, i) => ({
    user: name,
    server: `${name}-${i}`,
    lastActivity: null,
    idleDays: null,
  }));

  beforeEach(() => rmSync(PWNED, { force: true }));
  afterEach(() => assert.ok(!existsSync(PWNED), 'a name was executed as a command'));

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
      assert.match(encodePathSegment(name), /^[A-Za-z0-9%._~-]*$/);
    }
  });

  it('bash: dry run by default, lists every server and touches nothing', async () => {
    const file = join(dir(), 'remove.sh');
    writeFileSync(file, bashCleanupScript(servers, { days: 30, snapshotTime: '2025-06-01T12:00:00Z\n$(id)' }));
    const { stdout } = await run('bash', [file, 'http://127.0.0.1:9/'], { env: { PATH: process.env.PATH } });
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, servers.length + 1);
    assert.match(lines.at(-1)!, new RegExp(`^dry run: ${servers.length} server\\(s\\) would be removed`));
    assert.ok(lines.slice(0, -1).every((l) => l.startsWith('would remove ')));
    await assert.rejects(run('bash', [file]), /usage/);
    await assert.rejects(run('bash', [file, 'http://x', '--yes']), /unknown option/);
    await assert.rejects(
      run('bash', [file, 'http://x', '--apply'], { env: { PATH: process.env.PATH } }),
      /JUPYTERHUB_API_TOKEN/,
    );
  });

  it('bash --apply: DELETE {"remove": true} per server with the token from the environment, skipping servers active again', async () => {
    const activeAgain = `${servers[1]!.user}\u0000${servers[1]!.server}`;
    const hub = await fakeHub(new Set([activeAgain]));
    try {
      const file = join(dir(), 'remove.sh');
      writeFileSync(file, bashCleanupScript(servers, { days: 30 }));
      const { stdout } = await run('bash', [file, hub.url, '--apply'], {
        env: { PATH: process.env.PATH, JUPYTERHUB_API_TOKEN: TOKEN },
      });
      assert.match(stdout, new RegExp(`removed ${servers.length - 1}, skipped 1, failed 0`));
      const deletes = hub.seen.filter((s) => s.method === 'DELETE');
      assert.deepEqual(
        deletes.map((d) => d.path),
        servers.filter((_, i) => i !== 1).map((s) => [s.user, 'servers', s.server]),
      );
      for (const d of deletes) {
        assert.deepEqual(JSON.parse(d.body), { remove: true });
        assert.equal(d.auth, `token ${TOKEN}`);
        assert.equal(d.type, 'application/json');
      }
      assert.ok(!bashCleanupScript(servers, { days: 30 }).includes(TOKEN));
    } finally {
      hub.server.close();
    }
  });

  it('python: the same behaviour, standard library only', async () => {
    const activeAgain = `${servers[2]!.user}\u0000${servers[2]!.server}`;
    const hub = await fakeHub(new Set([activeAgain]));
    try {
      const file = join(dir(), 'remove.py');
      writeFileSync(file, pythonCleanupScript(servers, { days: 30, snapshotTime: 'x"""y' }));
      const dry = await run('python3', [file, hub.url], { env: { PATH: process.env.PATH } });
      assert.match(dry.stdout, new RegExp(`dry run: ${servers.length} server\\(s\\) would be removed`));
      assert.equal(hub.seen.length, 0, 'a dry run sends nothing');
      const { stdout } = await run('python3', [file, hub.url, '--apply'], {
        env: { PATH: process.env.PATH, JUPYTERHUB_API_TOKEN: TOKEN },
      });
      assert.match(stdout, new RegExp(`removed ${servers.length - 1}, skipped 1, failed 0`));
      const deletes = hub.seen.filter((s) => s.method === 'DELETE');
      assert.deepEqual(
        deletes.map((d) => d.path),
        servers.filter((_, i) => i !== 2).map((s) => [s.user, 'servers', s.server]),
      );
      assert.ok(deletes.every((d) => d.auth === `token ${TOKEN}` && JSON.parse(d.body).remove === true));
    } finally {
      hub.server.close();
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
      const a = analyzeHubDb(opened, { now: new Date('2025-06-01') });
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

  it('reports failures and exits non-zero when the hub refuses the token', async () => {
    const hub = await fakeHub(new Set());
    try {
      const file = join(dir(), 'remove.sh');
      writeFileSync(file, bashCleanupScript(servers.slice(0, 2), { days: 30 }));
      await assert.rejects(
        run('bash', [file, hub.url, '--apply'], { env: { PATH: process.env.PATH, JUPYTERHUB_API_TOKEN: 'wrong' } }),
        (error: { stdout: string; stderr: string }) =>
          /removed 0, skipped 0, failed 2/.test(error.stdout) && /FAILED \(403\)/.test(error.stderr),
      );
      assert.equal(hub.seen.filter((s) => s.method === 'DELETE').length, 0);
    } finally {
      hub.server.close();
    }
  });
});
