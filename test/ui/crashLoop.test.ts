import assert from 'node:assert/strict';
import type { Pod } from '../k8s-server/wireTypes';
import { useOomLoopWorkbench } from '../harness/oomLoopWorkbench';
import { openSidebar, runFromPalette, waitForNotification } from '../harness/workbench';

const ns = 'hub-physics';
/** The OOM loop (virtual ms): run 1 is killed at 80 s, back-off 10 s, run 2 killed at 170 s, back-off 20 s. */
const inSecondBackOff = 80_000 + 10_000 + 80_000 + 1_000;
const thirdRun = 80_000 + 10_000 + 80_000 + 20_000;
const inThirdBackOff = thirdRun + 80_000 + 1_000;

describe('UI: Analyze Hub DB on a hub in CrashLoopBackOff', () => {
  // Virtual time meets the real clock in the second back-off, so the kubelet's times read as live.
  const oom = useOomLoopWorkbench({ name: 'ui-crashloop', at: inSecondBackOff, live: true });

  const hubPodNow = () =>
    (oom.server.cluster.list('pods', ns) as Pod[]).find((p) => p.metadata.labels?.component === 'hub')!;
  const podNames = () => (oom.server.cluster.list('pods', ns) as Pod[]).map((p) => p.metadata.name);

  it('waits through the back-off, snapshots the moment the hub runs, and shows the verdict (no retry)', async () => {
    const { page } = oom.workbench;
    assert.equal(hubPodNow().status.containerStatuses?.[0]?.state.waiting?.reason, 'CrashLoopBackOff');
    await openSidebar(page);
    await runFromPalette(page, 'JupyterHub: Analyze Hub DB');
    const hubPick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'hub-physics' });
    await hubPick.first().waitFor({ timeout: 60_000 });
    await hubPick.first().click();

    // The progress notification says where the container is, in the operator's words.
    assert.match(
      await waitForNotification(page, 'waiting for hub-'),
      /Snapshot of hub-physics's hub DB[\s\S]*waiting for hub-\S+ to start, restart 2, back-off \d+s/,
    );
    await oom.workbench.screenshot('analyze-waiting-snapshot');

    // The kubelet starts the next run: the snapshot is taken then, without anyone asking again.
    oom.timeline.advanceTo(thirdRun);
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await frame.getByText('Will be OOMKilled').first().waitFor({ timeout: 60_000 });
    assert.match(
      await frame.locator('.verdict-headline').first().innerText(),
      /5\.0\.0-5\.3\.0 would need .* over the hub's 2Gi limit/,
    );
    assert.deepEqual(oom.workbench.cspViolations, []);
  });

  it('copies through a helper pod only after showing the exact pod, and deletes it afterwards', async () => {
    const { page } = oom.workbench;
    oom.timeline.advanceTo(inThirdBackOff);
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
    await oom.workbench.screenshot('helper-pod-confirm');
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
