/**
 * Entry of dist/secretPatterns.js: secretlint's preset on its own, for the extension's bundles to require
 * on first use (see scripts/build.mjs and patternSource.ts).
 */
export { rules } from '@secretlint/secretlint-rule-preset-recommend';
