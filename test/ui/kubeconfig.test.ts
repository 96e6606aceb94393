import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../k8s-server';
import { findScenario, Timeline } from '../k8s-server/scenarios';
import { openInstalledWorkbench, openSidebar, runFromPalette, treeRows, type Workbench } from '../harness/workbench';

const theme = { 'workbench.colorTheme': 'Default Dark Modern' };

/** Waits until the Clusters view shows a row matching `pattern`; returns every row then. */
async function waitForRow(page: Page, pattern: RegExp): Promise<string[]> {
  let rows: string[] = [];
  for (let i = 0; i < 300; i++) {
    rows = await treeRows(page, 'Clusters');
    if (rows.some((r) => pattern.test(r))) return rows;
    await page.waitForTimeout(100);
  }
  throw new Error(`no row matching ${pattern} in the Clusters view; rows: ${JSON.stringify(rows, null, 1)}`);
}

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

  it('shows the welcome text with its buttons when there is no kubeconfig at all', async () => {
    const { page } = workbench;
    const welcome = clustersPane(page).locator('.welcome-view-content');
    await welcome.waitFor();
    assert.match(await welcome.innerText(), /No kubeconfig found: ~\/\.kube\/config does not exist/);
    assert.deepEqual(await treeRows(page, 'Clusters'), []);
    await workbench.screenshot('clusters-welcome');
    await welcome.locator('.monaco-button', { hasText: 'Open Settings' }).click();
    await page.locator('.settings-editor .setting-item-contents', { hasText: 'Path to a kubeconfig file' }).waitFor();
    await runFromPalette(page, 'View: Close All Editors');
  });

  it('says in one line when the setting names a file that does not exist', async () => {
    const { page } = workbench;
    const missing = join(workbench.dirs.home, 'nowhere', 'config');
    workbench.dirs.writeSettings({ ...theme, 'jupyterhubOps.kubeconfig': missing });
    const toast = page.locator('.notifications-toasts .notification-list-item', {
      hasText: `jupyterhubOps.kubeconfig: no file at ${missing}`,
    });
    await toast.first().waitFor();
    const rows = await waitForRow(page, /^Kubeconfig problem \| /);
    assert.deepEqual(rows, [`Kubeconfig problem | No kubeconfig file at ${missing}.`]);
    await runFromPalette(page, 'Notifications: Clear All Notifications');
  });

  it('gives a malformed kubeconfig a hover with its path and reason, and a menu that opens the file', async () => {
    const { page } = workbench;
    const broken = join(workbench.dirs.home, 'broken.yaml');
    writeFileSync(broken, 'clusters: [\n  {name: broken\n');
    workbench.dirs.writeSettings({ ...theme, 'jupyterhubOps.kubeconfig': broken });
    await waitForRow(page, /^Kubeconfig problem \| Cannot read kubeconfig .*broken\.yaml: /);
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
    await menu.filter({ hasText: 'Open Kubeconfig File' }).first().click();
    await page.locator('.tabs-container .tab', { hasText: 'broken.yaml' }).first().waitFor();
    await runFromPalette(page, 'View: Close All Editors');
  });

  it('follows the setting to a good kubeconfig at once, without a window reload', async () => {
    const { page } = workbench;
    const good = server.writeKubeconfig(join(workbench.dirs.home, 'good.yaml'), { context: 'live-switch' });
    workbench.dirs.writeSettings({ ...theme, 'jupyterhubOps.kubeconfig': good });
    const rows = await waitForRow(page, /^live-switch \| 1 hub · healthy · current$/);
    assert.deepEqual(rows, ['live-switch | 1 hub · healthy · current']);
  });
});
