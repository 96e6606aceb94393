import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { kubeconfigYaml } from '../builders/kubeconfig';
import { useOomLoopWorkbench } from '../harness/oomLoopWorkbench';
import {
  openInstalledWorkbench,
  openSidebar,
  reloadWindow,
  runFromPalette,
  setOpen,
  treeRows,
  waitForNotification,
  type Workbench,
} from '../harness/workbench';

/** The report page inside its webview (the workbench nests it in two frames). */
const reportFrame = (page: Page): FrameLocator =>
  page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

/** Waits for the quick input titled `title` and answers it by typing and pressing Enter. */
async function answerQuickInput(page: Page, title: string, text?: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor();
  const input = page.locator('.quick-input-widget input.input');
  if (text !== undefined) await input.fill(text);
  await page.keyboard.press('Enter');
}

const hostile = '<img src=x onerror=alert(1)> **Page** [on-call](https://evil.example)';
const summary = 'Operator summary: the hub ran out of memory at every start until the stress servers were stopped.';

describe('UI: incident journal and report in code-server', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openInstalledWorkbench({
      name: 'ui-report',
      settings: { 'jupyterhubOps.reportTimezone': 'America/New_York' },
      prepare(dirs) {
        dirs.writeKubeconfig(kubeconfigYaml([{ name: 'prod', namespace: 'stress-hub' }, { name: 'staging' }], 'prod'));
      },
    });
  });

  after(async () => {
    await workbench?.close();
  });

  it('starts an incident through its prompts and shows it recording', async () => {
    const { page } = workbench;
    await openSidebar(page);
    await runFromPalette(page, 'JupyterHub: Start Incident');
    await answerQuickInput(page, 'Start Incident (1/4)', 'stress-hub OOMKilled at start-up');
    await answerQuickInput(page, 'Start Incident (2/4)'); // the current context is ticked
    await answerQuickInput(page, 'Start Incident (3/4)'); // its namespace is ticked
    await answerQuickInput(page, 'Start Incident (4/4)'); // no severity
    const status = page.locator('.statusbar-item', { hasText: 'Incident ·' });
    await status.first().waitFor();
    assert.match(await status.first().innerText(), /Incident · < 1 min/);
    await page.locator('.monaco-list-row', { hasText: 'stress-hub OOMKilled at start-up' }).first().waitFor();
  });

  it('adds a timeline note typed in one line, and the Incident view shows it', async () => {
    const { page } = workbench;
    await runFromPalette(page, 'JupyterHub: Add Timeline Note');
    await answerQuickInput(page, 'Add Timeline Note', 'Helm upgrade restarted the hub #cause');
    await page.locator('.monaco-list-row', { hasText: 'Helm upgrade restarted the hub' }).first().waitFor();
    // A note can hold anything a person pastes: it must stay text everywhere.
    await runFromPalette(page, 'JupyterHub: Add Timeline Note');
    await answerQuickInput(page, 'Add Timeline Note', `${hostile} #action`);
    await page.locator('.monaco-list-row', { hasText: 'onerror' }).first().waitFor();
    const rows = await treeRows(page, 'Incident');
    assert.match(rows[0]!, /^stress-hub OOMKilled at start-up \| recording · < 1 min · times in E[SD]T$/);
    assert.match(
      rows[1]!,
      /^\d\d:\d\d {2}<img src=x onerror=alert\(1\)> \*\*Page\*\* \[on-call\]\(https:\/\/evil\.example\)$/,
    );
    assert.match(rows[2]!, /^\d\d:\d\d {2}Helm upgrade restarted the hub$/);
    await workbench.screenshot('report-incident-view');
  });

  it('drafts the report, keeps an edit of the summary across a page reload, without CSP violations', async () => {
    const { page } = workbench;
    await runFromPalette(page, 'JupyterHub: Draft Incident Report');
    let frame = reportFrame(page);
    await frame.locator('#section-summary').waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('h1').innerText(), 'stress-hub OOMKilled at start-up');
    await frame.locator('#history').waitFor();
    const headings = await frame.locator('.report-section h2').allInnerTexts();
    // The six sections, then what Prometheus adds: here one line saying why there is none (no cluster).
    assert.deepEqual(headings, [
      'Summary',
      'Impact',
      'Timeline',
      'Resolution',
      'What we learned',
      'Action items',
      'History from Prometheus',
    ]);
    await frame.locator('#history .history-problem').first().waitFor();
    assert.equal(await frame.locator('#history .history-problem').count(), 1);
    assert.match(await frame.locator('#section-timeline').innerText(), /All times in E[SD]T \(America\/New_York\)/);
    assert.match(await frame.locator('#section-timeline').innerText(), /Note: Helm upgrade restarted the hub/);
    await workbench.screenshot('report-draft');
    // The hostile note is an action item: shown as its text, nothing of it became markup.
    const actions = frame.locator('#section-actionItems');
    assert.match(
      await actions.innerText(),
      /<img src=x onerror=alert\(1\)> \*\*Page\*\* \[on-call\]\(https:\/\/evil\.example\)/,
    );
    assert.equal(await frame.locator('#app img, #app a, #app script, #app iframe, #app [onerror]').count(), 0);
    assert.equal(await actions.locator('li.task input[type=checkbox]').count(), 1);
    await actions.scrollIntoViewIfNeeded();
    await workbench.screenshot('report-action-items');

    await frame.locator('#section-summary vscode-button', { hasText: 'Edit' }).click();
    const area = frame.locator('#section-summary vscode-text-area textarea');
    await area.waitFor();
    await area.fill(summary);
    await frame.locator('#section-summary .section-status', { hasText: 'Edited · saved' }).waitFor();
    await workbench.screenshot('report-editing');

    await reloadWindow(page);
    // The panel comes back by itself (its serializer), showing the saved edit.
    frame = reportFrame(page);
    // The workbench restores the panel once the extension has activated again: slow on a loaded machine.
    await frame.locator('#section-summary').waitFor({ timeout: 120_000 });
    await frame.locator('#section-summary textarea, #section-summary .markdown').first().waitFor();
    const kept = await frame.locator('#section-summary').evaluate((section) => {
      const area = section.querySelector('vscode-text-area') as (HTMLElement & { value: string }) | null;
      return area ? area.value : (section.querySelector('.markdown')?.textContent ?? '');
    });
    assert.equal(kept, summary);
    await workbench.screenshot('report-after-reload');
    assert.deepEqual(workbench.cspViolations, []);
  });

  it('exports the report as Markdown into the workspace and opens it', async () => {
    const { page } = workbench;
    const frame = reportFrame(page);
    const done = frame.locator('#section-summary vscode-button', { hasText: 'Done' });
    if (await done.count()) await done.click();
    await frame.locator('.toolbar vscode-button', { hasText: 'Export' }).click();
    await frame.locator('.notice', { hasText: 'Exported to' }).waitFor();
    const folder = join(workbench.dirs.workspace, 'incident-reports');
    const [file] = readdirSync(folder);
    assert.match(file!, /^\d{4}-\d\d-\d\d-stress-hub-oomkilled-at-start-up\.md$/);
    const markdown = readFileSync(join(folder, file!), 'utf8');
    assert.match(markdown, new RegExp(`## Summary\\n\\n${summary}`));
    assert.match(markdown, /\*\*Note:\*\* Helm upgrade restarted the hub/);
    await page.locator('.tab', { hasText: file! }).first().waitFor();
    await workbench.screenshot('report-exported');
    assert.deepEqual(workbench.cspViolations, []);
  });
});

