// Loaded by mocha before the UI test files: when a test fails, what was on the screen is kept as a
// screenshot and summarised in the log (dialogs, notifications, the quick input), so a failure on a CI
// machine can be read without re-running it.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { outputDir } from './toolPaths';

/** Pages of the workbenches currently open, registered by openInstalledWorkbench. */
export const openPages = new Set<Page>();

async function visibleTexts(page: Page, selector: string): Promise<string[]> {
  return page
    .locator(selector)
    .evaluateAll((nodes) =>
      nodes
        .filter((n) => (n as HTMLElement).offsetParent !== null)
        .map((n) => (n.textContent ?? '').replace(/\s+/g, ' ').trim())
        .filter(Boolean),
    )
    .catch(() => []);
}

export const mochaHooks = {
  async afterEach(this: Mocha.Context) {
    const test = this.currentTest;
    if (test?.state !== 'failed' || openPages.size === 0) return;
    const screenshotDir = join(outputDir, 'screenshots');
    const name = `FAILED-${test
      .fullTitle()
      .replace(/[^A-Za-z0-9]+/g, '-')
      .slice(0, 100)}`;
    let n = 0;
    for (const page of openPages) {
      const file = join(screenshotDir, `${name}${n++ ? `-${n}` : ''}.png`);
      await page.screenshot({ path: file }).catch(() => undefined);
      const seen = {
        dialogs: await visibleTexts(page, '.monaco-dialog-box'),
        notifications: await visibleTexts(page, '.notifications-toasts .notification-list-item'),
        quickInput: await visibleTexts(
          page,
          '.quick-input-widget .quick-input-title, .quick-input-widget .quick-input-message',
        ),
        menus: await visibleTexts(page, '.monaco-menu .action-label'),
        editors: await visibleTexts(page, '.tabs-container .tab .label-name'),
      };
      console.log(`      on screen at the failure (${file}): ${JSON.stringify(seen)}`);
    }
  },
};
