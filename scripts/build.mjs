// Bundles the extension host, its worker, the CLI and the webview apps with esbuild.
//   node scripts/build.mjs [--production] [--watch] [--tests] [--only=cli --out=DIR]
// `--only=cli --out=DIR` builds just the CLI (cli.js and its cli-<name>.js bundles, with the wasm) into DIR: the
// CLI tests run that.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const option = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const out = option('out') ?? 'dist';
const cliOnly = option('only') === 'cli';

// Measured in the VS Code 1.139 extension host: client-node probes `navigator` at load,
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

/**
 * secretlint's rule preset (the secret detector's token formats, src/core/secrets/patternSource.ts) is
 * a file of its own beside the host bundles, required on first use: activating the extension never
 * parses it. The CLI keeps it inside (it ships as one self-contained file).
 */
const PATTERN_SOURCE = '@secretlint/secretlint-rule-preset-recommend';
const patternSourceBeside = {
  name: 'pattern-source-beside',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^${PATTERN_SOURCE}$`) }, (args) =>
      args.importer.endsWith('secretPatterns.ts') ? undefined : { path: './secretPatterns.js', external: true },
    );
  },
};

/**
 * Libraries that ship as one bundle of their own beside the bundles that use them (dist/<name>.js), shared by
 * the extension host and the CLI subcommands: each importer gets `require('./<name>.js')` in place of the
 * library, evaluated where the importing module is, so a module the code requires on first use (see
 * src/cluster/kubeconfigSource.ts) pulls the library in then, and activation never parses it. This is the one
 * way a bundle is split out: add a library here.
 */
const sharedLibraries = { '@kubernetes/client-node': 'client-node' };
const sharedBeside = {
  name: 'shared-libraries-beside',
  setup(build) {
    const names = Object.keys(sharedLibraries).map((n) => n.replace(/[/.]/g, (c) => `\\${c}`));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) =>
      args.kind === 'entry-point' ? undefined : { path: `./${sharedLibraries[args.path]}.js`, external: true },
    );
  },
};
/**
 * Each shared bundle re-exports only the names src/ imports from its library (found in src/'s import
 * statements), so esbuild still drops the rest of the library; a namespace import keeps all of it.
 */
function sourceFiles(dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}
const sources = sourceFiles('src').map((file) => readFileSync(join(root, file), 'utf8'));
function sharedEntry(lib) {
  const quoted = lib.replace(/[/.]/g, (c) => `\\${c}`);
  if (sources.some((text) => new RegExp(`import \\* as \\w+ from '${quoted}'`).test(text))) {
    return `export * from '${lib}';`;
  }
  const names = new Set();
  for (const text of sources) {
    for (const [, list] of text.matchAll(new RegExp(`import \\{([^}]*)\\} from '${quoted}'`, 'g'))) {
      for (const item of list.split(',').map((n) => n.trim())) {
        if (item && !item.startsWith('type ')) names.add(item.split(/\s+as\s+/)[0]);
      }
    }
  }
  return `export { ${[...names].sort().join(', ')} } from '${lib}';`;
}
const shared = Object.entries(sharedLibraries).map(([lib, name]) => ({
  ...node,
  stdin: { contents: sharedEntry(lib), resolveDir: root, sourcefile: `${name}.js` },
  outfile: join(out, `${name}.js`),
}));

/**
 * Bundles of our own code that load on first use. Activation parses only dist/extension.js, a shell
 * (src/vscode/activationShell.ts) that registers what VS Code must find at once; it requires the features
 * (dist/features.js) on first use, and the features import the explorer, the report and the analyzer with
 * `await import()` when one is first opened or run. In the host bundles, a require or import() of one of these
 * modules becomes one of its sibling bundle, which carries its own copy of what it shares with the others (so a
 * class is recognised across copies by a mark, not by identity: src/core/result.ts). A static import inlines the
 * module as usual (the workers and the CLI do that); the check after the build fails it if one of these ends up
 * inside the shell or the features. This is the one way our own code is split: add a module here.
 */
const firstUse = {
  'src/features.ts': 'features',
  'src/explorer/explorerBundle.ts': 'explorer',
  'src/incident/report/reportBundle.ts': 'report',
  'src/core/hubdb/index.ts': 'analyzer',
};
const firstUseModule = (importer, path) => {
  const base = resolve(dirname(importer), path);
  return [`${base}.ts`, join(base, 'index.ts')].map((f) => f.slice(root.length + 1)).find((f) => f in firstUse);
};
const onFirstUse = {
  name: 'bundles-on-first-use',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind !== 'require-call' && args.kind !== 'dynamic-import') return undefined;
      const module = firstUseModule(args.importer, args.path);
      return module ? { path: `./${firstUse[module]}.js`, external: true } : undefined;
    });
    build.onEnd((result) => {
      const outputs = result.metafile?.outputs ?? {};
      for (const bundle of ['extension', 'features']) {
        const inputs = Object.keys(outputs[`${out}/${bundle}.js`]?.inputs ?? {});
        const inside = inputs.filter((f) => f in firstUse && firstUse[f] !== bundle);
        if (inside.length) {
          throw new Error(
            `${inside.join(', ')} loads on first use but is inside ${bundle}.js: import it with await import()`,
          );
        }
      }
    });
  },
};

/** Entry points that exist: later features add theirs to these lists. */
const hostEntries = {
  extension: 'src/extension.ts',
  ...Object.fromEntries(Object.entries(firstUse).map(([file, name]) => [name, file])),
  sqlWorker: 'src/explorer/sqlWorker.ts',
  quickCheckWorker: 'src/snapshot/quickCheckWorker.ts',
  secretPatterns: 'src/core/secrets/secretPatterns.ts',
};
const webviewEntries = {
  explorer: 'webview/explorer/main.ts',
  report: 'webview/report/main.ts',
  readiness: 'webview/readiness/main.ts',
};
const present = (entries) =>
  Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(join(root, file))));

// The CLI is a small entry (dist/cli.js: argument dispatch, --version, --help) and one bundle per subcommand
// (dist/cli-<name>.js), which the entry requires on use: `hubops analyze` then never parses client-node, and
// `--version` parses almost nothing. src/cli/main.ts imports each subcommand as `./<name>`; here that import
// becomes a require of the sibling bundle. The subcommands are the modules main.ts imports that way.
const cliSubcommands = [
  ...readFileSync(join(root, 'src/cli/main.ts'), 'utf8').matchAll(/import\('\.\/([A-Za-z]\w*)'\)/g),
].map((m) => m[1]);
const cliSplit = {
  name: 'cli-subcommand-bundles',
  setup(build) {
    const filter = new RegExp(`^\\./(${cliSubcommands.join('|')})$`);
    build.onResolve({ filter }, (args) =>
      args.importer === join(root, 'src/cli/main.ts')
        ? { path: `./cli-${args.path.slice(2)}.js`, external: true }
        : undefined,
    );
  },
};
const cli = {
  ...node,
  entryPoints: {
    cli: 'src/cli/main.ts',
    ...Object.fromEntries(cliSubcommands.map((name) => [`cli-${name}`, `src/cli/${name}.ts`])),
  },
  outdir: out,
  plugins: [cliSplit, sharedBeside],
  // The entry requires its subcommand's bundle: a plain require, not import() through the ESM loader.
  supported: { 'dynamic-import': false },
  banner: { js: '#!/usr/bin/env node' },
};
const builds = cliOnly
  ? [cli, ...shared]
  : [
      ...shared,
      {
        ...node,
        entryPoints: present(hostEntries),
        outdir: out,
        plugins: [onFirstUse, patternSourceBeside, sharedBeside],
        metafile: true,
        // A first-use bundle is required where the code imports it: a plain require, not the ESM loader.
        supported: { 'dynamic-import': false },
      },
      cli,
      { ...browser, entryPoints: present(webviewEntries), outdir: join(out, 'webview') },
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
for (const dir of [out, ...(args.has('--tests') ? ['dist-test/host'] : [])]) {
  mkdirSync(resolve(root, dir), { recursive: true });
  copyFileSync(wasm, resolve(root, dir, 'sql-wasm.wasm'));
}

// `npm run package` has vsce write the VSIX here, and vsce does not create the folder.
if (production) mkdirSync(join(root, 'dist-vsix'), { recursive: true });

if (args.has('--watch')) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('watching…');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
