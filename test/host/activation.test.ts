import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { commands } from '../../src/vscode/contributes';
import { buildHubDb } from '../builders/hubDb';
import { hubOomAfterStressTest, writeJournal } from '../builders/journal';
import { activateExtension, EXTENSION_ID, runDir, waitFor } from '../harness/inHost';

/**
 * Activation parses only dist/extension.js: the features (dist/features.js) and the bundles split out of them
 * (client-node, the explorer, the report, the analyzer) load on first use.
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
    for (const later of ['explorer.js', 'report.js', 'analyzer.js'])
      assert.ok(!loaded().includes(later), `${later} is loaded after the first rows: ${loaded().join(', ')}`);
  });

  it('loads the explorer with the first hub DB opened, and the report with the first report; the analyzer runs off this thread', async () => {
    const dir = join(runDir(), 'activation');
    mkdirSync(dir, { recursive: true });
    const hubDb = join(dir, 'jupyterhub.sqlite');
    writeFileSync(hubDb, await buildHubDb({ users: [{ name: 'ada', servers: [{ name: '', running: true }] }] }));
    const dist = join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist');
    const loaded = () =>
      Object.keys(require.cache)
        .filter((file) => dirname(file) === dist)
        .map((file) => basename(file));
    try {
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(hubDb), 'jupyterhubOps.hubDbExplorer');
      await waitFor('explorer.js', () => loaded().includes('explorer.js') || undefined);
      assert.ok(!loaded().includes('report.js'), `loaded with the explorer: ${loaded().join(', ')}`);

      const api = await activateExtension();
      const editor = await api.incident.reports.headless(writeJournal(dir, hubOomAfterStressTest()));
      assert.ok(editor.ok, editor.ok ? '' : editor.error.userMessage);
      assert.ok(loaded().includes('report.js'), `loaded with the report: ${loaded().join(', ')}`);
      const markdown = editor.value.markdown();
      assert.ok(markdown.ok && markdown.value.includes('stress-hub'), 'the report drafts from the journal');
      // The explorer's analysis runs in its worker (sqlWorker.js), the snapshot's quick check in its own
      // (which requires analyzer.js): this thread has not parsed the analyzer.
      assert.ok(!loaded().includes('analyzer.js'), `loaded: ${loaded().join(', ')}`);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
