import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { kubeconfigYaml } from '../builders/kubeconfig';
import { openInstalledWorkbench, openSidebar, runFromPalette, type Workbench } from '../harness/workbench';
import { writeOomNightJournal } from '../prometheus/incidentJournals';
import { usePrometheusHistories } from '../prometheus/usePrometheusHistories';

const reportFrame = (page: Page): FrameLocator =>
  page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

describe('UI: the incident report with its charts from Prometheus, in code-server', () => {
  const histories = usePrometheusHistories();
  let workbench: Workbench;

  before(async () => {
    workbench = await openInstalledWorkbench({
      name: 'ui-prometheus',
      // The context's Prometheus is the test Prometheus with the OOM night, at a URL (as a port-forward would be).
      settings: {
        'jupyterhubOps.reportTimezone': 'UTC',
        'jupyterhubOps.prometheus.urls': { prod: histories().prometheus.url },
      },
      prepare(dirs) {
        dirs.writeKubeconfig(kubeconfigYaml([{ name: 'prod' }], 'prod'));
        // Last night's incident, as the operator recorded it from 05:00 (four hours into the OOM loop).
        const incidents = join(dirs.userDataDir, 'User/globalStorage/jupyterhub-ops.jupyterhub-ops/incidents');
        mkdirSync(incidents, { recursive: true });
        writeOomNightJournal(incidents);
      },
    });
  });

  after(async () => {
    await workbench?.close();
  });

  it('backfills last night’s incident from Prometheus and shows the report with its charts and the replay', async () => {
    const { page } = workbench;
    await openSidebar(page);
    const pane = page.locator('.pane', { has: page.locator('.pane-header[aria-label^="Incident"]') });
    await pane.locator('.monaco-list-row', { hasText: 'All incidents (1)' }).first().click();
    const row = pane.locator('.monaco-list-row', { hasText: 'hub-physics OOMKilled at start-up' }).first();
    await row.hover();
    await row.locator('.action-label[aria-label^="Make Current Incident"]').click();
    await pane.locator('.monaco-list-row', { hasText: 'current ·' }).first().waitFor();

    await runFromPalette(page, 'JupyterHub: Backfill from Prometheus…');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Backfill from Prometheus' }).waitFor();
    await page.keyboard.press('Enter'); // 6 h before the start
    const done = page.locator('.notifications-toasts', { hasText: /added \d+ entries from Prometheus/ });
    await done.first().waitFor({ timeout: 60_000 });

    await runFromPalette(page, 'JupyterHub: Draft Incident Report');
    const frame = reportFrame(page);
    await frame.locator('#section-timeline').waitFor({ timeout: 60_000 });
    // The timeline now begins four hours before anyone looked: the first OOM kill, from Prometheus.
    assert.match(await frame.locator('#section-timeline').innerText(), /01:01[\s\S]*OOMKilled/);
    const charts = frame.locator('#history figure.chart svg');
    await charts.nth(3).waitFor({ timeout: 60_000 });
    assert.deepEqual(
      await frame.locator('#history figure.chart').evaluateAll((f) => f.map((x) => x.getAttribute('data-chart'))),
      ['memory', 'spawns', 'pending', 'nodes'],
    );
    assert.match(
      await frame.locator('#history .replay-summary').innerText(),
      /^The hub-restart rule would have fired at 01:0\d UTC; the incident was noticed at 05:00 UTC\.$/,
    );
    // Inserted as elements of the page, not markup: no script, no style attribute, no link.
    assert.equal(
      await frame.locator('#history script, #history [style], #history a, #history foreignObject').count(),
      0,
    );
    await frame.locator('#history').scrollIntoViewIfNeeded();
    await frame.locator('#history .section-header').evaluate((h) => h.scrollIntoView({ block: 'start' }));
    // How long the page took to rebuild the charts (figures only, no timed assertion): the longest build.
    const builds = await frame.locator('body').evaluate(() =>
      performance.getEntriesByName('hubops:charts').map((m) => ({
        ms: m.duration,
        ...((m as PerformanceMeasure).detail as { charts: number; svgChars: number }),
      })),
    );
    assert.ok(builds.length > 0, 'the page measured its charts');
    const slowest = builds.reduce((a, b) => (b.ms > a.ms ? b : a));
    console.log(
      `      charts in the webview: ${slowest.charts} charts, ${Math.round(slowest.svgChars / 1024)} KiB of SVG, rebuilt in ${slowest.ms.toFixed(1)} ms (slowest of ${builds.length} builds)`,
    );
    await workbench.screenshot('report-prometheus-charts');
    await charts.nth(2).evaluate((c) => c.scrollIntoView({ block: 'start' }));
    await workbench.screenshot('report-prometheus-charts-more');
    assert.deepEqual(workbench.cspViolations, []);
  });

  it('switches to the 2i2c postmortem template and copies the action items as an issue body', async () => {
    const { page } = workbench;
    const frame = reportFrame(page);
    await frame.locator('vscode-dropdown[aria-label="Report template"]').click();
    await frame.locator('vscode-option', { hasText: '2i2c postmortem' }).click();
    const postmortem = frame.locator('#postmortem');
    await postmortem.waitFor();
    const text = await postmortem.innerText();
    for (const heading of ['Overview', 'What Happened', 'Resolution', 'Action Items', 'Timeline'])
      assert.match(text, new RegExp(heading, 'i'));
    assert.match(text, /JupyterHubHubRestarted/);
    await frame.locator('vscode-button', { hasText: 'Copy Action Items as Issue Body' }).click();
    await frame.locator('.notice', { hasText: 'Copied the action items as a GitHub issue body.' }).waitFor();
    await postmortem.evaluate((s) => s.scrollIntoView({ block: 'start' }));
    await workbench.screenshot('report-prometheus-postmortem');
    assert.deepEqual(workbench.cspViolations, []);
  });
});
