import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchChromium, openWorkbench } from './browser';
import { makeIsolatedDirs, type IsolatedDirs } from './isolatedDirs';
import { openPages } from './uiFailureEvidence';
import { installVsix, startCodeServer, type RunningServer } from './vscodeServers';
import { outputDir, repoRoot } from './toolPaths';

export const vsixPath = join(repoRoot, 'dist-vsix/jupyterhub-ops.vsix');
export const screenshotDir = join(outputDir, 'screenshots');

export interface Workbench {
  page: Page;
  dirs: IsolatedDirs;
  server: RunningServer;
  /** CSP violations reported inside any frame (webviews included), as `directive: blocked URI`. */
  cspViolations: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * code-server 4.139.1 with the packaged VSIX installed, as an operator would run it, opened in Debian's
 * Chromium. `prepare` writes files into the isolated HOME (e.g. ~/.kube/config) before the server starts.
 */
export async function openInstalledWorkbench(
  options: {
    name: string;
    env?: NodeJS.ProcessEnv;
    settings?: Record<string, unknown>;
    prepare?(dirs: IsolatedDirs): void | Promise<void>;
  } = {
    name: 'ui',
  },
): Promise<Workbench> {
  if (!existsSync(vsixPath)) throw new Error(`${vsixPath} is missing: run npm run package first`);
  const dirs = makeIsolatedDirs(options.name);
  await options.prepare?.(dirs);
  dirs.writeSettings({ 'workbench.colorTheme': 'Default Dark Modern', ...options.settings });
  await installVsix(dirs, vsixPath);
  const server = await startCodeServer(dirs, { env: options.env });
  const browser = await launchChromium();
  const cspViolations: string[] = [];
  await browser.context.exposeBinding('__hubopsCspViolation', (_source, text: string) => cspViolations.push(text));
  await browser.context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (globalThis as unknown as { __hubopsCspViolation?(t: string): void }).__hubopsCspViolation?.(
        `${e.violatedDirective}: ${e.blockedURI}`,
      );
    });
  });
  const page = await openWorkbench(browser.context, `${server.url}/?folder=${encodeURIComponent(dirs.workspace)}`);
  mkdirSync(screenshotDir, { recursive: true });
  // The chat side bar opens on first start whatever the settings say; close it so screenshots show our views.
  if (await page.locator('.part.auxiliarybar').isVisible()) {
    await runFromPalette(page, 'View: Toggle Secondary Side Bar Visibility');
    await page.locator('.part.auxiliarybar').waitFor({ state: 'hidden' });
  }
  openPages.add(page);
  return {
    page,
    dirs,
    server,
    cspViolations,
    async screenshot(name) {
      const file = join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      openPages.delete(page);
      await browser.close();
      await server.stop();
      if (!process.env.HUBOPS_KEEP_RUN) dirs.remove();
    },
  };
}

/** Opens the JupyterHub Ops container in the activity bar. */
export async function openSidebar(page: Page): Promise<void> {
  await page.locator('.activitybar [aria-label^="JupyterHub Ops"]').first().click();
  await page.locator('.pane-header[aria-label^="Clusters"]').first().waitFor();
}

/** Runs a command from the command palette by its title, as a person types it. */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * Reloads the window as a person does ("Developer: Reload Window"): the workbench saves its state (the open
 * editors and their webviews) before it goes. A bare `page.reload()` can leave before the browser's storage is
 * written, and the tabs are then gone after it (seen in CI for the explorer and the report).
 */
export async function reloadWindow(page: Page): Promise<void> {
  const loaded = page.waitForEvent('load', { timeout: 60_000 });
  await runFromPalette(page, 'Developer: Reload Window');
  await loaded;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
}

/**
 * Waits (up to `timeoutMs`) for a notification that contains `text` and returns its text. VS Code shows as
 * many toasts as fit, newest first: one that a newer toast pushed out is only in the notification center,
 * so when no toast has it, look there (opened for the look, closed again), as a person would.
 */
