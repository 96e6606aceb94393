/**
 * What loads when the first hub DB editor opens (dist/explorer.js, a bundle of its own: see scripts/build.mjs):
 * the editor behind the page, and what it asks of VS Code.
 */
export { ExplorerEditor } from './explorerEditor';
export { VscodeExplorerUi } from './vscodeExplorerUi';
