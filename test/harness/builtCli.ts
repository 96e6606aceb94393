import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './toolPaths';

/**
 * Builds the real `dist/cli.js` (scripts/build.mjs --only=cli, with sql-wasm.wasm beside it) into a temp
 * folder once per suite, so CLI tests run exactly what ships. Call in a `describe`.
 */
export function useBuiltCli(): () => string {
  let dir = '';
  before(async function () {
    this.timeout(60_000);
    dir = mkdtempSync(join(tmpdir(), 'hubops-cli-'));
    await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--only=cli', `--out=${dir}`], { cwd: repoRoot });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  return () => join(dir, 'cli.js');
}
