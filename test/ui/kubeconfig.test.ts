import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../k8s-server';
import { findScenario, Timeline } from '../k8s-server/scenarios';
import {
  openInstalledWorkbench,
  openSidebar,
  runFromContextMenu,
  runFromPalette,
  treeRows,
  waitForClustersRow,
  type Workbench,
} from '../harness/workbench';

const clustersPane = (page: Page) =>
  page.locator('.pane', { has: page.locator('.pane-header[aria-label^="Clusters"]') });

describe('UI: no kubeconfig, kubeconfig problems, and the kubeconfig setting applied live', () => {
  let server: TestServer;
  let workbench: Workbench;

  before(async () => {
    server = await startTestServer();
    new Timeline(server, findScenario('healthy')!.steps(), { start: new Date(Date.now() - 400_000) }).advanceTo(
      400_000,
    );
    // A first run: no ~/.kube/config and no KUBECONFIG.
    workbench = await openInstalledWorkbench({ name: 'ui-kubeconfig', env: { KUBECONFIG: '' } });
    await openSidebar(workbench.page);
  });

  after(async () => {
    await workbench?.close();
    await server?.close();
  });

  /** Types a path into the kubeconfig setting of the open Settings editor, as an operator does. */
  async function setKubeconfigInSettings(page: Page, path: string): Promise<void> {
    const setting = page.locator('.settings-editor .setting-item-contents', { hasText: 'Path to a kubeconfig file' });
    await setting.waitFor();
    await setting.locator('input').first().fill(path);
  }

  /** Closes the (modal) Settings editor as a person does: Escape, or its Close button. */
  async function closeSettings(page: Page): Promise<void> {
    const editor = page.locator('.settings-editor').first();
    for (let i = 0; i < 3 && (await editor.isVisible()); i++) {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(300);
    }
    if (await editor.isVisible()) await page.locator('.action-label[aria-label^="Close"]').first().click();
    await editor.waitFor({ state: 'hidden' });
  }

  it('shows the welcome text with its buttons when there is no kubeconfig at all', async () => {
    const { page } = workbench;
    const welcome = clustersPane(page).locator('.welcome-view-content');
    await welcome.waitFor();
    assert.match(await welcome.innerText(), /No kubeconfig found: ~\/\.kube\/config does not exist/);
    assert.deepEqual(await treeRows(page, 'Clusters'), []);
    await workbench.screenshot('clusters-welcome');
    await welcome.locator('.monaco-button', { hasText: 'Open Settings' }).click();
    await page.locator('.settings-editor .setting-item-contents', { hasText: 'Path to a kubeconfig file' }).waitFor();
  });

  it('applies the setting at once and says in one line when it names a file that does not exist', async () => {
    const { page } = workbench;
    const missing = join(workbench.dirs.home, 'nowhere', 'config');
    await setKubeconfigInSettings(page, missing);
    const toast = page.locator('.notifications-toasts .notification-list-item', {
      hasText: `jupyterhubOps.kubeconfig: no file at ${missing}`,
    });
    await toast.first().waitFor();
    const rows = await waitForClustersRow(page, /^Kubeconfig problem \| /);
    assert.deepEqual(rows, [`Kubeconfig problem | No kubeconfig file at ${missing}.`]);
  });

  it('gives a malformed kubeconfig a hover with its path and reason, and a menu that opens the file', async () => {
    const { page } = workbench;
    const broken = join(workbench.dirs.home, 'broken.yaml');
    writeFileSync(broken, 'clusters: [\n  {name: broken\n');
    await setKubeconfigInSettings(page, broken);
    await waitForClustersRow(page, /^Kubeconfig problem \| Cannot read kubeconfig .*broken\.yaml: /);
    await closeSettings(page);
    await runFromPalette(page, 'Notifications: Clear All Notifications');
    const row = clustersPane(page).locator('.monaco-list-row', { hasText: 'Kubeconfig problem' }).first();
    await row.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: `file: ${broken}` });
    await hover.first().waitFor({ timeout: 15_000 });
    assert.match(await hover.first().innerText(), /from: the jupyterhubOps\.kubeconfig setting/);
    // Inline actions on the row, and the same in its context menu.
    assert.equal(await row.locator('.action-label[aria-label^="Open Kubeconfig File"]').count(), 1);
    assert.equal(await row.locator('.action-label[aria-label^="Open Kubeconfig Setting"]').count(), 1);
    await row.click({ button: 'right' });
    const menu = page.locator('.monaco-menu .action-item');
    await menu.filter({ hasText: 'Open Kubeconfig Setting' }).first().waitFor();
    await workbench.screenshot('kubeconfig-problem-menu');
    await page.keyboard.press('Escape');
    await runFromContextMenu(page, row, 'Open Kubeconfig File');
    await page.locator('.tabs-container .tab', { hasText: 'broken.yaml' }).first().waitFor();
  });

  it('follows the setting to a good kubeconfig at once, without a window reload', async () => {
    const { page } = workbench;
    const good = server.writeKubeconfig(join(workbench.dirs.home, 'good.yaml'), { context: 'live-switch' });
    // The problem row's inline action opens the setting.
    const row = clustersPane(page).locator('.monaco-list-row', { hasText: 'Kubeconfig problem' }).first();
    await row.hover();
    await row.locator('.action-label[aria-label^="Open Kubeconfig Setting"]').click();
    await setKubeconfigInSettings(page, good);
    const rows = await waitForClustersRow(page, /^live-switch \| 1 hub · healthy · current$/);
    assert.deepEqual(rows, ['live-switch | 1 hub · healthy · current']);
  });
});
