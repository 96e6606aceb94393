// Bundles the extension host, its worker, the CLI and the webview apps with esbuild.
//   node scripts/build.mjs [--production] [--watch] [--tests]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');

// Facts measured in the 1.139 host (../shared/vscode-host.md): client-node probes `navigator` at load,
// and a minified build without keepNames renames its error classes.
const node = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  external: ['vscode'],
  keepNames: true,
  define: { navigator: 'undefined', 'globalThis.navigator': 'undefined' },
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

const browser = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'chrome120',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

/** Entry points that exist: later features add theirs to these lists. */
const hostEntries = {
  extension: 'src/extension.ts',
  sqlWorker: 'src/explorer/sqlWorker.ts',
};
const webviewEntries = {
  explorer: 'webview/explorer/main.ts',
  report: 'webview/report/main.ts',
};
const present = (entries) =>
  Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(join(root, file))));

const builds = [
  { ...node, entryPoints: present(hostEntries), outdir: 'dist' },
  {
    ...node,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  },
  { ...browser, entryPoints: present(webviewEntries), outdir: 'dist/webview' },
];

if (args.has('--tests')) {
  const hostTests = Object.fromEntries(
    readdirSync(join(root, 'test/host'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => [f.replace(/\.ts$/, ''), `test/host/${f}`]),
  );
  // mocha stays external: the host loads it from node_modules beside the test bundle.
  builds.push({ ...node, external: ['vscode', 'mocha'], entryPoints: hostTests, outdir: 'dist-test/host' });
}

// sql.js's wasm ships beside the bundles that load it (the host, its worker, the CLI, the in-host tests).
const wasm = join(root, 'node_modules/sql.js/dist/sql-wasm.wasm');
for (const dir of ['dist', ...(args.has('--tests') ? ['dist-test/host'] : [])]) {
  mkdirSync(join(root, dir), { recursive: true });
  copyFileSync(wasm, join(root, dir, 'sql-wasm.wasm'));
}

if (args.has('--watch')) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('watching…');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
