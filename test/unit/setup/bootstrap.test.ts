import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '../../..');

function bash(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('bash', ['-c', script], { cwd: repoRoot, env }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('scripts/bootstrap.sh and npm-env.sh', function () {
  this.timeout(120_000);

  it('drops the parent npm’s view of the world (its Node in npm_config_user_agent) but keeps network settings', async () => {
    const { code, stdout } = await bash('source scripts/npm-env.sh; clean_npm_env; env | grep -i "^npm_" | sort', {
      PATH: process.env.PATH,
      npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
      npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
      npm_config_nodedir: '/usr',
      npm_config_prefix: '/usr',
      npm_config_globalconfig: '/usr/etc/npmrc',
      npm_lifecycle_event: 'test',
      npm_package_name: 'jupyterhub-ops',
      npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
      NPM_CONFIG_PREFIX: '/usr',
      npm_config_registry: 'https://registry.example/',
      npm_config_cafile: '/etc/ssl/certs/ca-certificates.crt',
      npm_config_fetch_retries: '0',
    });
    assert.equal(code, 0);
    assert.deepEqual(stdout.trim().split('\n'), [
      'npm_config_audit=false',
      'npm_config_cafile=/etc/ssl/certs/ca-certificates.crt',
      'npm_config_fetch_retries=0',
      'npm_config_fund=false',
      'npm_config_registry=https://registry.example/',
      'npm_config_update_notifier=false',
    ]);
  });

  it('a failed step says which and why in one line, and leaves nothing half-installed in the cache', async () => {
    // A registry that refuses connections: the Node step cannot download.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const cache = mkdtempSync(join(tmpdir(), 'hubops-cold-cache-'));
    try {
      const { code, stdout, stderr } = await bash('bash scripts/bootstrap.sh', {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        JUPYTERHUB_OPS_CACHE: cache,
        npm_config_registry: `http://127.0.0.1:${port}/`,
        npm_config_fetch_retries: '0',
        npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
      });
      assert.equal(code, 1, stderr);
      assert.equal(stdout, '', 'no paths are printed for env.sh');
      const failures = stderr.split('\n').filter((l) => l.includes('failed'));
      assert.equal(failures.length, 1, stderr);
      assert.match(
        failures[0]!,
        /^\[bootstrap\] step 'Node 24\.9\.0' failed: .*ECONNREFUSED.* \(full log: \/.*hubops-bootstrap-Node-24\.9\.0\.\w+\.log\)$/,
      );
      assert.deepEqual(readdirSync(cache), [], 'no half-installed Node (nor its .tmp folder) is left in the cache');
      rmSync(/full log: (\S+)\)/.exec(failures[0]!)![1]!, { force: true });
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
