import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubeconfigYaml } from '../builders/kubeconfig';
import { openInstalledWorkbench, openSidebar, runFromPalette, treeRows, type Workbench } from '../harness/workbench';

describe('UI: the installed VSIX in code-server', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openInstalledWorkbench({
      name: 'ui-sidebar',
      prepare(dirs) {
        mkdirSync(join(dirs.home, '.kube'), { recursive: true });
        writeFileSync(
          join(dirs.home, '.kube/config'),
          kubeconfigYaml(
            [
              { name: 'prod-us-east', namespace: 'hub-physics' },
              { name: 'staging', namespace: 'hub-staging' },
              { name: 'teaching-eu' },
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
    const rows = await treeRows(page, 'Clusters');
    assert.deepEqual(rows, ['prod-us-east | current · hub-physics', 'staging | hub-staging', 'teaching-eu']);
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
