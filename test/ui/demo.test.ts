import { mkdirSync } from 'node:fs';
import { launchChromium, openWorkbench } from '../harness/browser';
import { checkDemoHubs } from '../demo/demoCheck';
import { startDemo, type RunningDemo } from '../demo/startDemo';
import { screenshotDir } from '../harness/workbench';

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
    await checkDemoHubs(page);
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: `${screenshotDir}/demo.png` });
  });
});
