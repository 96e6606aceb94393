import assert from 'node:assert/strict';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { commands } from '../../src/vscode/contributes';
import { activateExtension, EXTENSION_ID } from '../harness/inHost';

/**
 * Activation parses only dist/extension.js: the features (dist/features.js) and the bundles split out of them
 * (client-node, …) load on first use.
 * This file sorts first, so nothing else has used the extension yet when it runs.
 */
describe('Activation: only extension.js is loaded (in the real host)', () => {
  it('activates without loading the bundles that load on first use; a command loads the features, and the Clusters rows client-node', async () => {
    const dist = join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist');
    const loaded = () =>
      Object.keys(require.cache)
        .filter((file) => dirname(file) === dist)
        .map((file) => basename(file))
        .sort();
    const api = await activateExtension();
    assert.deepEqual(loaded(), ['extension.js']);
    // A command run now reaches the stand-in registered at activation: it loads the features, and the
    // feature's command runs with the same argument and gives back its result (the name it copied).
    const node = { kind: 'pod', pod: { name: 'jupyter-ada' } };
    assert.equal(await vscode.commands.executeCommand(commands.copyName, node), 'jupyter-ada');
    assert.equal(await vscode.env.clipboard.readText(), 'jupyter-ada');
    assert.deepEqual(loaded(), ['extension.js', 'features.js']);
    await api.clusters.getChildren();
    assert.ok(loaded().includes('client-node.js'), `loaded after the first rows: ${loaded().join(', ')}`);
  });
});
