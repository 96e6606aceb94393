import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../k8s-server';
import { hubPod, namespace, node, oomKilled } from '../k8s-server/objects';
import { openInstalledWorkbench, openSidebar, setOpen, type Workbench } from '../harness/workbench';

const context = 'gke-hub-cluster';
const ns = 'hub-physics';
const pod = () =>
  hubPod({
    namespace: ns,
    node: 'gke-core-1',
    restartCount: 4,
    lastTerminated: oomKilled(new Date(Date.now() - 90_000).toISOString(), new Date(Date.now() - 30_000).toISOString()),
    container: { state: 'running', ready: true, startedAt: new Date(Date.now() - 20_000).toISOString() },
  });

describe('UI: a pod log tab, followed', () => {
  let server: TestServer;
  let workbench: Workbench;

  before(async () => {
    server = await startTestServer();
    server.cluster.applyAll([namespace(ns), node({ name: 'gke-core-1', pool: 'core' }), pod()]);
    server.cluster.logs.set(ns, pod().metadata.name, 'hub', {
      previous: '[D orm:1163] Loading spawners for 199 users\n',
      current:
        '[I app:3352] Running JupyterHub version 5.3.0\n[I app:3397] Using Authenticator: GitHubOAuthenticator\n',
    });
    workbench = await openInstalledWorkbench({
      name: 'ui-pod-logs',
      prepare(dirs) {
        server.writeKubeconfig(dirs.kubeconfig, { context });
      },
    });
    await openSidebar(workbench.page);
  });

  after(async () => {
    await workbench?.close();
    await server?.close();
  });

  it('Follow from the tab’s title bar streams new lines under the as-of line', async () => {
    const { page } = workbench;
    await setOpen(page, context);
    const pane = page.locator('.pane', { has: page.locator('.pane-header[aria-label^="Clusters"]') });
    const hubRow = pane.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: ns }) }).first();
    await hubRow.waitFor();
    await hubRow.hover();
    await hubRow.locator('.action-label[aria-label="Show Log"]').click();
    const editor = page.locator('.editor-instance .view-lines').first();
    await page.waitForFunction(() =>
      /as\sof\s\d\d:\d\d:\d\d/.test(document.querySelector('.editor-instance .view-lines')?.textContent ?? ''),
    );
    await page.locator('.editor-actions .action-label[aria-label^="Follow Log"]').click();
    await page.locator('.editor-actions .action-label[aria-label^="Stop Following Log"]').waitFor();
    for (const line of [
      '[I proxy:477] Adding user ana to proxy /user/ana/ => http://10.8.3.17:8888',
      '[I log:192] 200 GET /hub/api/users (cull-idle@127.0.0.1) 38.12ms',
      '[W app:2231] User stress-user has 1000 named servers',
    ])
      server.cluster.logs.append(ns, pod().metadata.name, 'hub', line);
    await page.waitForFunction(() =>
      (document.querySelector('.editor-instance .view-lines')?.textContent ?? '')
        .replace(/\u00a0/g, ' ')
        .includes('1000 named servers'),
    );
    const text = (await editor.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /as of \d\d:\d\d:\d\d \(\w+\), following · container hub, restart 4 \(running since/);
    await workbench.screenshot('log-follow');
    await page.locator('.editor-actions .action-label[aria-label^="Stop Following Log"]').click();
    await page.locator('.editor-actions .action-label[aria-label^="Follow Log"]').waitFor();
    assert.deepEqual(workbench.cspViolations, []);
  });
});
