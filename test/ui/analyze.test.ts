import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCalibrationDb } from '../builders/hubDb';
import { startTestServer, type TestServer } from '../k8s-server';
import { findScenario, Timeline } from '../k8s-server/scenarios';
import {
  openInstalledWorkbench,
  openSidebar,
  runFromPalette,
  setOpen,
  treeRows,
  type Workbench,
} from '../harness/workbench';

describe('UI: Analyze Hub DB on the OOM-looping hub of the Kubernetes API test server', () => {
  let server: TestServer;
  let workbench: Workbench;

  before(async () => {
    server = await startTestServer();
    workbench = await openInstalledWorkbench({
      name: 'ui-analyze',
      prepare(dirs) {
        // The incident's shape: one stress user with 1,500 named servers, 700 of them running.
        return buildCalibrationDb({ stressServers: 1500, stressRunning: 700, ordinaryUsers: 198 }).then((bytes) => {
          const hubDbFile = join(dirs.root, 'incident-hub.sqlite');
          writeFileSync(hubDbFile, bytes);
          new Timeline(server, findScenario('oom-loop')!.steps({ hubDbFile })).advanceTo(1000); // hub running
          mkdirSync(join(dirs.home, '.kube'), { recursive: true });
          server.writeKubeconfig(join(dirs.home, '.kube/config'), { context: 'gke-prod' });
        });
      },
    });
  });

  after(async () => {
    await workbench?.close();
    await server?.close();
  });

  it('snapshots the hub DB and shows "Will be OOMKilled" with the offending user first', async () => {
    const { page } = workbench;
    await openSidebar(page);
    await runFromPalette(page, 'JupyterHub: Analyze Hub DB');
    const hubPick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'hub-physics' });
    await hubPick.first().waitFor({ timeout: 60_000 });
    assert.match(await hubPick.first().innerText(), /JupyterHub 5\.3\.0/);
    await hubPick.first().click();

    const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const verdict = frame.locator('.verdict-headline');
    await frame.getByText('Will be OOMKilled').first().waitFor({ timeout: 60_000 });
    assert.match(await verdict.first().innerText(), /5\.0\.0-5\.3\.0 would need .* over the hub's 2Gi limit/);
    const offenders = frame.locator('section', { hasText: 'Offenders' }).locator('tbody tr');
    assert.equal(await offenders.first().locator('td').first().innerText(), 'stress-user');
    await workbench.screenshot('analyze-oom-hub');
    assert.deepEqual(workbench.cspViolations, []);
  });

  it('marks the hub row: the recent snapshot predicts an OOM', async () => {
    const { page } = workbench;
    await setOpen(page, 'gke-prod');
    const hubRow = page.locator('.monaco-list-row', { hasText: 'hub-physics' }).first();
    await hubRow.waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.monaco-list-row')].some((r) => r.textContent?.includes('DB predicts OOM')),
    );
    const rows = await treeRows(page, 'Clusters');
    assert.ok(
      rows.some((r) => /^hub-physics \| down · DB predicts OOM/.test(r)),
      rows.join('\n'),
    );
    await workbench.screenshot('analyze-hub-badge');
  });

  it("analyzes from the hub row's context menu, and lists the snapshots to delete one", async () => {
    const { page } = workbench;
    const hubRow = page.locator('.monaco-list-row', { hasText: 'hub-physics' }).first();
    await hubRow.click({ button: 'right' }); // selects the row and opens its menu
    const menuItem = page.locator('.monaco-menu .action-item', { hasText: 'Analyze Hub DB' }).first();
    await menuItem.waitFor();
    await workbench.screenshot('analyze-hub-menu');
    await menuItem.click();
    // A second snapshot opens in its own explorer tab, with no QuickPick: the row said which hub.
    await page.locator('.tab', { hasText: 'hubdb-gke-prod-hub-physics' }).nth(1).waitFor({ timeout: 60_000 });
    // Wait for its page, as a person would: the workbench is inert while a webview loads.
    await page
      .frameLocator('iframe.webview.ready >> nth=1')
      .frameLocator('#active-frame')
      .getByText('Will be OOMKilled')
      .first()
      .waitFor({ timeout: 60_000 });

    await runFromPalette(page, 'JupyterHub: Hub DB Snapshots…');
    const snapshots = page.locator('.quick-input-list .monaco-list-row', { hasText: 'hub-physics · gke-prod' });
    await snapshots.nth(1).waitFor();
    assert.equal(await snapshots.count(), 2);
    await workbench.screenshot('analyze-snapshots');
    await snapshots.first().hover();
    await snapshots.first().locator('.action-label[aria-label="Delete snapshot"]').click();
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('.quick-input-list .monaco-list-row')].filter((r) =>
          r.textContent?.includes('hub-physics · gke-prod'),
        ).length === 1,
    );
    await page.keyboard.press('Escape');
  });
});
