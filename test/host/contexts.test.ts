import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
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

/** Waits for rows passing `check` once every context's summary is in (no row still "checking…"). */
async function waitForRows(api: ExtensionApi, check: (rows: string[]) => boolean): Promise<string[]> {
  let last: string[] = [];
  try {
    return await waitFor('the Clusters view to show the expected rows', async () => {
      last = await rows(api);
      return check(last) && !last.some((r) => r.includes('checking…')) ? last : undefined;
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

  // No API server listens there: each context's row says so without being opened.
  const closed = 'https://127.0.0.1:2';

  before(async () => {
    writeFileSync(fileA, kubeconfigYaml([{ name: 'prod-us', namespace: 'hub-a', server: closed }], 'prod-us'));
    writeFileSync(
      fileB,
      kubeconfigYaml([
        { name: 'staging', server: closed },
        { name: 'prod-us', server: 'https://ignored' },
      ]),
    );
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
    assert.deepEqual(shown, ['prod-us | unreachable · current · hub-a', 'staging | unreachable']);
  });

  it('follows the kubeconfig files as they change, without a manual refresh', async () => {
    writeFileSync(
      fileB,
      kubeconfigYaml(
        [
          { name: 'staging', server: closed },
          { name: 'eu-west', server: closed },
        ],
        'eu-west',
      ),
    );
    const shown = await waitForRows(api, (r) => r.some((row) => row.startsWith('eu-west')));
    assert.deepEqual(shown, [
      'prod-us | unreachable · current · hub-a',
      'staging | unreachable',
      'eu-west | unreachable',
    ]);
  });

  it('shows a malformed kubeconfig as a problem row with its file and reason, which opens the file', async () => {
    writeFileSync(fileA, 'clusters: [\n  {name: broken\n');
    const shown = await waitForRows(api, (r) => r[0]?.startsWith('Kubeconfig problem') ?? false);
    assert.match(shown[0]!, /^Kubeconfig problem \| Cannot read kubeconfig .*a\.yaml: /);
    assert.deepEqual(shown.slice(1), ['staging | unreachable', 'eu-west | unreachable · current']);
    const item = api.clusters.getTreeItem((await api.clusters.getChildren())[0]!);
    assert.equal(item.contextValue, 'kubeconfig-problem-file');
    assert.match(String(item.tooltip), new RegExp(`^The kubeconfig file cannot be read\\.\\n\\nfile: ${fileA}\\n`));
    assert.match(String(item.tooltip), /\nfrom: the KUBECONFIG environment variable\nreason: Cannot read kubeconfig /);
    assert.equal(item.command?.command, 'jupyterhubOps.openKubeconfigFile');
    const opened = await vscode.commands.executeCommand<string>(
      item.command!.command,
      ...(item.command!.arguments ?? []),
    );
    assert.equal(opened, fileA);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, fileA);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows no rows for an empty kubeconfig (via the setting), so the welcome text shows; a missing file is a problem row', async () => {
    const empty = join(kubeDir, 'empty.yaml');
    writeFileSync(empty, '');
    await vscode.workspace.getConfiguration('jupyterhubOps').update('kubeconfig', empty, true);
    const shown = await waitForRows(api, (r) => r.length === 0);
    assert.deepEqual(shown, []);
    rmSync(empty);
    const missing = await waitForRows(api, (r) => r[0]?.startsWith('Kubeconfig problem') ?? false);
    assert.deepEqual(missing, [`Kubeconfig problem | No kubeconfig file at ${empty}.`]);
    const item = api.clusters.getTreeItem((await api.clusters.getChildren())[0]!);
    assert.equal(item.contextValue, 'kubeconfig-problem-missing');
    assert.equal(item.command?.command, 'jupyterhubOps.openKubeconfigSetting');
    assert.match(String(item.tooltip), /\nfrom: the jupyterhubOps\.kubeconfig setting\n/);
  });

  it('runs Refresh from the command and keeps showing the contexts', async () => {
    await vscode.commands.executeCommand('jupyterhubOps.refresh');
    const shown = await waitForRows(api, (r) => r.length > 0);
    assert.deepEqual(shown, [`Kubeconfig problem | No kubeconfig file at ${join(kubeDir, 'empty.yaml')}.`]);
  });

  it('applies the kubeconfig setting at once, reading ~/ as the home folder', async () => {
    const dir = join(homedir(), '.kube-hubops');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'tilde.yaml'), kubeconfigYaml([{ name: 'from-home', server: closed }], 'from-home'));
    await vscode.workspace.getConfiguration('jupyterhubOps').update('kubeconfig', '~/.kube-hubops/tilde.yaml', true);
    const shown = await waitForRows(api, (r) => r[0]?.startsWith('from-home') ?? false);
    assert.deepEqual(shown, ['from-home | unreachable · current']);
  });
});
