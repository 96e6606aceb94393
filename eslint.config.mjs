import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-test/', 'dist-vsix/', '.test-output/', '.bench-output/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
  {
    // Counts are written one way: formatCount (src/shared/format.ts) writes en-US thousands without loading
    // ICU's number formatting, which costs a short CLI run tens of milliseconds on first use.
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='toLocaleString'][arguments.0.value='en-US']",
          message: "Use formatCount (src/shared/format.ts) for counts, not toLocaleString('en-US').",
        },
      ],
    },
  },
  {
    // The pure core runs under plain Node (CLI, unit tests): it must never reach for the editor.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'src/core is pure: no vscode import.' }] },
      ],
    },
  },
  {
    // Browser-safe helpers shared by the core, the CLI, the VS Code side and the webviews: they import
    // nothing but each other (no Node, no VS Code, no packages).
    files: ['src/shared/**/*.ts', 'src/core/secrets/marker.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^(?!\\./)', message: 'src/shared imports only src/shared: it runs in webviews too.' }],
        },
      ],
    },
  },
  {
    // The host↔webview messages: both sides import them, so they import only src/shared.
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./|\\.\\./shared/|\\.\\./core/secrets/marker$)',
              message: 'src/protocol imports only src/shared (and the REDACTED marker): webviews bundle it.',
            },
          ],
        },
      ],
    },
  },
  {
    // Webview code runs in the browser: it shares only the protocol modules and src/shared with the host.
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'webviews talk to the host through messages.' }],
          patterns: [
            {
              // A regex: gitignore-style groups never match relative paths that start with "../".
              regex: '^(\\.\\./)+src/(?!protocol/|shared/)|^node:',
              message: 'webviews import only src/protocol and src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'scripts/**', 'bench/**', 'test/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
