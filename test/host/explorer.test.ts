import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { buildHubDb, HOSTILE_NAMES } from '../builders/hubDb';
import { activateExtension, runDir, waitFor } from '../harness/inHost';

const VIEW_TYPE = 'jupyterhubOps.hubDbExplorer';
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The explorer tabs open on `file`. */
const explorerTabs = (file: string) =>
  vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputCustom && tab.input.uri.fsPath === file);

describe('Hub DB explorer: the read-only custom editor (in the real host)', () => {
  const dir = join(runDir(), 'explorer');
  const hubDb = join(dir, 'jupyterhub.sqlite');
  const otherDb = join(dir, 'copy.db');
  let hash = '';

  before(async () => {
    mkdirSync(dir, { recursive: true });
    const bytes = await buildHubDb({
      users: HOSTILE_NAMES.map((name) => ({ name, servers: [{ name: '', running: true }] })),
    });
    writeFileSync(hubDb, bytes);
    writeFileSync(otherDb, bytes);
    hash = sha(hubDb);
    await activateExtension();
  });

  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('is the default editor for *.sqlite and *.db files', async () => {
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(hubDb));
    const [tab] = await waitFor('the explorer tab', () => explorerTabs(hubDb)[0] && explorerTabs(hubDb));
    assert.equal((tab!.input as vscode.TabInputCustom).viewType, VIEW_TYPE);
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(otherDb));
    await waitFor('the .db file in the explorer', () => explorerTabs(otherDb)[0]);
  });

  it('opens from "Open Hub DB File…", side by side in two editors, never dirty', async () => {
    await vscode.commands.executeCommand('jupyterhubOps.openHubDbFile', vscode.Uri.file(hubDb));
    await waitFor('the explorer tab', () => explorerTabs(hubDb)[0]);
    await vscode.commands.executeCommand(
      'vscode.openWith',
      vscode.Uri.file(hubDb),
      VIEW_TYPE,
      vscode.ViewColumn.Beside,
    );
    const tabs = await waitFor('a second explorer editor', () =>
      explorerTabs(hubDb).length === 2 ? explorerTabs(hubDb) : undefined,
    );
    assert.ok(
      tabs.every((tab) => !tab.isDirty),
      'a read-only editor has nothing to save',
    );
  });

  it('leaves the file as it was: same bytes, no -wal or -journal beside it', async () => {
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(hubDb), VIEW_TYPE);
    await waitFor('the explorer tab', () => explorerTabs(hubDb)[0]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(sha(hubDb), hash);
    assert.equal(existsSync(`${hubDb}-wal`), false);
    assert.equal(existsSync(`${hubDb}-journal`), false);
  });
});
