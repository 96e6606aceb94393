import assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { useOomLoopWorkbench } from '../harness/oomLoopWorkbench';
import { openSidebar, reloadWindow, runFromPalette, setOpen, treeRows } from '../harness/workbench';

/** The explorer page inside its webview (the workbench nests it in two frames). */
const explorerFrame = (page: Page): FrameLocator =>
  page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

describe('UI: Analyze Hub DB on the OOM-looping hub of the Kubernetes API test server', () => {
  const oom = useOomLoopWorkbench({ name: 'ui-analyze', at: 1000 }); // the hub running

  it('snapshots the hub DB and shows "Will be OOMKilled" with the offending user first', async () => {
    const { page } = oom.workbench;
    await openSidebar(page);
    await runFromPalette(page, 'JupyterHub: Analyze Hub DB');
    const hubPick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'hub-physics' });
    await hubPick.first().waitFor({ timeout: 60_000 });
    assert.match(await hubPick.first().innerText(), /JupyterHub 5\.3\.0/);
    await hubPick.first().click();

    const frame = explorerFrame(page);
    const verdict = frame.locator('.verdict-headline');
    await frame.getByText('Will be OOMKilled').first().waitFor({ timeout: 60_000 });
    assert.match(await verdict.first().innerText(), /5\.0\.0-5\.3\.0 would need .* over the hub's 2Gi limit/);
    const offenders = frame.locator('section', { hasText: 'Offenders' }).locator('tbody tr');
    assert.equal(await offenders.first().locator('td').first().innerText(), 'stress-user');
    // The form shows the hub's own settings as an operator writes them, and says the result is the hub's.
    assert.equal(await frame.locator('vscode-text-field.limit-field input').inputValue(), '2Gi');
    assert.match(
      await frame.locator('#analysis-standing').innerText(),
      /^At the hub's settings: JupyterHub 5\.3\.0 with a 2Gi limit/,
    );
    await oom.workbench.screenshot('analyze-oom-hub');
    assert.deepEqual(oom.workbench.cspViolations, []);
  });

  it('labels a what-if (another limit and version) as one, and says why a limit is not a quantity', async () => {
    const { page } = oom.workbench;
    const frame = explorerFrame(page);
    const limit = frame.locator('vscode-text-field.limit-field input');
    await limit.fill('2GB');
    assert.match(
      await frame.locator('.limit-field + .hint.problem').innerText(),
      /^"GB" is not a Kubernetes suffix: write Gi \(powers of 1024\) or G \(powers of 1000\)$/,
    );
    await limit.fill('8Gi');
    await frame.locator('vscode-dropdown').click();
    await frame.locator('vscode-option', { hasText: 'JupyterHub 5.4.3' }).click();
    await frame.locator('#run-analysis').click();
    const standing = frame.locator('#analysis-standing.standing-what-if');
    await standing.waitFor({ timeout: 60_000 });
    assert.match(await standing.innerText(), /^What if: limit 8Gi, JupyterHub 5\.4\.3 — not the hub's settings\n/);
    assert.match(await standing.innerText(), /hub-physics ran JupyterHub 5\.3\.0 with a 2Gi limit when the snapshot/);
    assert.match(await frame.locator('#verdict h2').innerText(), /^Fits · JupyterHub 5\.4\.3/);
    await oom.workbench.screenshot('whatif-panel');
  });

  it('marks the hub row: the recent snapshot predicts an OOM', async () => {
    const { page } = oom.workbench;
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
    await oom.workbench.screenshot('analyze-hub-badge');
  });

  it('comes back after a window reload: the analysis as it was left, the detected version still marked', async () => {
    const { page } = oom.workbench;
    await reloadWindow(page);
    const frame = explorerFrame(page);
    // The tab shows its what-if again, not an empty form.
    await frame.locator('#analysis-standing.standing-what-if').waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('vscode-text-field.limit-field input').inputValue(), '8Gi');
    const detected = frame.locator('vscode-option', { hasText: 'JupyterHub 5.3.0 · detected on hub-physics' });
    assert.equal(await detected.count(), 1);
    await frame.locator('#use-hub-settings').click();
    await frame.locator('#analysis-standing.standing-evidence').waitFor({ timeout: 60_000 });
    assert.match(await frame.locator('#verdict h2').innerText(), /^Will be OOMKilled · JupyterHub 5\.0\.0-5\.3\.0/);
    assert.equal(await frame.locator('vscode-text-field.limit-field input').inputValue(), '2Gi');
    assert.equal(
      await frame.locator('vscode-dropdown').evaluate((d) => (d as HTMLElement & { value: string }).value),
      '5.3.0',
    );
    await setOpen(page, 'gke-prod'); // the reload closed it
  });

  it("exports a snapshot's result into the workspace, not beside the snapshot", async () => {
    const { page } = oom.workbench;
    const frame = explorerFrame(page);
    await frame.locator('vscode-panel-tab#tab-data').click();
    const editor = frame.locator('vscode-text-area textarea');
    await editor.fill('SELECT name FROM users ORDER BY id LIMIT 3');
    await editor.press('Control+Enter');
    await frame.locator('.status', { hasText: '3 rows' }).waitFor();
    await frame.locator('#export-csv').click();
    const input = page.locator('.quick-input-widget input');
    await page.waitForFunction(() =>
      document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value.endsWith('-result.csv'),
    );
    const offered = await input.inputValue();
    assert.ok(offered.startsWith(`${oom.workbench.dirs.workspace}/hubdb-gke-prod-hub-physics-`), offered);
    await page.keyboard.press('Escape');
    await frame.locator('.status', { hasText: 'Export skipped.' }).waitFor();
  });

  it("analyzes from the hub row's context menu, and lists the snapshots to delete one", async () => {
    const { page } = oom.workbench;
    const hubRow = page.locator('.monaco-list-row', { hasText: 'hub-physics' }).first();
    await hubRow.click({ button: 'right' }); // selects the row and opens its menu
    const menuItem = page.locator('.monaco-menu .action-item', { hasText: 'Analyze Hub DB' }).first();
    await menuItem.waitFor();
    await oom.workbench.screenshot('analyze-hub-menu');
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
    await oom.workbench.screenshot('analyze-snapshots');
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
