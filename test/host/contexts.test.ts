import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { kubeconfigYaml } from '../builders/kubeconfig';
import { activateExtension, runDir, waitFor, type ExtensionApi } from '../harness/inHost';

/** The rows of the Clusters view as the real provider gives them to the real tree: label + description. */
async function rows(api: ExtensionApi): Promise<string[]> {
  const nodes = await api.clusters.getChildren();
  return nodes.map((node) => {
    const item = api.clusters.getTreeItem(node);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    return `${label} | ${String(item.description ?? '')}`;
  });
}

async function waitForRows(api: ExtensionApi, check: (rows: string[]) => boolean): Promise<string[]> {
  let last: string[] = [];
  try {
    return await waitFor('the Clusters view to show the expected rows', async () => {
      last = await rows(api);
      return check(last) ? last : undefined;
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}; last rows: ${JSON.stringify(last)}`, { cause: error });
  }
}

describe('Clusters view: kubeconfig contexts (in the real host)', () => {
  const kubeDir = join(runDir(), 'kube');
  const fileA = join(kubeDir, 'a.yaml');
  const fileB = join(kubeDir, 'b.yaml');
  let api: ExtensionApi;

  before(async () => {
    writeFileSync(fileA, kubeconfigYaml([{ name: 'prod-us', namespace: 'hub-a' }], 'prod-us'));
    writeFileSync(fileB, kubeconfigYaml([{ name: 'staging' }, { name: 'prod-us', server: 'https://ignored' }]));
    api = await activateExtension();
  });

  after(async () => {
    await vscode.workspace.getConfiguration('jupyterhubOps').update('kubeconfig', undefined, true);
  });

  it('contributes the JupyterHub Ops views and opens the sidebar', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.jupyterhubOps');
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['jupyterhubOps.refresh', 'jupyterhubOps.analyzeHubDb', 'jupyterhubOps.draftIncidentReport']) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });

  it('lists every context of KUBECONFIG joined as kubectl does, the current one marked', async () => {
    const shown = await waitForRows(api, (r) => r.length === 2);
    assert.deepEqual(shown, ['prod-us | current · hub-a', 'staging | ']);
  });

  it('follows the kubeconfig files as they change, without a manual refresh', async () => {
    writeFileSync(fileB, kubeconfigYaml([{ name: 'staging' }, { name: 'eu-west' }], 'eu-west'));
    const shown = await waitForRows(api, (r) => r.some((row) => row.startsWith('eu-west')));
    assert.deepEqual(shown, ['prod-us | current · hub-a', 'staging | ', 'eu-west | ']);
  });

  it('shows a malformed kubeconfig as an error row with the reason, and keeps the good file', async () => {
    writeFileSync(fileA, 'clusters: [\n  {name: broken\n');
    const shown = await waitForRows(api, (r) => r[0]?.startsWith('Kubeconfig problem') ?? false);
    assert.match(shown[0]!, /^Kubeconfig problem \| Cannot read kubeconfig .*a\.yaml: /);
    assert.deepEqual(shown.slice(1), ['staging | ', 'eu-west | current']);
  });

  it('shows an empty kubeconfig (via the setting) as a clear "No contexts" row', async () => {
    const empty = join(kubeDir, 'empty.yaml');
    writeFileSync(empty, '');
    await vscode.workspace.getConfiguration('jupyterhubOps').update('kubeconfig', empty, true);
    const shown = await waitForRows(api, (r) => r[0]?.startsWith('No contexts') ?? false);
    assert.deepEqual(shown, [`No contexts | ${empty} defines no contexts.`]);
    rmSync(empty);
    const missing = await waitForRows(api, (r) => r[0]?.startsWith('Kubeconfig problem') ?? false);
    assert.deepEqual(missing, [`Kubeconfig problem | No kubeconfig file at ${empty}.`]);
  });

  it('runs Refresh from the command and keeps showing the contexts', async () => {
    await vscode.commands.executeCommand('jupyterhubOps.refresh');
    const shown = await waitForRows(api, (r) => r.length > 0);
    assert.deepEqual(shown, [`Kubeconfig problem | No kubeconfig file at ${join(kubeDir, 'empty.yaml')}.`]);
  });
});
