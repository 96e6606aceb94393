import assert from 'node:assert/strict';
import { kubeconfigYaml } from '../builders/kubeconfig';
import {
  openInstalledWorkbench,
  openSidebar,
  runFromPalette,
  waitForTreeRows,
  type Workbench,
} from '../harness/workbench';

const closedPort = 'https://127.0.0.1:2';

describe('UI: the installed VSIX in code-server', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openInstalledWorkbench({
      name: 'ui-sidebar',
      prepare(dirs) {
        dirs.writeKubeconfig(
          kubeconfigYaml(
            // No API server listens there: each row says so while collapsed.
            [
              { name: 'prod-us-east', namespace: 'hub-physics', server: closedPort },
              { name: 'staging', namespace: 'hub-staging', server: closedPort },
              { name: 'teaching-eu', server: closedPort },
            ],
            'prod-us-east',
          ),
        );
      },
    });
  });

  after(async () => {
    await workbench?.close();
  });

  it('shows the JupyterHub Ops sidebar listing the kubeconfig contexts, the current one marked', async () => {
    const { page } = workbench;
    await openSidebar(page);
    await page.locator('.monaco-list-row', { hasText: 'teaching-eu' }).waitFor();
    const rows = await waitForTreeRows(
      page,
      'Clusters',
      (rows) => !rows.some((r) => r.includes('checking…')),
      'a context row is still checking',
    );
    assert.deepEqual(rows, [
      'prod-us-east | unreachable · current · hub-physics',
      'staging | unreachable · hub-staging',
      'teaching-eu | unreachable',
    ]);
    await workbench.screenshot('sidebar-contexts');
  });

  it('runs a JupyterHub command from the command palette', async () => {
    const { page } = workbench;
    await runFromPalette(page, 'JupyterHub: Hub DB Snapshots…');
    const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: 'No hub DB snapshots yet' });
    await toast.first().waitFor();
    assert.match(await toast.first().innerText(), /run "JupyterHub: Analyze Hub DB" to take one/);
    await workbench.screenshot('palette-command');
    assert.deepEqual(workbench.cspViolations, []);
  });
});
