import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ClusterNode } from '../../src/cluster';
import { startTestServer, testTokens, type TestServer } from '../k8s-server';
import { hubPod, namespace, node, oomKilled, crashLoopBackOff } from '../k8s-server/objects';
import { activateExtension, leaveHost, runDir, waitFor, type ExtensionApi } from '../harness/inHost';

const ns = 'hub-logs';
const core = 'gke-core-1';
/** A hub pod as it is after `restarts` OOM kills, running again since `startedAt`. */
const hub = (restarts: number, container?: 'back-off') =>
  hubPod({
    namespace: ns,
    node: core,
    restartCount: restarts,
    ...(restarts > 0
      ? { lastTerminated: oomKilled(new Date(Date.now() - 60_000).toISOString(), new Date().toISOString()) }
      : {}),
    container:
      container === 'back-off'
        ? crashLoopBackOff({ namespace: ns, name: podName }, 'hub', '10s')
        : { state: 'running', ready: true, startedAt: new Date().toISOString() },
  });
const podName = hubPod({ namespace: ns, node: core }).metadata.name;
const config = () => vscode.workspace.getConfiguration('jupyterhubOps');

describe('Pod log tabs: as-of line, Refresh, Follow, previous after each restart (in the real host)', function () {
  this.timeout(120_000);
  let server: TestServer;
  let api: ExtensionApi;

  /** The pod's row in the Clusters view, wherever the tree puts it. */
  async function podRow(): Promise<ClusterNode> {
    return waitFor('the hub pod row', async () => {
      const queue = [...(await api.clusters.getChildren())];
      while (queue.length) {
        const n = queue.shift()!;
        if (n.kind === 'pod' && n.pod.name === podName) return n;
        if (n.kind === 'context' || n.kind === 'hub' || n.kind === 'group')
          queue.push(...(await api.clusters.getChildren(n)));
      }
      return undefined;
    });
  }

  async function open(previous: boolean): Promise<vscode.TextDocument> {
    const uri = await vscode.commands.executeCommand<string>(
      previous ? 'jupyterhubOps.showPreviousPodLog' : 'jupyterhubOps.showPodLog',
      await podRow(),
    );
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)!;
  }

  const text = (doc: vscode.TextDocument) => doc.getText();
  const waitText = (doc: vscode.TextDocument, what: string, check: (t: string) => boolean) =>
    waitFor(what, () => (check(doc.getText()) ? doc.getText() : undefined)).catch((error: Error) => {
      throw new Error(`${error.message}; the tab says:\n${doc.getText()}`);
    });

  /** The container is OOMKilled and runs again: its log moves to previous, the new run writes `lines`. */
  function restart(restarts: number, lines: string[], backOff = false): void {
    server.cluster.logs.restart(ns, podName, 'hub');
    server.cluster.apply(hub(restarts, backOff ? 'back-off' : undefined));
    if (!backOff) for (const line of lines) server.cluster.logs.append(ns, podName, 'hub', line);
  }

  before(async () => {
    server = await startTestServer({ tokens: testTokens('operator') });
    server.cluster.applyAll([namespace(ns), node({ name: core, pool: 'core' }), hub(1)]);
    server.cluster.logs.set(ns, podName, 'hub', {
      previous: '[I run-0] Loading spawners for 199 users\n',
      current:
        '[I run-1] Starting JupyterHub\n' +
        // A token in the log stays out of the tab.
        '[D run-1] JUPYTERHUB_API_TOKEN=2f9c0c7e3a8b4d1e9f6a5b4c3d2e1f0a\n',
    });
    const kubeconfig = server.writeKubeconfig(join(runDir(), 'kube', 'podLogs.yaml'), [
      { context: 'logs', token: 'admin-token' },
    ]);
    await config().update('reportTimezone', 'Europe/Berlin', true);
    await config().update('kubeconfig', kubeconfig, true);
    api = await activateExtension();
    await vscode.commands.executeCommand('workbench.view.extension.jupyterhubOps');
  });

  after(async () => {
    await config().update('reportTimezone', undefined, true);
    await leaveHost(api, '', server);
  });

  it('says when each tab was read and which container instance it shows; secrets stay redacted', async () => {
    const current = await open(false);
    const [first, ...rest] = text(current).split('\n');
    assert.match(
      first!,
      /^as of \d\d:\d\d:\d\d \(CET\) · container hub, restart 1 \(running since \d\d:\d\d:\d\d\) · the last 5,000 lines at most · pod hub-/,
    );
    assert.match(rest.join('\n'), /\[I run-1\] Starting JupyterHub/);
    assert.match(rest.join('\n'), /JUPYTERHUB_API_TOKEN=‹redacted›/);
    assert.doesNotMatch(text(current), /2f9c0c7e3a8b4d1e9f6a5b4c3d2e1f0a/);

    const previous = await open(true);
    assert.match(
      text(previous).split('\n')[0]!,
      /^as of \d\d:\d\d:\d\d \(CET\) · container hub, previous instance: first run, \d\d:\d\d:\d\d–\d\d:\d\d:\d\d \(OOMKilled, exit 137\) · now restart 1 runs · pod hub-/,
    );
    assert.match(text(previous), /\[I run-0\] Loading spawners/);
  });

  it('Refresh after a restart reads the new instance in place, and the previous tab the run that just died', async () => {
    const current = await open(false);
    const previous = await open(true);
    restart(2, ['[I run-2] Starting JupyterHub again']);

    await vscode.commands.executeCommand('jupyterhubOps.refreshPodDocument', current.uri);
    const now = await waitText(current, 'the current tab at restart 2', (t) => /restart 2 \(running since/.test(t));
    assert.match(now, /\[I run-2\] Starting JupyterHub again/);
    assert.doesNotMatch(now, /run-1/);

    // The previous tab still shows the first run until it is refreshed; then the run that just died.
    assert.match(text(previous), /run-0/);
    await vscode.commands.executeCommand('jupyterhubOps.refreshPodDocument', previous.uri);
    const before = await waitText(previous, 'the previous tab at restart 2', (t) =>
      /previous instance: restart 1, /.test(t),
    );
    assert.match(before, /now restart 2 runs/);
    assert.match(before, /\[I run-1\] Starting JupyterHub/);
    assert.doesNotMatch(before, /run-0/);
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.uri.toString() === previous.uri.toString()).length, 1);
  });

  it('Follow appends lines written after opening, reconnects after a restart, and stops when the tab closes', async () => {
    const current = await open(false);
    await vscode.window.showTextDocument(current);
    await vscode.commands.executeCommand('jupyterhubOps.followPodLog');
    await waitText(current, 'following', (t) => /^as of [^·]+, following · container hub, restart 2 /.test(t));
    assert.equal(server.openLogFollows, 1);

    server.cluster.logs.append(ns, podName, 'hub', '[I run-2] written after the tab was opened');
    await waitText(current, 'the new line', (t) => /written after the tab was opened\n$/.test(t));

    // OOMKilled: the stream ends; the tab says so and waits through the back-off for the next run.
    restart(3, [], true);
    await waitText(current, 'the exit', (t) =>
      /── container hub exited at \d\d:\d\d:\d\d \(OOMKilled, exit 137\); waiting for restart 3 ──\n$/.test(t),
    );
    server.cluster.apply(hub(3));
    server.cluster.logs.append(ns, podName, 'hub', '[I run-3] Starting JupyterHub once more');
    const after = await waitText(current, 'the next run', (t) => /run-3\] Starting JupyterHub once more\n$/.test(t));
    assert.match(after, /written after the tab was opened\n── restart 3 of container hub started \d\d:\d\d:\d\d ──\n/);
    assert.match(after.split('\n')[0]!, /, following · container hub, restart 3 \(running since/);

    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the stream closed', () => (server.openLogFollows === 0 ? true : undefined));
  });

  it('says in one line at the bottom when following ends for good (the pod is gone)', async () => {
    const current = await open(false);
    await vscode.commands.executeCommand('jupyterhubOps.followPodLog', current.uri);
    await waitFor('the stream', () => (server.openLogFollows === 1 ? true : undefined));
    server.cluster.delete('Pod', ns, podName);
    const gone = await waitText(current, 'the last line', (t) =>
      /── pod hub-\S+ is gone \(\d\d:\d\d:\d\d \(CET\)\): nothing more to follow ──\n$/.test(t),
    );
    assert.doesNotMatch(gone.split('\n')[0]!, /following/);
    assert.equal(server.openLogFollows, 0);
  });
});
