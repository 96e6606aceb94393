import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { buildCalibrationDb } from '../builders/hubDb';
import { startTestServer, type TestServer } from '../k8s-server';
import type { Pod } from '../k8s-server/wireTypes';
import { findScenario, Timeline } from '../k8s-server/scenarios';
import { runWriter, startWriter } from '../harness/dbWriter';
import { activateExtension, leaveHost, runDir, waitFor, type ExtensionApi } from '../harness/inHost';
import { listSnapshots } from '../../src/core/snapshot/snapshotFiles';
import type { HubDbAnalysed } from '../../src/explorer';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const DB = '/srv/jupyterhub/jupyterhub.sqlite';

describe('Analyze Hub DB (in the real host, against the Kubernetes API test server)', () => {
  let server: TestServer;
  let api: ExtensionApi;
  let hubPodName: string;
  let snapshotsDir = '';
  let snapshotFile = '';
  let journal = '';
  const entries = () =>
    readFileSync(journal, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(
        (line) => JSON.parse(line) as { kind?: string; verdict?: string; hub?: string; offenders?: { user: string }[] },
      );
  /** The hub-physics row's description in the Clusters view, as the tree gives it now. */
  const hubRowItem = async () => {
    const [context] = await api.clusters.getChildren();
    const rows = await api.clusters.getChildren(context);
    const hub = rows.find((n) => n.kind === 'hub' && n.hub.namespace === 'hub-physics');
    return hub && api.clusters.getTreeItem(hub);
  };
  /** The next analysis the explorer runs that matches. */
  const nextAnalysis = (match: (e: HubDbAnalysed) => boolean) =>
    new Promise<HubDbAnalysed>((resolve) => {
      const subscription = api.explorer.onDidAnalyze((e) => {
        if (!match(e)) return;
        subscription.dispose();
        resolve(e);
      });
    });

  before(async () => {
    const hubDbFile = join(runDir(), 'incident-hub.sqlite');
    // Shaped like the incident's: JupyterHub 5.3 would need ~2.7 GiB at start-up, over the hub's 2Gi limit.
    writeFileSync(hubDbFile, await buildCalibrationDb({ stressServers: 1000, stressRunning: 500 }));
    server = await startTestServer();
    const timeline = new Timeline(server, findScenario('oom-loop')!.steps({ hubDbFile }));
    timeline.advanceTo(1000); // the hub container has started and is Running
    hubPodName = server.cluster.list('pods', 'hub-physics').find((p) => p.metadata.labels?.component === 'hub')!
      .metadata.name;
    const kubeconfig = server.writeKubeconfig(join(runDir(), 'analyze.kubeconfig'), { context: 'sim' });
    await vscode.workspace.getConfiguration('jupyterhubOps').update('kubeconfig', kubeconfig, true);
    api = await activateExtension();
  });

  // Leave no incident behind: other suites in this host start from none.
  after(() => leaveHost(api, journal, server));

  it('snapshots the hub DB while the hub writes to it: consistent copy, live file untouched, explorer opens', async () => {
    journal = await vscode.commands.executeCommand<string>('jupyterhubOps.startIncident', {
      title: 'hub-physics OOMKilled at start-up',
      hubs: [{ context: 'sim', namespace: 'hub-physics' }],
    });
    const live = server.cluster.containers.get('hub-physics', hubPodName, 'hub').hostPath(DB);
    const reference = join(runDir(), 'reference.sqlite');
    copyFileSync(live, reference);
    const inserts = 300;
    const writer = startWriter(live, inserts);
    await writer.started;

    const outcome = await vscode.commands.executeCommand<
      | { ok: true; value: { snapshot: { file: string; quickCheck: string; pod: string; sha256: string } } }
      | { ok: false; error: { userMessage: string } }
    >('jupyterhubOps.analyzeHubDb', { context: 'sim', namespace: 'hub-physics' });
    assert.equal(await writer.done, 0);
    assert.ok(outcome?.ok, outcome && !outcome.ok ? outcome.error.userMessage : 'cancelled');
    const { snapshot } = outcome.value;
    assert.equal(snapshot.quickCheck, 'ok');
    assert.equal(snapshot.pod, hubPodName);
    assert.equal(sha(snapshot.file), snapshot.sha256);
    snapshotsDir = dirname(snapshot.file);
    snapshotFile = snapshot.file;

    // Only read: the live file ends exactly as the writer alone makes it.
    assert.equal(await runWriter(reference, inserts), 0);
    assert.equal(sha(live), sha(reference));
    await server.execIdle();
    assert.deepEqual(server.cluster.containers.get('hub-physics', hubPodName, 'hub').listDir('/tmp'), []);

    // The explorer opened the snapshot.
    const tab = await waitFor('the explorer tab', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.fsPath === snapshot.file),
    );
    assert.equal((tab.input as vscode.TabInputCustom).viewType, 'jupyterhubOps.hubDbExplorer');
    assert.ok(api.clusters.hubs().some((h) => h.namespace === 'hub-physics' && h.jupyterhubVersion === '5.3.0'));
  });

  it('records the snapshot and the analysis in the incident journal, and badges the hub row', async () => {
    const analysis = await waitFor('the analysis in the journal', () =>
      entries().find((e) => e.kind === 'db-analysis'),
    );
    assert.equal(analysis.hub, 'hub-physics');
    assert.equal(analysis.verdict, 'oom');
    assert.equal(analysis.offenders?.[0]?.user, 'stress-user');
    assert.ok(entries().some((e) => e.kind === 'db-snapshot' && e.hub === 'hub-physics'));

    const hubRow = await waitFor('the hub row to show the DB prediction', async () => {
      const item = await hubRowItem();
      return item && String(item.description).includes('DB predicts OOM') ? item : undefined;
    });
    assert.match(String((hubRow.tooltip as vscode.MarkdownString).value), /would need/);
  });

  it('keeps what-ifs out of the record: not journaled, the badge stays; the evidence is journaled once', async () => {
    const journaled = entries().length;
    assert.equal(entries().filter((e) => e.kind === 'db-analysis').length, 1);
    const uri = vscode.Uri.file(snapshotFile);
    // What if the hub ran JupyterHub 5.4.3 with an 8Gi limit? It would fit, but that is not this hub.
    const whatIf = nextAnalysis((e) => e.options.memoryLimitBytes === 8 * 2 ** 30);
    await api.explorer.open(uri, { analysis: { jupyterhubVersion: '5.4.3', memoryLimitBytes: 8 * 2 ** 30 } });
    assert.equal((await whatIf).analysis.verdict.status, 'fits');
    await listSnapshots(snapshotsDir); // (lets anything the analysis set off read the snapshots too)
    assert.deepEqual(entries().slice(journaled), [], 'a what-if is not journaled');
    assert.match(String((await hubRowItem())?.description), /DB predicts OOM/, 'a what-if leaves the badge');

    // At the hub's own settings again (JupyterHub 5.3.0, its 2Gi limit), clicked twice: the evidence is
    // already in the journal, once.
    for (let click = 0; click < 2; click++) {
      const evidence = nextAnalysis((e) => e.options.memoryLimitBytes === 2 * 2 ** 30);
      await api.explorer.open(uri, { analysis: { jupyterhubVersion: '5.3.0', memoryLimitBytes: 2 * 2 ** 30 } });
      assert.equal((await evidence).analysis.verdict.status, 'oom');
    }
    await listSnapshots(snapshotsDir);
    assert.equal(entries().filter((e) => e.kind === 'db-analysis').length, 1);
    assert.match(String((await hubRowItem())?.description), /DB predicts OOM/);
  });

  it('waits while the hub container is in CrashLoopBackOff and snapshots once it runs again', async () => {
    const pod = server.cluster.get<Pod>('Pod', 'hub-physics', hubPodName)!;
    server.cluster.apply({
      ...pod,
      status: {
        ...pod.status,
        phase: 'Running',
        containerStatuses: pod.status!.containerStatuses!.map((c) => ({
          ...c,
          ready: false,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=hub' } },
        })),
      },
    });
    const before = readdirSync(snapshotsDir).sort();
    // (the request log is bounded: compare records, not counts)
    const lastPodRead = () =>
      server.requests.findLast(
        (r) => r.method === 'GET' && r.path === `/api/v1/namespaces/hub-physics/pods/${hubPodName}`,
      );
    const readBefore = lastPodRead();
    const pending = vscode.commands.executeCommand<{
      ok: boolean;
      value?: { snapshot: { file: string } };
      error?: { code: string; userMessage: string };
    }>('jupyterhubOps.analyzeHubDb', { context: 'sim', namespace: 'hub-physics' });
    // Waiting: the pod was read, found not running, and nothing was copied or written.
    await waitFor('the command to read the hub pod', () => {
      const last = lastPodRead();
      return last !== readBefore ? last : undefined;
    });
    assert.deepEqual(readdirSync(snapshotsDir).sort(), before);
    // The kubelet starts the container again: the snapshot is taken without anyone asking twice.
    server.cluster.apply(pod);
    const outcome = await pending;
    assert.equal(outcome?.ok, true, outcome?.error?.userMessage);
    assert.ok(readdirSync(snapshotsDir).length > before.length);
  });
});
