import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../..');

/** Where the harness writes screenshots, logs and per-run folders (git-ignored). */
export const outputDir = join(repoRoot, '.test-output');

/**
 * Node 24 and code-server come from scripts/bootstrap.sh, which installs them once into a cache shared by
 * every clone; scripts/test.sh exports their locations. The defaults repeat the cache layout so a test file
 * can also be run by hand after one bootstrap.
 */
export function toolPaths(): { node24Bin: string; codeServerDir: string } {
  const cache = process.env.JUPYTERHUB_OPS_CACHE ?? join(homedir(), '.cache', 'jupyterhub-ops');
  const node24Bin = process.env.HUBOPS_NODE24_BIN ?? join(cache, 'node-24.9.0/node_modules/.bin');
  const codeServerDir =
    process.env.HUBOPS_CODE_SERVER_DIR ?? join(cache, 'code-server-4.139.1/node_modules/code-server');
  for (const [what, path] of [
    ['Node 24', join(node24Bin, 'node')],
    ['code-server', join(codeServerDir, 'out/node/entry.js')],
  ] as const) {
    if (!existsSync(path))
      throw new Error(`${what} is not installed at ${path}: run scripts/bootstrap.sh (npm test does).`);
  }
  return { node24Bin, codeServerDir };
}
