import assert from 'node:assert/strict';
import { delimiter, join } from 'node:path';
import type { Page } from 'playwright-core';
import { startTestServer, testTokens, type TestServer } from '../k8s-server';
import { findScenario, Timeline } from '../k8s-server/scenarios';
import {
  openInstalledWorkbench,
  openSidebar,
  setOpen,
  waitForClustersRow,
  waitForTreeRows,
  type Workbench,
} from '../harness/workbench';

/** Virtual time of the story: the hub has been OOMKilled 4 times, the class started 340 s ago. */
const storyMs = 400_000;
const context = 'gke-hub-cluster';

/** Waits until no context row is still "checking…" (each has its summary); returns the rows then. */
const waitForSummaries = (page: Page, count: number): Promise<string[]> =>
  waitForTreeRows(
    page,
    'Clusters',
    (rows) => rows.length === count && !rows.some((r) => r.includes('checking…')),
    'the context rows did not all get their summary',
  );

describe('UI: the Clusters view against a live (test) Kubernetes API', () => {
  let server: TestServer;
  let staging: TestServer;
  let workbench: Workbench;

  before(async () => {
    server = await startTestServer({
      tokens: testTokens('operator', 'physicsOnly', 'expiredCreds'),
    });
    // The demo story: an OOM-looping hub, a class start and a healthy hub in one cluster. Virtual time
    // catches up with the real clock at `storyMs`, so ages read as they would live.
    const timeline = new Timeline(server, findScenario('incident')!.steps(), {
      start: new Date(Date.now() - storyMs),
    });
    timeline.advanceTo(storyMs);
    // A second cluster with one healthy hub.
    staging = await startTestServer();
    new Timeline(staging, findScenario('healthy')!.steps(), { start: new Date(Date.now() - storyMs) }).advanceTo(
      storyMs,
    );
    const env: NodeJS.ProcessEnv = {};
    workbench = await openInstalledWorkbench({
      name: 'ui-clusters',
      env,
      prepare(dirs) {
        server.writeKubeconfig(dirs.kubeconfig, [
          { context, token: 'admin-token' },
          { context: 'physics-viewer', token: 'physics-only' },
          { context: 'expired-creds', token: 'expired-token' },
        ]);
        // Several clusters, merged from KUBECONFIG as kubectl does.
        staging.writeKubeconfig(join(dirs.home, '.kube/staging'), { context: 'staging' });
        env.KUBECONFIG = [dirs.kubeconfig, join(dirs.home, '.kube/staging')].join(delimiter);
      },
    });
    const { page } = workbench;
    await openSidebar(page);
  });

  after(async () => {
    await workbench?.close();
    await server?.close();
    await staging?.close();
  });

  it('says on each collapsed context row how its hubs are, worst first, at the default width', async () => {
    const { page } = workbench;
    const rows = await waitForSummaries(page, 4);
    assert.deepEqual(rows, [
      `${context} | 1 down · 1 degraded · 3 hubs · current`,
      'physics-viewer | not allowed (403)',
      'expired-creds | credentials rejected (401)',
      'staging | 1 hub · healthy',
    ]);
    await workbench.screenshot('clusters-collapsed');
    for (const label of [context, 'physics-viewer', 'expired-creds', 'staging']) {
      const row = page.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: label }) }).first();
      assert.equal(await row.getAttribute('aria-expanded'), 'false', `${label} stays collapsed`);
    }
  });

  it('shows the OOMKilled hub with its restarts, and its hub pod with memory against the limit', async () => {
    const { page } = workbench;
    // Room for the descriptions: widen the side bar by dragging its edge, fold the Incident view.
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    if (sidebar) {
      await page.mouse.move(sidebar.x + sidebar.width + 1, sidebar.y + sidebar.height / 2);
      await page.mouse.down();
      await page.mouse.move(sidebar.x + 760, sidebar.y + sidebar.height / 2, { steps: 5 });
      await page.mouse.up();
    }
    const incidentHeader = page.locator('.pane-header[aria-label^="Incident"]').first();
    if ((await incidentHeader.getAttribute('aria-expanded')) === 'true') await incidentHeader.click();
    await waitForClustersRow(page, new RegExp(`^${context}`));
    await setOpen(page, context);
    const hubs = await waitForClustersRow(page, /^hub-physics \| /);
    assert.ok(hubs.includes('hub-physics | down · OOMKilled ×4 · 5.3.0'), hubs.join('\n'));
    assert.ok(hubs.includes('hub-staff | ok · 5.4.3'), hubs.join('\n'));
    assert.ok(
      hubs.some((r) => /^hub-classroom \| degraded · 64 pending \/ 64 limit · 5\.3\.0$/.test(r)),
      hubs.join('\n'),
    );
    await setOpen(page, 'hub-physics');
    // The Hub group opens by itself: the hub pod, OOMKilled, its restarts and memory at the limit.
    const rows = await waitForClustersRow(page, /^hub-\S+ \| CrashLoopBackOff · OOMKilled \(137\)/);
    const hubPod = rows.find((r) => /^hub-\S+ \| CrashLoopBackOff/.test(r))!;
    assert.match(hubPod, / · OOMKilled \(137\) (?:\d+m)?\d+s ago · 4 restarts · 1\.9Gi \/ 2Gi · 9\d%$/);
    // The OOMKilled row is coloured as an error (a file decoration on the row's label).
    const pane = page.locator('.pane', { has: page.locator('.pane-header[aria-label^="Clusters"]') });
    const podRow = pane.locator('.monaco-list-row', { hasText: 'OOMKilled (137)' }).first();
    assert.equal(await podRow.locator('.codicon-error').count(), 1, await podRow.innerHTML());
    await setOpen(page, 'Events');
    await waitForClustersRow(page, /^OOMKilling ×4 \| /);
    await workbench.screenshot('clusters-oom-hub');
    await setOpen(page, 'hub-physics', false);
  });

  it('shows pending user servers during the class start, each with why it waits', async () => {
    const { page } = workbench;
    await setOpen(page, 'hub-classroom');
    await waitForClustersRow(page, /^User servers \| \d+ running · 64 pending/);
    await setOpen(page, 'User servers');
    const rows = await waitForClustersRow(page, / \| Pending · waiting for scale-up /);
    const pending = rows.filter((r) => / \| Pending · waiting for scale-up \d+m\d*s? · jupyter-/.test(r));
    assert.ok(pending.length >= 5, rows.join('\n'));
    await workbench.screenshot('clusters-class-start');
    // The hover: a Markdown tooltip with the scheduler's and autoscaler's own words.
    const pane = page.locator('.pane', { has: page.locator('.pane-header[aria-label^="Clusters"]') });
    await pane.locator('.monaco-list-row', { hasText: 'Pending · waiting for scale-up' }).first().hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'pod triggered scale-up' });
    await hover.first().waitFor({ timeout: 15_000 });
    assert.match(await hover.first().innerText(), /pending: waiting for scale-up/);
    await workbench.screenshot('clusters-pending-tooltip');
    assert.deepEqual(workbench.cspViolations, []);
  });
});
