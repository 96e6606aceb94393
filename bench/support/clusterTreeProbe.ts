/**
 * Runs inside the real VS Code extension host (loaded as `extensionTestsPath` by bench/clusterTree.bench.ts):
 * builds the cluster on the test API server in this process, times kubectl against it, then the extension's
 * first full tree (every hub, group and pod row, as VS Code would ask for them), a watch event until its row
 * changes, and the host's heap growth. Writes its figures as JSON to HUBOPS_BENCH_OUT.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { ClusterNode } from '../../src/cluster';
import type { activate } from '../../src/extension';
import { startTestServer } from '../../test/k8s-server';
import type { Pod } from '../../test/k8s-server/wireTypes';
import { populateCluster } from './populateCluster';
import { heapAfterGc } from './stats';

const size = { hubs: 200, usersPerHub: 48, nodes: 100 };
const exec = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(): Promise<void> {
  const dir = process.env.HUBOPS_TEST_RUN_DIR!;
  const server = await startTestServer({ historyLimit: 50_000 });
  try {
    populateCluster(server, size);
    const kubeconfig = server.writeKubeconfig(join(dir, 'bench.kubeconfig'), { context: 'bench' });
    const heapBefore = heapAfterGc();
    await vscode.workspace.getConfiguration('jupyterhubOps').update('kubeconfig', kubeconfig, true);
    const api = await vscode.extensions
      .getExtension<ReturnType<typeof activate>>('jupyterhub-ops.jupyterhub-ops')!
      .activate();
    await vscode.commands.executeCommand('workbench.view.extension.jupyterhubOps');
    // The collapsed context row's summary ("200 hubs · healthy"): its summary watch lists the z2jh pods.
    const summaryStart = performance.now();
    const [context] = await api.clusters.getChildren();
    while (!/\bhubs?\b/.test(String(api.clusters.getTreeItem(context!).description))) await sleep(5);
    const summaryMs = performance.now() - summaryStart;
    const summary = String(api.clusters.getTreeItem(context!).description);
    // Opening the context: its full watch lists pods, events and nodes again, then every row is built.
    const treeStart = performance.now();
    let hubRows: ClusterNode[] = [];
    while (hubRows.length < size.hubs) {
      hubRows = (await api.clusters.getChildren(context)).filter((n) => n.kind === 'hub');
      if (hubRows.length < size.hubs) await sleep(5);
    }
    let rows = 0;
    const walk = async (node: ClusterNode): Promise<void> => {
      api.clusters.getTreeItem(node);
      rows++;
      for (const child of await api.clusters.getChildren(node)) await walk(child);
    };
    for (const hub of hubRows) await walk(hub);
    const treeMs = performance.now() - treeStart;
    const heapTree = heapAfterGc();

    // A watch event (a hub restarts) until that hub pod's row shows the new restart count. Each is a lone
    // event, a second after the one before (bursts are coalesced: one rebuild per quiet time).
    const eventMs: number[] = [];
    for (let i = 0; i < 10; i++) {
      await sleep(1000);
      const namespace = `hub-${String(i * 7).padStart(3, '0')}`;
      const pod = server.cluster.list('pods', namespace).find((p) => p.metadata.labels?.component === 'hub') as Pod;
      const restarted: Pod = {
        ...pod,
        status: {
          ...pod.status,
          containerStatuses: pod.status!.containerStatuses!.map((c) => ({ ...c, restartCount: c.restartCount + 1 })),
        },
      };
      const hubNode = hubRows.find((n) => n.kind === 'hub' && n.hub.namespace === namespace)!;
      const t0 = performance.now();
      server.cluster.apply(restarted);
      for (;;) {
        const hubGroup = (await api.clusters.getChildren(hubNode)).find(
          (n) => n.kind === 'group' && n.group === 'hub',
        )!;
        const [podRow] = await api.clusters.getChildren(hubGroup);
        if (podRow && String(api.clusters.getTreeItem(podRow).description).includes('1 restart')) break;
        await sleep(2);
      }
      eventMs.push(performance.now() - t0);
    }
    const heapAfter = heapAfterGc();

    // kubectl last, so its 70 MB of JSON is not garbage the heap figures above would count.
    const kubectl = ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'kubectl-cache')];
    await exec('kubectl', [...kubectl, 'get', 'ns', '-o', 'name']); // discovery cache, as on an operator's machine
    const kubectlMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await exec('kubectl', [...kubectl, 'get', 'pods', '-A', '-o', 'json'], { maxBuffer: 1 << 30 });
      kubectlMs.push(performance.now() - t0);
    }

    writeFileSync(
      process.env.HUBOPS_BENCH_OUT!,
      JSON.stringify({ kubectlMs, summaryMs, summary, treeMs, rows, eventMs, heapBefore, heapTree, heapAfter }),
    );
  } finally {
    await vscode.workspace.getConfiguration('jupyterhubOps').update('kubeconfig', undefined, true);
    await server.close();
  }
}
