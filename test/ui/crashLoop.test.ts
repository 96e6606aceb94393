import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCalibrationDb } from '../builders/hubDb';
import { startTestServer, type TestServer } from '../k8s-server';
import { findScenario, Timeline } from '../k8s-server/scenarios';
import type { Pod } from '../k8s-server/wireTypes';
import { openInstalledWorkbench, openSidebar, runFromPalette, type Workbench } from '../harness/workbench';

const ns = 'hub-physics';
/** The OOM loop (virtual ms): run 1 is killed at 80 s, back-off 10 s, run 2 killed at 170 s, back-off 20 s. */
const inSecondBackOff = 80_000 + 10_000 + 80_000 + 1_000;
const thirdRun = 80_000 + 10_000 + 80_000 + 20_000;
const inThirdBackOff = thirdRun + 80_000 + 1_000;

describe('UI: Analyze Hub DB on a hub in CrashLoopBackOff', () => {
  let server: TestServer;
  let timeline: Timeline;
  let workbench: Workbench;

  const hubPodNow = () =>
    (server.cluster.list('pods', ns) as Pod[]).find((p) => p.metadata.labels?.component === 'hub')!;
  const podNames = () => (server.cluster.list('pods', ns) as Pod[]).map((p) => p.metadata.name);

  before(async () => {
    server = await startTestServer();
    workbench = await openInstalledWorkbench({
      name: 'ui-crashloop',
      async prepare(dirs) {
        const bytes = await buildCalibrationDb({ stressServers: 1500, stressRunning: 700, ordinaryUsers: 198 });
        const hubDbFile = join(dirs.root, 'incident-hub.sqlite');
        writeFileSync(hubDbFile, bytes);
        // Virtual time meets the real clock in the second back-off, so the kubelet's times read as live.
        const start = Math.floor(Date.now() / 1000) * 1000 - inSecondBackOff;
        timeline = new Timeline(server, findScenario('oom-loop')!.steps({ hubDbFile }), { start: new Date(start) });
        timeline.advanceTo(inSecondBackOff);
        mkdirSync(join(dirs.home, '.kube'), { recursive: true });
        server.writeKubeconfig(join(dirs.home, '.kube/config'), { context: 'gke-prod' });
      },
    });
  });

  after(async () => {
    await workbench?.close();
    await server?.close();
  });

  it('waits through the back-off, snapshots the moment the hub runs, and shows the verdict (no retry)', async () => {
    const { page } = workbench;
    assert.equal(hubPodNow().status.containerStatuses?.[0]?.state.waiting?.reason, 'CrashLoopBackOff');
    await openSidebar(page);
    await runFromPalette(page, 'JupyterHub: Analyze Hub DB');
    const hubPick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'hub-physics' });
    await hubPick.first().waitFor({ timeout: 60_000 });
    await hubPick.first().click();

    // The progress notification says where the container is, in the operator's words.
    const waiting = page.locator('.notification-toast', { hasText: 'waiting for hub-' });
    await waiting.first().waitFor({ timeout: 60_000 });
    assert.match(
      await waiting.first().innerText(),
      /Snapshot of hub-physics's hub DB[\s\S]*waiting for hub-\S+ to start, restart 2, back-off \d+s/,
    );
    await workbench.screenshot('analyze-waiting-snapshot');

    // The kubelet starts the next run: the snapshot is taken then, without anyone asking again.
    timeline.advanceTo(thirdRun);
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await frame.getByText('Will be OOMKilled').first().waitFor({ timeout: 60_000 });
    assert.match(
      await frame.locator('.verdict-headline').first().innerText(),
      /5\.0\.0-5\.3\.0 would need .* over the hub's 2Gi limit/,
    );
    assert.deepEqual(workbench.cspViolations, []);
  });

  it('copies through a helper pod only after showing the exact pod, and deletes it afterwards', async () => {
    const { page } = workbench;
    timeline.advanceTo(inThirdBackOff);
    assert.equal(hubPodNow().status.containerStatuses?.[0]?.state.waiting?.reason, 'CrashLoopBackOff');
    const before = podNames();
    await runFromPalette(page, 'JupyterHub: Copy Hub DB via Helper Pod…');
    const hubPick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'hub-physics' });
    await hubPick.first().waitFor({ timeout: 60_000 });
    await hubPick.first().click();

    // The exact pod is open in an editor, and a modal dialog asks before anything is created.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    assert.match(await dialog.innerText(), /Create pod hubops-db-copy-\S+ in namespace hub-physics/);
    assert.match(await dialog.innerText(), /read-only/);
    // (the editor draws spaces as no-break spaces, which \s matches)
    await page
      .locator('.view-line', { hasText: /name:\s+hubops-db-copy-/ })
      .first()
      .waitFor();
    assert.deepEqual(podNames(), before, 'nothing is created before the operator agrees');
    await workbench.screenshot('helper-pod-confirm');
    await dialog.getByRole('button', { name: 'Create Pod' }).click();

    const frame = page.frameLocator('iframe.webview.ready >> nth=1').frameLocator('#active-frame');
    await frame.getByText('Will be OOMKilled').first().waitFor({ timeout: 90_000 });
    // The helper pod was deleted once the copy was taken.
    const deadline = Date.now() + 30_000;
    while (podNames().some((n) => n.startsWith('hubops-db-copy-')) && Date.now() < deadline)
      await page.waitForTimeout(200);
    assert.deepEqual(podNames(), before);
  });
});
