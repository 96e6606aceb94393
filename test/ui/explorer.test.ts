import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { inertText } from '../../src/shared/untrustedText';
import { buildHubDb, calibrationShape, HOSTILE_NAMES } from '../builders/hubDb';
import { openInstalledWorkbench, runFromPalette, type Workbench } from '../harness/workbench';

/** The explorer page inside its webview (the workbench nests it in two frames). */
const explorer = (page: Page): FrameLocator => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

/** Opens a workspace file by name with Quick Open: *.sqlite and *.db open in the explorer by default. */
async function openFile(page: Page, name: string): Promise<FrameLocator> {
  await runFromPalette(page, 'View: Close All Editors');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor();
  return explorer(page);
}

/** Waits until the browser clipboard (where code-server's editor clipboard writes) holds `text`. */
async function waitForClipboard(page: Page, text: string): Promise<void> {
  await page.waitForFunction((expected) => navigator.clipboard.readText().then((t) => t === expected), text);
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const MILLION = `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000000) SELECT x, printf('user-%07d', x) AS name FROM n`;

describe('UI: the hub DB explorer in code-server', () => {
  let workbench: Workbench;
  let hubDb = '';
  let hubDbHash = '';
  const dialogs: string[] = [];

  before(async () => {
    const shape = calibrationShape({ stressServers: 300, stressRunning: 150 });
    shape.users.push(...HOSTILE_NAMES.map((name) => ({ name, servers: [{ name, running: true }] })));
    const bytes = await buildHubDb(shape);
    workbench = await openInstalledWorkbench({
      name: 'ui-explorer',
      prepare(dirs) {
        hubDb = join(dirs.workspace, 'jupyterhub.sqlite');
        writeFileSync(hubDb, bytes);
        writeFileSync(join(dirs.workspace, 'empty.sqlite'), '');
      },
    });
    hubDbHash = sha(hubDb);
    // A payload that ran would open a dialog (alert) from inside the webview.
    workbench.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });

  after(async () => {
    await workbench?.close();
  });

  it('opens a hub DB in the explorer: tables with row counts, schema, secrets hidden', async () => {
    const frame = await openFile(workbench.page, 'jupyterhub.sqlite');
    const users = frame.locator('.table-entry', { has: frame.locator('.table-name', { hasText: /^users$/ }) });
    await users.waitFor({ timeout: 30_000 });
    assert.equal(await users.locator('.table-count').innerText(), String(201 + HOSTILE_NAMES.length));
    assert.match(await frame.locator('.pill.hub-hub').innerText(), /JupyterHub 5\.0–5\.5 schema/);
    assert.equal(await frame.locator('#secrets-state').innerText(), 'Secrets hidden');
    await users.locator('summary').click();
    const cookie = users.locator('.schema-columns tr', { hasText: 'cookie_id' });
    assert.match(await cookie.innerText(), /NOT NULL · secret/);
    await workbench.screenshot('explorer-tables');
  });

  it('runs a query; user and server names with HTML/JS payloads stay text', async () => {
    const frame = explorer(workbench.page);
    await frame.locator('.table-open[aria-label="Query spawners"]').click();
    await frame.locator('.status', { hasText: /rows/ }).waitFor();
    const editor = frame.locator('vscode-text-area textarea');
    await editor.fill(
      "SELECT users.name AS user, spawners.name AS server, users.cookie_id FROM users JOIN spawners ON spawners.user_id = users.id WHERE users.name NOT LIKE 'user-%' AND users.name <> 'stress-user' ORDER BY users.id",
    );
    await editor.press('Control+Enter');
    await frame.locator('.status', { hasText: `${HOSTILE_NAMES.length} rows` }).waitFor();
    await frame.locator('.grid-row:not(.loading)[data-row="0"]').waitFor();
    const cells = await frame
      .locator('.grid-rows .grid-row')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('[role="gridcell"]')].map((c) => c.textContent ?? '')),
      );
    // Drawn as text; line breaks and invisible controls (a bidi override) shown for what they are.
    const drawn = HOSTILE_NAMES.map((name) => inertText(name, 'line'));
    assert.ok(drawn.includes('\\u202eevil\\u202c') && drawn.includes('line1\\nline2\\r\\tend'));
    assert.deepEqual(
      cells.map((r) => r[0]),
      drawn,
    );
    assert.deepEqual(
      cells.map((r) => r[1]),
      drawn,
    );
    assert.ok(cells.every((r) => r[2] === '‹redacted›'));
    // Nothing the payloads describe exists as markup: no <img>, no inline handler, nothing ran.
    assert.equal(await frame.locator('img').count(), 0);
    assert.equal(await frame.locator('[onerror], [onload], [onclick]').count(), 0);
    assert.deepEqual(dialogs, []);
    await workbench.screenshot('explorer-hostile-names');
  });

  it('copies a cell and a row through the editor clipboard', async () => {
    const { page } = workbench;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const frame = explorer(page);
    await frame.locator('.grid-row[data-row="1"] [role="gridcell"]').first().click();
    await frame.locator('#copy-cell').click();
    await waitForClipboard(page, HOSTILE_NAMES[1]!);
    await frame.locator('#copy-row').click();
    await waitForClipboard(page, `${HOSTILE_NAMES[1]}\t${HOSTILE_NAMES[1]}\t‹redacted›`);
  });

  it('reveals secrets only after the operator confirms, for this editor', async () => {
    const { page } = workbench;
    const frame = explorer(page);
    await frame.locator('#toggle-secrets').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Reveal secrets in jupyterhub\.sqlite for this editor\?/);
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    assert.equal(await frame.locator('#secrets-state').innerText(), 'Secrets hidden');
    await frame.locator('#toggle-secrets').click();
    await dialog.locator('.monaco-button', { hasText: 'Reveal Secrets' }).click();
    await frame.locator('#secrets-state', { hasText: 'Secrets visible in this editor' }).waitFor();
    // The query runs again: the cookie ids (fake secrets from the builder) show.
    await frame
      .locator('.grid-row:not(.loading)[data-row="0"] [role="gridcell"]', { hasText: 'fake-secret-cookie' })
      .waitFor();
    await workbench.screenshot('explorer-secrets-revealed');
    await frame.locator('#toggle-secrets').click();
    await frame.locator('#secrets-state', { hasText: 'Secrets hidden' }).waitFor();
    await frame.locator('.grid-row:not(.loading)[data-row="0"] .cell-redacted').waitFor();
  });

  it('exports the result to a CSV file chosen in the save dialog', async () => {
    const { page } = workbench;
    const frame = explorer(page);
    await frame.locator('#export-csv').click();
    const input = page.locator('.quick-input-widget input');
    // The save dialog fills in its default name after it opens: typing before that would be overwritten.
    await page.waitForFunction(() =>
      document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value.endsWith('-result.csv'),
    );
    const target = join(workbench.dirs.workspace, 'hostile.csv');
    await input.fill(target);
    await page.waitForFunction(
      (t) => document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value === t,
      target,
    );
    await page.keyboard.press('Enter');
    await frame.locator('.status', { hasText: `Exported ${HOSTILE_NAMES.length} rows` }).waitFor();
    const lines = readFileSync(target, 'utf8').split('\r\n');
    assert.equal(lines[0], 'user,server,cookie_id');
    assert.equal(lines[4], '$(touch /tmp/hubops-pwned),$(touch /tmp/hubops-pwned),‹redacted›');
  });

  it('puts a SQL error in place of the previous result, with nothing left to export', async () => {
    const frame = explorer(workbench.page);
    const editor = frame.locator('vscode-text-area textarea');
    await editor.fill('SELECT count(*) AS users FROM users');
    await editor.press('Control+Enter');
    await frame.locator('.grid-row:not(.loading)[data-row="0"]').waitFor();
    assert.equal(await frame.locator('#export-csv').getAttribute('disabled'), null);
    await editor.fill('SELEC name FROM users');
    await editor.press('Control+Enter');
    await frame.locator('.result-error', { hasText: 'syntax error' }).waitFor();
    assert.equal(await frame.locator('.grid-rows .grid-row').count(), 0);
    assert.notEqual(await frame.locator('#export-csv').getAttribute('disabled'), null);
    assert.notEqual(await frame.locator('#export-json').getAttribute('disabled'), null);
    await workbench.screenshot('explorer-sql-error');
  });

  it('cancels a runaway query and keeps working', async () => {
    const frame = explorer(workbench.page);
    const editor = frame.locator('vscode-text-area textarea');
    await editor.fill('WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n');
    await editor.press('Control+Enter');
    await frame.locator('.status', { hasText: 'Running…' }).waitFor();
    await frame.locator('#cancel-query').click();
    await frame.locator('.status', { hasText: 'Cancelled.' }).waitFor();
    await editor.fill('SELECT count(*) AS users FROM users');
    await editor.press('Control+Enter');
    await frame
      .locator('.grid-row:not(.loading)[data-row="0"] [role="gridcell"]', {
        hasText: String(201 + HOSTILE_NAMES.length),
      })
      .waitFor();
  });

  it('scrolls a 1,000,000-row result with only the visible rows in the DOM', async () => {
    const frame = explorer(workbench.page);
    const editor = frame.locator('vscode-text-area textarea');
    await editor.fill(MILLION);
    await editor.press('Control+Enter');
    await frame.locator('.status', { hasText: '1,000,000 rows' }).waitFor({ timeout: 60_000 });
    const grid = frame.locator('.grid');
    await grid.evaluate((g) => (g.scrollTop = g.scrollHeight));
    await frame.locator('.grid-row:not(.loading)[data-row="999999"]').waitFor();
    const last = frame.locator('.grid-row[data-row="999999"] [role="gridcell"]');
    assert.deepEqual(await last.allInnerTexts(), ['1000000', 'user-1000000']);
    const inDom = await frame.locator('.grid-rows .grid-row').count();
    assert.ok(inDom > 5 && inDom < 100, `${inDom} rows in the DOM`);
    // Past a few million pixels the scrollbar is scaled: halfway down is about row 500,000.
    await grid.evaluate((g) => (g.scrollTop = g.scrollHeight / 2));
    const middle = frame.locator('.grid-rows .grid-row:not(.loading)').first();
    await middle.waitFor();
    const row = Number(await middle.getAttribute('data-row'));
    assert.ok(Math.abs(row - 500_000) < 100, `row ${row} at half-way`);
    assert.equal(await middle.locator('[role="gridcell"]').first().innerText(), String(row + 1));
    await workbench.screenshot('explorer-million-rows');

    await frame.locator('.grid-head[data-column="0"]').click(); // ascending
    await frame.locator('.status', { hasText: 'sorted by x ▲' }).waitFor({ timeout: 60_000 });
    await frame.locator('.grid-head[data-column="0"]').click(); // descending
    await frame.locator('.status', { hasText: 'sorted by x ▼' }).waitFor({ timeout: 60_000 });
    await frame.locator('.grid-row:not(.loading)[data-row="0"]').waitFor();
    assert.equal(await frame.locator('.grid-row[data-row="0"] [role="gridcell"]').first().innerText(), '1000000');
  });

  it('shows EXPLAIN QUERY PLAN as a tree', async () => {
    const frame = explorer(workbench.page);
    await frame
      .locator('vscode-text-area textarea')
      .fill('SELECT * FROM users JOIN spawners ON spawners.user_id = users.id WHERE spawners.server_id IS NOT NULL');
    await frame.locator('#explain-query').click();
    await frame.locator('.plan-tree').waitFor();
    const steps = await frame.locator('.plan-step').allInnerTexts();
    assert.ok(
      steps.some((s) => /^SCAN spawners/.test(s)),
      steps.join(' | '),
    );
    await workbench.screenshot('explorer-query-plan');
  });

  it('analyzes the start-up query: verdict first, offenders, remediation', async () => {
    const frame = explorer(workbench.page);
    await frame.locator('vscode-panel-tab#tab-analysis').click();
    await frame.locator('vscode-text-field.limit-field input').fill('256Mi');
    await frame.locator('#run-analysis').click();
    const verdict = frame.locator('#verdict');
    await verdict.waitFor({ timeout: 60_000 });
    assert.match(await verdict.locator('h2').innerText(), /^Will be OOMKilled · JupyterHub 5\.0\.0-5\.3\.0/);
    const offenders = frame.locator('.analysis-section', { has: frame.locator('h3', { hasText: 'Offenders' }) });
    assert.equal(await offenders.locator('tbody tr').first().locator('td').first().innerText(), 'stress-user');
    const yaml = frame.locator('.code-block', { has: frame.locator('.code-title', { hasText: 'z2jh values.yaml' }) });
    assert.match(await yaml.locator('pre').innerText(), /named_server_limit_per_user/);
    await workbench.screenshot('explorer-analysis');
  });

  it('says why an empty file cannot be opened, inside the editor', async () => {
    const frame = await openFile(workbench.page, 'empty.sqlite');
    const problem = frame.locator('.file-problem');
    await problem.waitFor({ timeout: 30_000 });
    assert.equal(await problem.locator('h1').innerText(), 'Cannot open empty.sqlite');
    assert.match(await problem.locator('.problem-message').innerText(), /The file is empty \(0 bytes\)/);
    await workbench.screenshot('explorer-empty-file');
  });

  it('changed nothing: the DB file is as it was, and no CSP violation was reported', () => {
    assert.equal(sha(hubDb), hubDbHash);
    assert.deepEqual(workbench.cspViolations, []);
    assert.deepEqual(dialogs, []);
  });
});