export async function waitForNotification(page: Page, text: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const toast = page.locator('.notification-toast', { hasText: text }).first();
  for (;;) {
    const shown = await toast.waitFor({ timeout: 3_000 }).then(
      () => true,
      () => false,
    );
    if (shown) return toast.innerText();
    await runFromPalette(page, 'Notifications: Show Notifications');
    const listed = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
    const found = await listed.waitFor({ timeout: 2_000 }).then(
      () => listed.innerText(),
      () => undefined,
    );
    await runFromPalette(page, 'Notifications: Hide Notifications');
    if (found !== undefined) {
      console.log(`      (the notification "${text}" was in the notification center, not a toast)`);
      return found;
    }
    if (Date.now() > deadline) throw new Error(`no notification with "${text}" within ${timeoutMs / 1000} s`);
  }
}

/**
 * Right-clicks `row` and runs `item` from its context menu. A click that lands as the menu opens can be
 * ignored (the menu stays open, the item highlighted), so, like a person, click again while it stays open.
 */
export async function runFromContextMenu(page: Page, row: Locator, item: string): Promise<void> {
  await row.click({ button: 'right' });
  const entry = page.locator('.monaco-menu .action-item', { hasText: item }).first();
  await entry.waitFor();
  for (let attempt = 0; attempt < 5; attempt++) {
    await entry.click();
    try {
      await entry.waitFor({ state: 'hidden', timeout: 2_000 });
      return;
    } catch {
      console.log(`      (the context menu stayed open after a click on "${item}"; clicking again)`);
    }
  }
  throw new Error(`the context menu kept "${item}" open through 5 clicks`);
}

/** The rows of one view of the sidebar as `label | description`, as a person reads them. */
export async function treeRows(page: Page, viewName: string): Promise<string[]> {
  const pane = page.locator('.pane', { has: page.locator(`.pane-header[aria-label^="${viewName}"]`) });
  return pane.locator('.monaco-list-row').evaluateAll((rows) =>
    rows.map((row) => {
      const label = row.querySelector('.label-name')?.textContent ?? '';
      const description = row.querySelector('.label-description')?.textContent ?? '';
      return description ? `${label} | ${description}` : label;
    }),
  );
}

/**
 * Waits (up to 30 s) until the rows of `viewName` satisfy `done`, polling as the live tree updates; returns
 * the rows then. The error names `what` was awaited and lists the rows last seen.
 */
export async function waitForTreeRows(
  page: Page,
  viewName: string,
  done: (rows: string[]) => boolean,
  what: string,
): Promise<string[]> {
  let rows: string[] = [];
  for (let i = 0; i < 300; i++) {
    rows = await treeRows(page, viewName);
    if (done(rows)) return rows;
    await page.waitForTimeout(100);
  }
  throw new Error(`${what} in the ${viewName} view; rows: ${JSON.stringify(rows, null, 1)}`);
}

/** Waits until the Clusters view shows a row matching `pattern`; returns every row then. */
export const waitForClustersRow = (page: Page, pattern: RegExp): Promise<string[]> =>
  waitForTreeRows(page, 'Clusters', (rows) => rows.some((r) => pattern.test(r)), `no row matching ${pattern}`);

/**
 * Opens (or closes) a row by clicking it, as a person does. The tree is live: a watch event can re-render
 * the row under the click, so, like a person, click again until the row is in the wanted state.
 */
export async function setOpen(page: Page, label: string, open = true): Promise<void> {
  const pane = page.locator('.pane', { has: page.locator('.pane-header[aria-label^="Clusters"]') });
  const row = pane.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: label }) }).first();
  for (let attempt = 0; attempt < 5; attempt++) {
    for (let i = 0; i < 20; i++) {
      if ((await row.getAttribute('aria-expanded')) === String(open)) return;
      if (i === 0) await row.click();
      await page.waitForTimeout(100);
    }
  }
  throw new Error(`the row ${label} did not ${open ? 'open' : 'close'}`);
}