/** The rows of the open quick pick: label, description and whether it is ticked. */
async function quickPickRows(page: Page): Promise<{ label: string; description: string; picked: boolean }[]> {
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
  return page.locator('.quick-input-list .monaco-list-row').evaluateAll((rows) =>
    rows.map((row) => ({
      label: row.querySelector('.label-name')?.textContent ?? '',
      description: row.querySelector('.label-description')?.textContent ?? '',
      picked:
        row.getAttribute('aria-checked') === 'true' ||
        row.querySelector('[aria-checked="true"], input[type=checkbox]:checked') !== null,
    })),
  );
}

describe('UI: the OOM incident from the red hub to the exported report', () => {
  // The OOM loop (virtual ms): kills at 80 s, 170 s, 270 s, 390 s; runs start at 90 s, 190 s, 310 s.
  const ns = 'hub-physics';
  const secondBackOff = 171_000;
  const thirdKill = 270_000;
  const fourthRun = 320_000;
  const fourthKill = 390_000;
  // The hub has been crash-looping for minutes (2 restarts) when the operator opens VS Code.
  const oom = useOomLoopWorkbench({
    name: 'ui-report-oom',
    at: secondBackOff,
    live: true,
    settings: { 'jupyterhubOps.reportTimezone': 'America/New_York' },
  });

  it('starts the incident with the down hub ticked', async () => {
    const { page } = oom.workbench;
    await openSidebar(page);
    await setOpen(page, 'gke-prod');
    await page.locator('.monaco-list-row', { hasText: ns }).first().waitFor({ timeout: 60_000 });
    await runFromPalette(page, 'JupyterHub: Start Incident');
    await answerQuickInput(page, 'Start Incident (1/4)', 'hub-physics OOMKilled at start-up');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Start Incident (2/4)' }).waitFor();
    const contexts = await quickPickRows(page);
    assert.deepEqual(
      contexts.map((r) => [r.label, r.picked]),
      [['gke-prod', true]],
    );
    assert.match(contexts[0]!.description, /^current · 1 down/);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Start Incident (3/4)' }).waitFor();
    const hubs = await quickPickRows(page);
    assert.deepEqual(hubs[0], { label: ns, description: 'down', picked: true }, JSON.stringify(hubs));
    await oom.workbench.screenshot('report-start-incident-down-hub');
    await page.keyboard.press('Enter');
    await answerQuickInput(page, 'Start Incident (4/4)');
    await page.locator('.statusbar-item', { hasText: 'Incident ·' }).first().waitFor();
  });

  it('journals the next kills and the analysis of the snapshot taken between them', async () => {
    const { page } = oom.workbench;
    oom.timeline.advanceTo(thirdKill);
    await page
      .locator('.monaco-list-row', { hasText: /OOMKilled \(container hub, exit 137, 3 restarts\)/ })
      .first()
      .waitFor({ timeout: 60_000 });
    await runFromPalette(page, 'JupyterHub: Analyze Hub DB');
    const hubPick = page.locator('.quick-input-list .monaco-list-row', { hasText: ns });
    await hubPick.first().waitFor({ timeout: 60_000 });
    await hubPick.first().click();
    await waitForNotification(page, 'waiting for hub-');
    oom.timeline.advanceTo(fourthRun);
    const explorer = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await explorer.getByText('Will be OOMKilled').first().waitFor({ timeout: 90_000 });
    await page
      .locator('.monaco-list-row', { hasText: /^.*Hub DB analysis/ })
      .first()
      .waitFor({ timeout: 60_000 });
    oom.timeline.advanceTo(fourthKill);
    await page
      .locator('.monaco-list-row', { hasText: /exit 137, 4 restarts/ })
      .first()
      .waitFor({ timeout: 60_000 });
    await runFromPalette(page, 'View: Close All Editors');
  });

  it('exports a report whose Summary, evidence and advice have no loose ends', async () => {
    const { page } = oom.workbench;
    await runFromPalette(page, 'JupyterHub: Draft Incident Report');
    const frame = reportFrame(page);
    await frame.locator('#section-summary').waitFor({ timeout: 60_000 });
    assert.match(await frame.locator('#section-summary').innerText(), /Say what was done to resolve it/);
    // The operator writes the Resolution: the Summary stops asking for it, on the page and in the export.
    await frame.locator('#section-resolution vscode-button', { hasText: 'Edit' }).click();
    const area = frame.locator('#section-resolution vscode-text-area textarea');
    await area.waitFor();
    await area.fill('- Raised the hub memory limit to 4Gi (helm upgrade); the hub started and stayed up.');
    await frame.locator('#section-resolution .section-status', { hasText: 'Edited · saved' }).waitFor();
    await frame.locator('#section-resolution vscode-button', { hasText: 'Done' }).click();
    await frame
      .locator('#section-summary', { hasNotText: 'Say what was done to resolve it' })
      .waitFor({ timeout: 10_000 });
    await frame.locator('.toolbar vscode-button', { hasText: 'Export' }).click();
    await frame.locator('.notice', { hasText: 'Exported to' }).waitFor({ timeout: 60_000 });
    const folder = join(oom.workbench.dirs.workspace, 'incident-reports');
    const file = readdirSync(folder).find((f) => f.endsWith('.md'))!;
    const markdown = readFileSync(join(folder, file), 'utf8');

    assert.doesNotMatch(markdown, /Say what was done to resolve it/);
    // Kills and restarts agree: two journaled, and the two before recording began are said.
    assert.match(
      markdown,
      /the hub was OOMKilled twice between \d\d:\d\d and \d\d:\d\d E[DS]T; its pod's restart count reached 4: the 2 restarts before were not journaled/,
    );
    assert.match(markdown, /Verdict for JupyterHub 5\.3\.0: \*\*Will be OOMKilled\*\*/);
    assert.doesNotMatch(markdown, /\*\*oom\*\*/);
    assert.doesNotMatch(markdown, /: 0 named servers|: 1 named servers/);
    assert.match(markdown, /- stress-user: 1,500 named servers( and a default server)?, 700 running/);
    assert.equal(markdown.match(/upgrad\w* (first, )?to JupyterHub 5\.4\.3/gi)?.length, 1, markdown);

    await page.locator('.tab', { hasText: file }).first().waitFor();
    await page.locator('.editor-instance .view-line', { hasText: '## Summary' }).first().waitFor();
    await oom.workbench.screenshot('report-export');
    // The evidence, further down the same file.
    const namedLine = markdown.split('\n').indexOf('Users with the most named servers:') + 1;
    await runFromPalette(page, 'Go to Line/Column...');
    await page.keyboard.type(String(namedLine));
    await page.keyboard.press('Enter');
    await page
      .locator('.editor-instance .view-line', { hasText: 'Users with the most named servers' })
      .first()
      .waitFor();
    await oom.workbench.screenshot('report-export-evidence');
    assert.deepEqual(oom.workbench.cspViolations, []);
  });
});
