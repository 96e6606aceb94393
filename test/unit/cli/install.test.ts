import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../../src/cli/main';
import { nodeAtLeast } from '../../../src/cli/nodeVersion';
import { buildCalibrationDb } from '../../builders/hubDb';
import { kubeconfigYaml } from '../../builders/kubeconfig';
import { runNode } from '../../harness/runCli';

const run = promisify(execFile);
const repoRoot = resolve(__dirname, '../../..');

/** The first `node` on PATH that is not the Node 24 the test run itself uses: the user's own Node. */
function usersNode(): string {
  const ours = dirname(process.execPath);
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'node');
    if (dir && resolve(dir) !== ours && !dir.includes('jupyterhub-ops') && existsSync(candidate)) return candidate;
  }
  return '/usr/bin/node';
}

describe('hubops on the user’s Node', function () {
  this.timeout(120_000);

  it('a cluster subcommand on Node 20 says in one line that it needs 22.19, before loading client-node', async () => {
    let err = '';
    const io = { out: () => undefined, err: (t: string) => (err += t), nodeVersion: '20.20.2' };
    assert.equal(await main(['cluster'], io), 2);
    assert.equal(
      err,
      'hubops cluster needs Node.js 22.19 or newer (this is v20.20.2); analyze, report, history --prometheus and alerts work on Node 20\n',
    );
    err = '';
    assert.equal(await main(['contexts', '--json'], { ...io, nodeVersion: 'v22.18.9' }), 2);
    assert.match(err, /^hubops contexts needs Node\.js 22\.19 or newer \(this is v22\.18\.9\)/);
    assert.ok(
      nodeAtLeast('22.19.0', '22.19.0') && nodeAtLeast('24.9.0', '22.19.0') && !nodeAtLeast('22.9.0', '22.19.0'),
    );
  });

  describe('npm pack, then npm install -g of the tarball', () => {
    let work = '';
    let prefix = '';
    const hubops = () => join(prefix, 'bin/hubops');

    before(async () => {
      work = mkdtempSync(join(tmpdir(), 'hubops-pack-'));
      // The package as `npm pack` at the repository root sees it: the manifest, .npmignore, README, LICENSE and
      // the production CLI bundle with its wasm.
      const stage = join(work, 'stage');
      mkdirSync(stage);
      for (const file of ['package.json', '.npmignore', 'README.md', 'LICENSE'])
        copyFileSync(join(repoRoot, file), join(stage, file));
      await run(process.execPath, ['scripts/build.mjs', '--only=cli', `--out=${join(stage, 'dist')}`, '--production'], {
        cwd: repoRoot,
      });
      await run('npm', ['pack', '--silent', '--pack-destination', work], { cwd: stage });
      const tarball = readdirSync(work).find((f) => /^jupyterhub-ops-.*\.tgz$/.test(f));
      assert.ok(tarball, `no tarball in ${readdirSync(work).join(', ')}`);
      prefix = join(work, 'global');
      await run('npm', ['install', '-g', '--prefix', prefix, '--offline', join(work, tarball)]);
    });

    after(() => rmSync(work, { recursive: true, force: true }));

    it('holds only the CLI: no dependency is installed beside it', async () => {
      const installed = join(prefix, 'lib/node_modules/jupyterhub-ops');
      assert.deepEqual(readdirSync(installed).sort(), ['LICENSE', 'README.md', 'dist', 'package.json']);
      assert.deepEqual(readdirSync(join(installed, 'dist')).sort(), [
        'cli-alerts.js',
        'cli-analyze.js',
        'cli-cluster.js',
        'cli-contexts.js',
        'cli-history.js',
        'cli-readiness.js',
        'cli-report.js',
        'cli.js',
        'client-node.js',
        'sql-wasm.wasm',
      ]);
      assert.ok(!existsSync(join(installed, 'node_modules')));
      // One copy of client-node, which the cluster subcommands require from beside them.
      const withClientNode = readdirSync(join(installed, 'dist')).filter(
        (f) => f.endsWith('.js') && readFileSync(join(installed, 'dist', f), 'utf8').includes('loadFromDefault'),
      );
      assert.deepEqual(withClientNode, ['client-node.js']);
    });

    it('hubops --version and analyze work on the user’s Node; contexts says what it needs or works', async () => {
      const node = usersNode();
      const nodeVersion = (await runNode(node, ['--version'])).out.trim();
      const version = await runNode(node, [hubops(), '--version']);
      assert.equal(version.code, 0, version.err);
      assert.match(version.out, /^\d+\.\d+\.\d+\n$/);

      const db = join(work, 'jupyterhub.sqlite');
      writeFileSync(db, await buildCalibrationDb({ stressServers: 100, stressRunning: 50 }));
      const analyzed = await runNode(node, [hubops(), 'analyze', db, '--jupyterhub-version', '5.3.0', '--json']);
      assert.equal(analyzed.code, 0, analyzed.err);
      const json = JSON.parse(analyzed.out) as {
        selected: { rows: number };
        counts: { sumRunningTimesSpawners: number };
      };
      assert.ok(json.selected.rows > 5000);
      assert.equal(json.selected.rows, json.counts.sumRunningTimesSpawners);

      const kubeconfig = join(work, 'kubeconfig');
      writeFileSync(kubeconfig, kubeconfigYaml([{ name: 'prod' }], 'prod'));
      const contexts = await runNode(node, [hubops(), 'contexts', '--kubeconfig', kubeconfig]);
      if (nodeAtLeast(nodeVersion, '22.19.0')) {
        assert.equal(contexts.code, 0, contexts.err);
        assert.match(contexts.out, /prod/);
      } else {
        assert.equal(contexts.code, 2);
        assert.equal(
          contexts.err,
          `hubops contexts needs Node.js 22.19 or newer (this is ${nodeVersion}); analyze, report, history --prometheus and alerts work on Node 20\n`,
        );
        assert.equal(contexts.out, '');
      }
    });

    it('on Node 24 the installed hubops reads kubeconfig contexts', async () => {
      const kubeconfig = join(work, 'kubeconfig');
      writeFileSync(kubeconfig, kubeconfigYaml([{ name: 'prod' }, { name: 'staging' }], 'prod'));
      const contexts = await runNode(process.execPath, [hubops(), 'contexts', '--kubeconfig', kubeconfig, '--json']);
      assert.equal(contexts.code, 0, contexts.err);
      assert.deepEqual(
        (JSON.parse(contexts.out) as { name: string }[]).map((c) => c.name),
        ['prod', 'staging'],
      );
    });
  });
});
