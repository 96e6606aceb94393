import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launchChromium, openWorkbench } from '../harness/browser';
import { startDemo, type RunningDemo } from '../demo/startDemo';
import { screenshotDir } from './support/workbench';
import { openSidebar, runFromPalette, setOpen, treeRows } from './support/workbench';

describe('UI: the demo (npm run demo) in code-server', () => {
  let demo: RunningDemo;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  before(async () => {
    demo = await startDemo({ speed: 30 });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('shows the simulated incident: the OOM-looping hub, the class start and the healthy hub', async () => {
    const page = await openWorkbench(browser.context, demo.workbenchUrl);
    if (await page.locator('.part.auxiliarybar').isVisible())
      await runFromPalette(page, 'View: Toggle Secondary Side Bar Visibility');
    await openSidebar(page);
    await setOpen(page, 'demo-cluster');
    await page.locator('.monaco-list-row', { hasText: 'hub-staff' }).first().waitFor({ timeout: 60_000 });
    await setOpen(page, 'hub-physics');
    await setOpen(page, 'hub-classroom');
    const rows = await treeRows(page, 'Clusters');
    for (const hub of ['hub-physics', 'hub-classroom', 'hub-staff'])
      assert.ok(
        rows.some((r) => r.startsWith(`${hub} | 5.`)),
        `${hub} in ${rows.join('\n')}`,
      );
    assert.ok(
      rows.some((r) => /^hub-staff \| 5\.4\.3 · ok/.test(r)),
      rows.join('\n'),
    );
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: `${screenshotDir}/demo.png` });
  });
});
