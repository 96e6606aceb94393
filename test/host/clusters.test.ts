import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ClusterNode } from '../../src/cluster';
import { startTestServer, testTokens, type TestServer } from '../k8s-server';
import { userPod } from '../k8s-server/objects';
import { Timeline } from '../k8s-server/scenarios';
import { classStartSteps } from '../k8s-server/scenarios/classStart';
import { consecutiveFailuresSteps } from '../k8s-server/scenarios/consecutiveFailures';
import { oomLoopSteps } from '../k8s-server/scenarios/oomLoop';
import { versionsSteps } from '../k8s-server/scenarios/versions';
import { activateExtension, runDir, waitFor, type ExtensionApi } from '../harness/inHost';

/** Virtual time when the story is told: the hub has been OOMKilled 4 times, the class started 340 s ago. */
const storyMs = 400_000;
const hostileUser = '**pwn** [click](https://evil.example/x) <img src=x onerror=alert(1)> # head';

const config = () => vscode.workspace.getConfiguration('jupyterhubOps');

describe('Clusters view: live hubs, pods and events from the Kubernetes API (in the real host)', function () {
  this.timeout(120_000);
  let server: TestServer;
  let timeline: Timeline;
  let api: ExtensionApi;
  const observations: { kind: string; hub: string | null; pod?: string }[] = [];
  let observing: vscode.Disposable | undefined;

  const text = (node: ClusterNode) => {
    const item = api.clusters.getTreeItem(node);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    return `${label} | ${String(item.description ?? '')}`;
  };
  const labelOf = (node: ClusterNode) => text(node).split(' | ')[0]!;

  /** The node at a path of labels from the root (context, hub, group, row). */
  async function nodeAt(path: string[]): Promise<ClusterNode> {
    let nodes = await api.clusters.getChildren();
    let found: ClusterNode | undefined;
    for (const label of path) {
      found = nodes.find((n) => labelOf(n) === label);
      if (!found) throw new Error(`no row "${label}" among ${JSON.stringify(nodes.map(text))}`);
      nodes = await api.clusters.getChildren(found);
    }
    return found!;
  }

  async function rowsAt(path: string[]): Promise<string[]> {
    const parent = path.length ? await nodeAt(path) : undefined;
    return (await api.clusters.getChildren(parent)).map(text);
  }

  /** Waits until the rows under `path` pass `check` (the tree follows the cluster by watch). */
  async function waitRows(path: string[], check: (rows: string[]) => boolean, what: string): Promise<string[]> {
    let last: string[] = [];
    try {
      return await waitFor(what, async () => {
        last = await rowsAt(path);
        return check(last) ? last : undefined;
      });
    } catch (error) {
      throw new Error(
        `${(error as Error).message}; last rows under ${path.join(' › ')}: ${JSON.stringify(last, null, 1)}`,
        {
          cause: error,
        },
      );
    }
  }

  const row = (rows: string[], label: string) => rows.find((r) => r.startsWith(`${label} | `));
  /** A context's rows without its History row (where Prometheus is: test/host/prometheus.test.ts). */
  const hubsOnly = (rows: string[]) => rows.filter((r) => !r.startsWith('History | '));

  before(async () => {
    server = await startTestServer({
      tokens: testTokens('operator', 'physicsOnly', 'expiredCreds'),
    });
    timeline = new Timeline(
      server,
      [...versionsSteps(), ...oomLoopSteps(), ...consecutiveFailuresSteps(), ...classStartSteps()],
      // Virtual time catches up with the real clock at `storyMs`, so ages read as they would live.
      { start: new Date(Date.now() - storyMs) },
    );
    timeline.advanceTo(45_000); // before the class starts
    server.cluster.apply(
      userPod({ namespace: 'hub-modern', chart: '4.2.0', username: hostileUser, node: 'gke-hub-cluster-user-pool-x' }),
    );
    const file = server.writeKubeconfig(join(runDir(), 'kube', 'clusters.yaml'), [
      { context: 'lab', token: 'admin-token' },
      { context: 'physics-only', token: 'physics-only' },
      { context: 'expired', token: 'expired-token' },
    ]);
    api = await activateExtension();
    observing = api.clusters.onObservation((o) => observations.push(o));
    await config().update('metricsIntervalSeconds', 5, true);
    await config().update('kubeconfig', file, true);
    await vscode.commands.executeCommand('workbench.view.extension.jupyterhubOps');
    await waitRows([], (r) => r.length === 3 && r[0]!.startsWith('lab'), 'the three test contexts');
  });

  after(async () => {
    observing?.dispose();
    await config().update('namespaces', undefined, true);
    await config().update('metricsIntervalSeconds', undefined, true);
    await config().update('kubeconfig', undefined, true);
    await server?.close();
  });

  it('summarizes every context on its collapsed row, worst first, from its hub pods only', async () => {
    const rows = await waitRows([], (r) => r.length === 3 && !r.some((x) => x.includes('checking…')), 'summaries');
    assert.deepEqual(rows, [
      'lab | 1 down · 5 hubs · current',
      'physics-only | not allowed (403)',
      'expired | credentials rejected (401)',
    ]);
    // Economical: before a context is opened, its summary lists and watches its z2jh pods and nothing else.
    const other = server.requests.filter((r) => !r.path.startsWith('/api/v1/pods?'));
    assert.deepEqual(
      other.filter((r) => /events|nodes|metrics|proxy|secrets|log/.test(r.path)),
      [],
      JSON.stringify(other.slice(0, 10)),
    );
    assert.deepEqual(api.clusters.model().contexts, [], 'no context is fully watched yet');
    const [lab, physicsOnly] = await api.clusters.getChildren();
    const color = (node: ClusterNode) =>
      ((api.clusters.getTreeItem(node).iconPath as vscode.ThemeIcon).color as vscode.ThemeColor | undefined)?.id;
    assert.equal(color(lab!), 'problemsErrorIcon.foreground');
    assert.equal(color(physicsOnly!), 'problemsErrorIcon.foreground');
    assert.match((api.clusters.getTreeItem(lab!).tooltip as vscode.MarkdownString).value, /Needs a look:\n- hub-/);
  });

  it('discovers one hub per release, z2jh 3.x and 4.x, with the JupyterHub version on the row', async () => {
    const rows = await waitRows(['lab'], (r) => hubsOnly(r).length === 5, 'five hubs');
    // First the history row: this test cluster has no Prometheus.
    assert.match(rows[0]!, /^History \| (looking for Prometheus…|none found)/);
    const hubs = hubsOnly(rows);
    assert.deepEqual(
      hubs.map((r) => r.split(' | ')[0]),
      ['hub-aborting', 'hub-classroom', 'hub-legacy', 'hub-modern', 'hub-physics'],
    );
    assert.equal(row(hubs, 'hub-legacy'), 'hub-legacy | ok · 4.1.6');
    assert.equal(row(hubs, 'hub-modern'), 'hub-modern | ok · 5.3.0');
    const item = api.clusters.getTreeItem(await nodeAt(['lab', 'hub-modern']));
    assert.equal(item.contextValue, 'hub');
    assert.deepEqual(await rowsAt(['lab', 'hub-modern']), [
      'Hub | 1 running',
      'Proxy | 1 running',
      'User servers | 6 running',
      'Other | 2 running',
    ]);
    const contexts = await rowsAt([]);
    assert.match(contexts[0]!, /^lab \| (\d down · )?(\d degraded · )?5 hubs( · healthy)? · current$/);
  });

  it('shows KubeSpawner 6 and 7 user servers by user and server name, with the pod name', async () => {
    const legacy = await rowsAt(['lab', 'hub-legacy', 'User servers']);
    assert.deepEqual(
      legacy.map((r) => [r.split(' | ')[0], r.split(' · ').at(-1)]),
      [
        ['Ada', 'jupyter--41da'],
        ['bob/my.analysis', 'jupyter-bob--my-2eanalysis'],
        ['grace@example.org', 'jupyter-grace-40example-2eorg'],
        ['li.wei', 'jupyter-li-2ewei'],
        ['li.wei/gpu', 'jupyter-li-2ewei--gpu'],
      ],
    );
    const modern = await rowsAt(['lab', 'hub-modern', 'User servers']);
    assert.ok(
      modern.some((r) => r.startsWith('li.wei | Running · ') && r.endsWith(' · jupyter-li-wei---0a5df1f7')),
      modern.join('\n'),
    );
    assert.ok(
      modern.some((r) => r.startsWith('li.wei/gpu | ')),
      modern.join('\n'),
    );
    assert.match(row(modern, 'Ada')!, /^Ada \| Running · no metrics · jupyter-ada---[0-9a-f]{8}$/);
  });

  it('escapes hostile user names in Markdown tooltips and keeps them literal on the row', async () => {
    const modern = await nodeAt(['lab', 'hub-modern', 'User servers']);
    const pods = await api.clusters.getChildren(modern);
    const hostile = pods.find((p) => labelOf(p) === hostileUser);
    assert.ok(hostile, `a row labelled with the raw user name among ${pods.map(text).join('\n')}`);
    const tooltip = api.clusters.getTreeItem(hostile).tooltip;
    assert.ok(tooltip instanceof vscode.MarkdownString);
    assert.equal(tooltip.isTrusted, false);
    assert.doesNotMatch(tooltip.value, /\[click\]\(https/);
    assert.doesNotMatch(tooltip.value, /<img/);
    assert.match(tooltip.value, /\\\*\\\*pwn\\\*\\\* \\\[click\\\]/);
  });

  it('follows the class start live: pending user servers with the reason, spawn pressure on the hub', async () => {
    const calm = await rowsAt(['lab']);
    assert.equal(row(calm, 'hub-classroom'), 'hub-classroom | ok · 5.3.0');
    timeline.advanceTo(storyMs); // 150 students arrive; the autoscaler is asked for nodes
    const hubs = await waitRows(
      ['lab'],
      (r) => /64 pending \/ 64 limit/.test(row(r, 'hub-classroom') ?? ''),
      'pressure',
    );
    assert.equal(row(hubs, 'hub-classroom'), 'hub-classroom | degraded · 64 pending / 64 limit · 5.3.0');
    const users = await rowsAt(['lab', 'hub-classroom', 'User servers']);
    const pending = users.filter((r) => / \| Pending · /.test(r));
    assert.equal(pending.length, 64, users.join('\n'));
    // Stuck servers first, each with why it waits, user name and pod name.
    assert.ok(users.slice(0, 64).every((r) => / \| Pending · /.test(r)));
    for (const r of pending) assert.match(r, /^\S+ \| Pending · waiting for scale-up \d+m\d*s? · jupyter-\S+$/);
    assert.ok(
      pending.some((r) => r.startsWith('li.wei | ') || r.startsWith('Maria.Garcia | ')) ||
        users.some((r) => r.startsWith('li.wei | Running')),
    );
    const placeholders = await rowsAt(['lab', 'hub-classroom', 'Placeholders']);
    assert.ok(placeholders.length > 0);
    for (const r of placeholders) {
      assert.match(
        r,
        /^user-placeholder-\d \| Pending · preempted by a user pod, re-created and unschedulable: Insufficient memory \(3\/5 nodes\)/,
      );
    }
    const groups = await rowsAt(['lab', 'hub-classroom']);
    assert.match(row(groups, 'User servers')!, /64 pending/);
    // Pods and events come by separate watches: the pods can show the pressure while the scheduler's
    // events of the same seconds are still on their way, so wait for the burst's events as well.
    const events = await waitRows(
      ['lab', 'hub-classroom', 'Events'],
      (r) => r.some((e) => Number(/^FailedScheduling ×(\d+) pods/.exec(e)?.[1] ?? 0) >= 64),
      'the FailedScheduling burst',
    );
    assert.ok(
      events.some((r) => /^TriggeredScaleUp ×\d+ pods \| newest .* pod triggered scale-up/.test(r)),
      events.slice(0, 5).join('\n'),
    );
    // The scheduler's burst is one row (the pods and placeholders it could not place), not 64+.
    const failed = events.filter((r) => r.startsWith('FailedScheduling'));
    assert.equal(failed.length, 1, events.join('\n'));
    const burst = /^FailedScheduling ×(\d+) pods \| newest (?:\d+m)?\d+s ago · 0\/\d+ nodes are available: /.exec(
      failed[0]!,
    );
    assert.ok(burst && Number(burst[1]) >= 64, failed[0]);
    const groupNode = await nodeAt(['lab', 'hub-classroom', 'Events', failed[0]!.split(' | ')[0]!]);
    const groupItem = api.clusters.getTreeItem(groupNode);
    assert.equal(groupItem.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const hover = (groupItem.tooltip as vscode.MarkdownString).value;
    // Students' servers and placeholders fail in the same seconds: which is newest depends on the second the
    // story started in, so check the list, not its first name.
    assert.match(hover, new RegExp(`${burst![1]} pods, newest first:\\n- (jupyter|user-placeholder)-`));
    assert.match(hover, /\n- jupyter-student-\d+\n/);
    // Expanding lists the events, one per pod; clicking the row opens them all in a read-only document.
    const members = (await api.clusters.getChildren(groupNode)).map(text);
    assert.ok(members.length >= Number(burst![1]), `${members.length} events for ${burst![1]} pods`);
    for (const r of members)
      assert.match(r, /^FailedScheduling(?: ×\d+)? \| (?:\d+m|\d+m\d+s|\d+s) ago · pod\/(jupyter-|user-placeholder-)/);
    const uri = await vscode.commands.executeCommand<string>(
      groupItem.command!.command,
      ...(groupItem.command!.arguments ?? []),
    );
    const document = vscode.window.activeTextEditor!.document;
    assert.equal(document.uri.toString(), uri);
    assert.equal(document.uri.scheme, 'jupyterhubops-event');
    assert.match(document.getText(), new RegExp(`^${burst![1]} near-identical FailedScheduling events in context lab`));
    assert.match(document.getText(), /^ {2}jupyter-\S+$/m);
    assert.match(document.getText(), /^message: {2}0\/\d+ nodes are available: /m);
    // A single event row opens that event.
    const single = (await api.clusters.getChildren(await nodeAt(['lab', 'hub-classroom', 'Events']))).find(
      (n) => n.kind === 'event',
    )!;
    const singleItem = api.clusters.getTreeItem(single);
    await vscode.commands.executeCommand(singleItem.command!.command, ...(singleItem.command!.arguments ?? []));
    assert.match(vscode.window.activeTextEditor!.document.getText(), /^reason: {3}\S+ \((Normal|Warning)\)$/m);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the OOM-looping hub: OOMKilled, restarts and memory against the limit', async () => {
    const hubs = await waitRows(['lab'], (r) => /OOMKilled ×4/.test(row(r, 'hub-physics') ?? ''), 'four OOM kills');
    assert.equal(row(hubs, 'hub-physics'), 'hub-physics | down · OOMKilled ×4 · 5.3.0');
    const hubNode = await nodeAt(['lab', 'hub-physics']);
    const hubItem = api.clusters.getTreeItem(hubNode);
    assert.equal((hubItem.iconPath as vscode.ThemeIcon).id, 'error');
    assert.match(hubItem.resourceUri!.path, /^\/oom\//);
    // Pod metrics are polled (every 5 s here): the last sample before the kill, near the limit.
    const [pod] = await waitRows(['lab', 'hub-physics', 'Hub'], (r) => /1\.9Gi \/ 2Gi/.test(r[0] ?? ''), 'hub memory');
    assert.match(
      pod!,
      /^hub-\S+ \| CrashLoopBackOff · OOMKilled \(137\) (?:\d+m)?\d+s ago · 4 restarts · 1\.9Gi \/ 2Gi · 9\d%$/,
    );
    const podNode = await nodeAt(['lab', 'hub-physics', 'Hub', pod!.split(' | ')[0]!]);
    const item = api.clusters.getTreeItem(podNode);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'error');
    assert.equal(((item.iconPath as vscode.ThemeIcon).color as vscode.ThemeColor).id, 'problemsErrorIcon.foreground');
    assert.equal(item.contextValue, 'pod');
    assert.match((item.tooltip as vscode.MarkdownString).value, /killed by the kernel for memory/);
    // The events come by a watch of their own: wait for the fourth kill's, as for the pods' restarts.
    const events = await waitRows(
      ['lab', 'hub-physics', 'Events'],
      (r) => r.some((e) => e.startsWith('OOMKilling ×4 |')),
      'the fourth OOMKilling event',
    );
    assert.match(events[0]!, /^(OOMKilling|BackOff) ×4 \| \d+s ago · /);
    assert.ok(
      events.some((r) =>
        /^OOMKilling ×4 \| .*node\/gke-hub-cluster-core-pool-\S+: Memory cgroup out of memory: Killed process \d+ \(jupyterhub\)/.test(
          r,
        ),
      ),
    );
  });

  it('tells a hub that exited after consecutive spawn failures (exit 1) from an OOMKilled one', async () => {
    const hubs = await waitRows(
      ['lab'],
      (r) => /spawn failures/.test(row(r, 'hub-aborting') ?? ''),
      'the previous log read',
    );
    assert.equal(row(hubs, 'hub-aborting'), 'hub-aborting | degraded · exit 1 after 5 spawn failures ×1 · 5.3.0');
    const [pod] = await rowsAt(['lab', 'hub-aborting', 'Hub']);
    assert.match(pod!, /^hub-\S+ \| Running · 5 spawn failures \(exit 1\) \d+m\d*s? ago · 1 restart · /);
    assert.doesNotMatch(pod!, /OOMKilled/);
    const item = api.clusters.getTreeItem(await nodeAt(['lab', 'hub-aborting', 'Hub', pod!.split(' | ')[0]!]));
    assert.notEqual((item.iconPath as vscode.ThemeIcon).id, 'error');
    assert.match(
      (item.tooltip as vscode.MarkdownString).value,
      /consecutive spawn failures \(consecutiveFailureLimit\), not for lack of memory/,
    );
  });

  it('updates a hub’s rows after a watch event, without a refresh', async () => {
    const before = await rowsAt(['lab', 'hub-modern', 'User servers']);
    server.cluster.apply(userPod({ namespace: 'hub-modern', chart: '4.2.0', username: 'newcomer' }));
    const after = await waitRows(
      ['lab', 'hub-modern', 'User servers'],
      (r) => r.length === before.length + 1,
      'newcomer',
    );
    assert.match(after[0]!, /^newcomer \| Pending · /);
    assert.match(row(await rowsAt(['lab', 'hub-modern']), 'User servers')!, /1 pending/);
    server.cluster.delete('Pod', 'hub-modern', 'jupyter-newcomer');
    await waitRows(['lab', 'hub-modern', 'User servers'], (r) => r.length === before.length, 'newcomer gone');
  });

  it('opens the previous and current logs and the pod YAML in read-only documents', async () => {
    const [hubRow] = await rowsAt(['lab', 'hub-aborting', 'Hub']);
    const hubPodNode = await nodeAt(['lab', 'hub-aborting', 'Hub', hubRow!.split(' | ')[0]!]);
    const previousUri = await vscode.commands.executeCommand<string>('jupyterhubOps.showPreviousPodLog', hubPodNode);
    const previous = vscode.window.activeTextEditor!.document;
    assert.equal(previous.uri.toString(), previousUri);
    assert.equal(previous.uri.scheme, 'jupyterhub-ops-pod');
    assert.match(previous.uri.path, /\(hub, previous\)\.log$/);
    assert.match(previous.getText(), /Aborting due to 5 consecutive spawn failures/);

    await vscode.commands.executeCommand('jupyterhubOps.showPodLog', hubPodNode);
    const current = vscode.window.activeTextEditor!.document;
    assert.match(current.uri.path, /\(hub\)\.log$/);
    assert.doesNotMatch(current.getText(), /Aborting due to/);
    assert.ok(current.getText().length > 0);

    const userNode = await nodeAt(['lab', 'hub-legacy', 'User servers', 'li.wei/gpu']);
    await vscode.commands.executeCommand('jupyterhubOps.showPodYaml', userNode);
    const yaml = vscode.window.activeTextEditor!.document;
    assert.equal(yaml.languageId, 'yaml');
    assert.match(yaml.getText(), /^kind: Pod$/m);
    assert.match(yaml.getText(), /name: jupyter-li-2ewei--gpu/);

    const copied = await vscode.commands.executeCommand<string>('jupyterhubOps.copyName', userNode);
    assert.equal(copied, 'jupyter-li-2ewei--gpu');
    assert.equal(await vscode.env.clipboard.readText(), 'jupyter-li-2ewei--gpu');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('says 401 plainly for expired credentials, without the token', async () => {
    const rows = await waitRows(['expired'], (r) => r[0]?.startsWith('Credentials rejected') ?? false, '401 row');
    assert.deepEqual(rows, [
      "Credentials rejected | the API server rejected the credentials (401 Unauthorized). The token may have expired: refresh the kubeconfig's credentials.",
    ]);
    const item = api.clusters.getTreeItem((await api.clusters.getChildren(await nodeAt(['expired'])))[0]!);
    assert.doesNotMatch(JSON.stringify(item), /expired-token/);
    assert.equal(row(await rowsAt([]), 'expired'), 'expired | credentials rejected (401)');
  });

  it('says 403 with the namespaces hint, and shows the namespaces it may read once they are set', async () => {
    const rows = await waitRows(['physics-only'], (r) => r[0]?.startsWith('Not allowed') ?? false, '403 row');
    assert.equal(rows.length, 1);
    assert.match(
      rows[0]!,
      /^Not allowed \| not allowed to list pods across all namespaces \(403 Forbidden: pods is forbidden: /,
    );
    assert.match(rows[0]!, /list them in the jupyterhubOps\.namespaces setting/);
    const errorNode = (await api.clusters.getChildren(await nodeAt(['physics-only'])))[0]!;
    assert.equal(api.clusters.getTreeItem(errorNode).command?.command, 'workbench.action.openSettings');

    await config().update('namespaces', ['hub-physics'], true);
    const limited = await waitRows(
      ['physics-only'],
      (r) => r.some((x) => x.startsWith('hub-physics | ')),
      'hub-physics',
    );
    assert.ok(
      limited.some((r) => /^Partly not allowed \| not allowed to list nodes at the cluster scope \(403/.test(r)),
      limited.join('\n'),
    );
    assert.deepEqual(
      limited.filter((r) => r.startsWith('hub-')).map((r) => r.split(' | ')[0]),
      ['hub-physics'],
      limited.join('\n'),
    );
    assert.match(row(limited, 'hub-physics')!, /^hub-physics \| down · OOMKilled ×\d+ · 5\.3\.0$/);
    await config().update('namespaces', undefined, true);
    await waitRows(['physics-only'], (r) => r[0]?.startsWith('Not allowed') ?? false, '403 again without the setting');
  });

  it('shows an unreachable cluster as an error row and recovers by itself', async () => {
    await waitRows(['lab'], (r) => hubsOnly(r).length === 5, 'five hubs before');
    const back = server.setUnreachable(4000);
    const down = await waitRows(
      ['lab'],
      (r) => r[0]?.startsWith('Cannot reach the cluster') ?? false,
      'unreachable row',
    );
    assert.match(
      down[0]!,
      /^Cannot reach the cluster \| cannot reach the API server at https:\/\/127\.0\.0\.1:\d+ \(connection (refused|closed|reset)\)\.$/,
    );
    // The last hubs seen stay, marked as such.
    assert.ok(
      down.slice(1).every((r) => r.endsWith(' · last seen')),
      down.join('\n'),
    );
    await back;
    const recovered = await waitRows(
      ['lab'],
      (r) => hubsOnly(r).length === 5 && !r.some((x) => x.includes('last seen')),
      'recovered',
    );
    assert.deepEqual(
      hubsOnly(recovered).map((r) => r.split(' | ')[0]),
      ['hub-aborting', 'hub-classroom', 'hub-legacy', 'hub-modern', 'hub-physics'],
    );
  });

  it('gives other features the model: hubs with version, hub pod and memory limit', async () => {
    const physics = api.clusters.hubs().find((h) => h.context === 'lab' && h.namespace === 'hub-physics');
    assert.ok(physics);
    assert.equal(physics.jupyterhubVersion, '5.3.0');
    assert.equal(physics.memoryLimitBytes, 2 * 1024 ** 3);
    assert.match(physics.hubPod ?? '', /^hub-/);
    assert.equal(physics.health, 'down');
    assert.ok(api.clusters.model().contexts.some((c) => c.name === 'lab' && c.status === 'ok'));
  });

  it('hands the watchers’ observations on (for the incident journal)', () => {
    const oom = observations.filter((o) => o.kind === 'pod-oomkilled' && o.hub === 'hub-physics');
    assert.ok(oom.length >= 1, JSON.stringify(observations.slice(0, 20)));
    assert.ok(observations.some((o) => o.kind === 'pod-pending' && o.hub === 'hub-classroom'));
    assert.ok(observations.some((o) => o.kind === 'pod-restarted' && o.hub === 'hub-aborting'));
  });
});
