import assert from 'node:assert/strict';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from '../harness/inHost';

/**
 * Activation parses only dist/extension.js: the bundles split out of it (client-node, …) load on first use.
 * This file sorts first, so nothing else has used the extension yet when it runs.
 */
describe('Activation: only extension.js is loaded (in the real host)', () => {
  it('activates without loading the bundles that load on first use, then loads client-node when the Clusters view asks for its rows', async () => {
    const dist = join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist');
    const loaded = () =>
      Object.keys(require.cache)
        .filter((file) => dirname(file) === dist)
        .map((file) => basename(file))
        .sort();
    const api = await activateExtension();
    assert.deepEqual(loaded(), ['extension.js']);
    await api.clusters.getChildren();
    assert.ok(loaded().includes('client-node.js'), `loaded after the first rows: ${loaded().join(', ')}`);
  });
});
