import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';
import type { ContextModel, HubModel } from '../core/cluster/model';
import type { KubeconfigProblem, LoadedKubeconfig } from '../core/cluster/kubeconfig';
import { commands, settingIds } from '../vscode/contributes';
import { settings } from '../vscode/settings';
import {
  hubNodeKey,
  type ClusterNode,
  type ContextNode,
  type GroupKind,
  type GroupNode,
  type HubNode,
  type MessageNode,
} from './clusterNodes';
import { contextItem, messageItem } from './contextItems';
import { eventGroupItem, eventItem } from './eventItem';
import { groupEvents } from './eventGroups';
import type { DbFindings } from './dbFindings';
import { groupItem, hubItem } from './hubItems';
import type { KubeconfigSource } from './kubeconfigSource';
import type { LiveContexts } from './liveContexts';
import { podItem } from './podItem';
import { contextState, contextSummary, problemLabel, sortPods, warningLabel, withoutContext } from './rowText';

/** Changes arriving together (several contexts, a burst of watch events) become one tree refresh. */
const refreshDelayMs = 50;
/** How long a refreshed open context waits for VS Code to fetch its rows before refreshing it again. */
const refetchWaitMs = 1000;
const maxRefreshAttempts = 3;

const podGroups: GroupKind[] = ['hub', 'proxy', 'user', 'placeholder', 'other'];

/**
 * The Clusters view: kubeconfig contexts → hubs → groups → pods and events. Contexts come from the
 * kubeconfig; everything below a context from its live watch (see LiveContexts), started when the
 * context is first expanded. A change to one hub refreshes that hub's rows only; a change to a context's
 * shape (status, warnings, hubs appearing) refreshes the context.
 */
export class ClustersTreeProvider implements vscode.TreeDataProvider<ClusterNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClusterNode | ClusterNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** One object per row that can be refreshed on its own: VS Code finds rows by object identity. */
  private readonly contextNodes = new Map<string, ContextNode>();
  private readonly hubNodes = new Map<string, HubNode>();
  /** The model each expanded context's rows were last built from. */
  private readonly shown = new Map<string, ContextModel | undefined>();
  private readonly pending = new Set<ClusterNode>();
  /**
   * Open contexts whose row was refreshed and whose hub rows VS Code has not fetched again yet. A refresh
   * makes the extension host forget the row's children until the view fetches them again, and two things
   * go wrong in VS Code 1.139 when the view is busy with that row (it was just opened, or a hub under it
   * was clicked):
   * - the view can skip the fetch, and keep hub rows that the extension host no longer knows: opening one
   *   then shows nothing. So a refresh that was not followed by a fetch within `refetchWaitMs` is sent again;
   * - a hub opened before the fetch gets an empty answer that the view keeps (the host logs "No tree item
   *   with id … found"). So the hubs are refreshed once more right after the context's rows come back.
   */
  private readonly refetching = new Map<string, NodeJS.Timeout>();
  /** Contexts open in the view (VS Code re-fetches the rows of an open row it refreshes). */
  private readonly expanded = new Set<string>();
  private rootPending = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly historyNodes = new Map<string, MessageNode>();
  /** What each context row last said about its hubs (see `contextChanged`). */
  private readonly rowSummaries = new Map<string, string>();
  /** The context's history row (where Prometheus is), once a feature provides it (setHistoryRow). */
  private historyRow: ((context: string) => MessageNode) | undefined;

  constructor(
    private readonly kubeconfig: KubeconfigSource,
    private readonly live: LiveContexts,
    private readonly findings: DbFindings,
  ) {
    this.subscriptions = [
      kubeconfig.onDidChange((loaded) => this.kubeconfigChanged(loaded)),
      live.onDidChangeContext((name) => this.contextChanged(name)),
      findings.onDidChange(({ context, namespace }) => this.findingChanged(context, namespace)),
    ];
  }

  /** Re-reads the kubeconfig and restarts every watch. */
  refresh(): void {
    this.kubeconfig.reload();
    this.live.restartAll();
  }

  /** Shows one history row per opened context; `changed` fires a context's name when its row changes. */
  setHistoryRow(row: (context: string) => MessageNode, changed: vscode.Event<string>): vscode.Disposable {
    this.historyRow = row;
    return changed((name) => {
      const node = this.contextNodes.get(name);
      if (!node || !this.shown.has(name)) return;
      // Only the history row changes: refresh that row, not the context (see `refetching` for why not).
      const shownRow = this.historyNodes.get(name);
      this.pending.add(shownRow ? this.historyNode(name) : node);
      this.schedule();
    });
  }

  /** The context's history row: one object per context, updated in place, so it can refresh on its own. */
  private historyNode(name: string): MessageNode {
    const fresh = this.historyRow!(name);
    const node = this.historyNodes.get(name);
    if (!node) {
      this.historyNodes.set(name, fresh);
      return fresh;
    }
    const fields = node as unknown as Record<string, unknown>;
    for (const key of Object.keys(fields)) if (!(key in fresh)) delete fields[key];
    return Object.assign(node, fresh);
  }

  async getChildren(element?: ClusterNode): Promise<ClusterNode[]> {
    if (!element) return this.contextRows();
    switch (element.kind) {
      case 'context':
        return this.hubRows(element);
      case 'hub':
        return this.groupRows(element);
      case 'group':
        return this.groupChildren(element);
      case 'eventGroup':
        return element.events.map((event) => ({
          kind: 'event',
          context: element.context,
          hubKey: element.hubKey,
          event,
        }));
      default:
        return [];
    }
  }

  getTreeItem(node: ClusterNode): vscode.TreeItem {
    const now = Date.now();
    switch (node.kind) {
      case 'context': {
        const summary = this.live.summary(node.context.name);
        this.rowSummaries.set(node.context.name, summaryKey(summary));
        return contextItem(node, summary);
      }
      case 'hub':
        return hubItem(
          node,
          `hub:${hubNodeKey(node.context, node.hub)}`,
          now,
          this.findings.recent(node.context, node.hub.namespace, now),
        );
      case 'group':
        return groupItem(node, this.currentHub(node), `group:${node.hubKey}:${node.group}`);
      case 'pod':
        return podItem(node, `pod:${node.hubKey}:${node.pod.uid || node.pod.name}`, now);
      case 'event':
        return eventItem(node, `event:${node.hubKey}:${node.event.key}`, now);
      case 'eventGroup':
        return eventGroupItem(node, `events:${node.hubKey}:${node.groupKey}`, now);
      case 'message':
        return messageItem(node);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const timer of this.refetching.values()) clearTimeout(timer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  // ---- rows ---------------------------------------------------------------------------------------------

  private contextRows(): ClusterNode[] {
    const loaded = this.kubeconfig.get();
    const state = this.kubeconfig.state();
    // No contexts and nothing wrong to show (no ~/.kube/config yet, or files without contexts): no rows,
    // so that the view's welcome text (package.json viewsWelcome, by jupyterhubOps.kubeconfigState) shows.
    const problems = state === 'missing' || state === 'empty' ? [] : loaded.problems;
    const rows: ClusterNode[] = problems.map((problem, i) => kubeconfigProblemRow(problem, i, this.kubeconfig));
    const names = new Set<string>();
    for (const context of loaded.contexts) {
      names.add(context.name);
      // The collapsed row summarizes the context's hubs: a summary watch (z2jh pods only) per context.
      this.live.summarize(context.name);
      const node = this.contextNodes.get(context.name);
      if (node) node.context = context;
      else this.contextNodes.set(context.name, { kind: 'context', context });
      rows.push(this.contextNodes.get(context.name)!);
    }
    for (const name of [...this.contextNodes.keys()]) if (!names.has(name)) this.forgetContext(name);
    return rows;
  }

  private async hubRows(node: ContextNode): Promise<ClusterNode[]> {
    const name = node.context.name;
    // VS Code fetched the rows again after a refresh of the context row: see `refetching`.
    const healing = this.refetching.has(name);
    clearTimeout(this.refetching.get(name));
    this.refetching.delete(name);
    const started = await this.live.ensure(name);
    if (!started.ok) {
      this.shown.set(name, undefined);
      return [
        { kind: 'message', severity: 'error', label: 'Cannot watch', detail: started.error, id: `${name}:setup` },
      ];
    }
    await this.live.firstModel(started.value);
    const model = started.value.model;
    this.shown.set(name, model);
    if (!model) {
      return [
        {
          kind: 'message',
          severity: 'info',
          label: 'Connecting…',
          detail: node.context.server || name,
          id: `${name}:connecting`,
        },
      ];
    }
    const rows = this.contextChildren(name, model);
    if (healing) this.refreshHubsOf(name);
    return rows;
  }

  private contextChildren(name: string, model: ContextModel): ClusterNode[] {
    const rows: ClusterNode[] = [];
    const failing = model.status === 'error';
    if (failing) {
      const code = model.error?.code ?? 'unknown';
      const message = model.error?.message ?? 'The context cannot be read.';
      rows.push({
        kind: 'message',
        severity: 'error',
        label: problemLabel(code),
        detail: withoutContext(message, name),
        tooltip: `${message}\n\nRetrying by itself; Refresh retries now.`,
        id: `${name}:error`,
        ...(code === 'forbidden' ? { command: namespacesSettingCommand } : {}),
      });
    }
    // A context that cannot be read fails on every request (events, nodes, metrics): its error row says it once.
    const warnings = failing ? [] : model.warnings;
    warnings.forEach((warning, i) =>
      rows.push({
        kind: 'message',
        severity: 'warning',
        label: warningLabel(warning),
        detail: withoutContext(warning, name),
        tooltip: warning,
        id: `${name}:warning:${i}`,
      }),
    );
    if (!failing && this.historyRow) rows.push(this.historyNode(name));
    const keys = new Set<string>();
    for (const hub of [...model.hubs].sort((a, b) => a.namespace.localeCompare(b.namespace))) {
      const key = hubNodeKey(name, hub);
      keys.add(key);
      const existing = this.hubNodes.get(key);
      if (existing) {
        existing.hub = hub;
        existing.stale = failing;
      } else {
        this.hubNodes.set(key, { kind: 'hub', context: name, hub, stale: failing });
      }
      rows.push(this.hubNodes.get(key)!);
    }
    for (const [key, hubNode] of [...this.hubNodes]) {
      if (hubNode.context === name && !keys.has(key)) this.hubNodes.delete(key);
    }
    if (!failing && model.hubs.length === 0) {
      const namespaces = settings.namespaces();
      rows.push({
        kind: 'message',
        severity: 'info',
        label: 'No JupyterHub found',
        detail: namespaces.length
          ? `no z2jh pods in ${namespaces.join(', ')} (${settingIds.namespaces})`
          : 'no z2jh pods in any namespace',
        id: `${name}:empty`,
      });
    }
    return rows;
  }

  private groupRows(node: HubNode): ClusterNode[] {
    const hubKey = hubNodeKey(node.context, node.hub);
    const { hub } = node;
    const groups = podGroups.filter(
      (group) => group === 'hub' || group === 'proxy' || group === 'user' || hub.pods.some((p) => p.role === group),
    );
    const base = { kind: 'group', context: node.context, hubKey, hub } as const;
    const rows: ClusterNode[] = groups.map((group): GroupNode => ({ ...base, group }));
    if (hub.events.length > 0) rows.push({ ...base, group: 'events' });
    return rows;
  }

  private groupChildren(node: GroupNode): ClusterNode[] {
    const hub = this.currentHub(node);
    const base = { context: node.context, hubKey: node.hubKey };
    // Row ids must be unique: a repeated event or pod would break the whole tree, so keep the first.
    if (node.group === 'events') {
      return groupEvents(uniqueBy(hub.events, (e) => e.key)).map((group): ClusterNode =>
        group.events.length === 1
          ? { kind: 'event', ...base, event: group.events[0]! }
          : { kind: 'eventGroup', ...base, groupKey: group.key, events: group.events },
      );
    }
    const pods = sortPods(uniqueBy(hub.pods, (p) => p.uid || p.name).filter((p) => p.role === node.group));
    if (pods.length === 0) {
      return [
        {
          kind: 'message',
          severity: 'info',
          label: `No ${node.group} pod`,
          detail: '',
          id: `${node.hubKey}:${node.group}:none`,
        },
      ];
    }
    return pods.map((pod) => ({ kind: 'pod', ...base, namespace: hub.namespace, pod }));
  }

  /** The hub's latest model (the hub node is updated in place); the group's own copy if the hub is gone. */
  private currentHub(node: GroupNode): HubModel {
    return this.hubNodes.get(node.hubKey)?.hub ?? node.hub;
  }

  // ---- changes ------------------------------------------------------------------------------------------

  private kubeconfigChanged(loaded: LoadedKubeconfig): void {
    this.live.reconcile(loaded);
    this.rootPending = true;
    this.schedule();
  }

  /**
   * A context's model changed. When only hubs' contents changed, refresh those hubs (their node objects
   * are updated in place); anything else refreshes the context.
   */
  private contextChanged(name: string): void {
    const node = this.contextNodes.get(name);
    if (!node) return;
    if (!this.shown.has(name)) {
      // Never opened: only its row shows anything; refresh it when what it says changes.
      if (summaryKey(this.live.summary(name)) !== this.rowSummaries.get(name)) {
        this.pending.add(node);
        this.schedule();
      }
      return;
    }
    const before = this.shown.get(name);
    const after = this.live.watch(name)?.model;
    if (!before || !after || shapeOf(before) !== shapeOf(after)) {
      this.pending.add(node);
      this.schedule();
      return;
    }
    // A collapsed row's summary (worst state, counts) follows its hubs; an open one is brought up to date
    // when it is collapsed (see followExpansion): refreshing an open context drops its rows' handles.
    if (!this.expanded.has(name) && summaryKey(this.live.summary(name)) !== this.rowSummaries.get(name))
      this.pending.add(node);
    for (const hub of after.hubs) {
      const hubNode = this.hubNodes.get(hubNodeKey(name, hub));
      if (!hubNode) {
        this.pending.add(node);
        break;
      }
      // Compared in place (12 ms for 200 hubs of 50 pods, where JSON text on both sides took 25 ms).
      if (!isDeepStrictEqual(hubNode.hub, hub)) {
        hubNode.hub = hub;
        this.pending.add(hubNode);
      }
    }
    this.shown.set(name, after);
    this.schedule();
  }

  /** A new hub DB finding changes only that hub's row. */
  private findingChanged(context: string, namespace: string): void {
    for (const hubNode of this.hubNodes.values())
      if (hubNode.context === context && hubNode.hub.namespace === namespace) this.pending.add(hubNode);
    this.schedule();
  }

  /** Follows which contexts are open in `view`: only an open row's refresh is followed by a fetch. */
  followExpansion(view: vscode.TreeView<ClusterNode>): vscode.Disposable {
    return vscode.Disposable.from(
      view.onDidExpandElement(({ element }) => {
        if (element.kind === 'context') this.expanded.add(element.context.name);
      }),
      view.onDidCollapseElement(({ element }) => {
        if (element.kind !== 'context') return;
        const name = element.context.name;
        this.expanded.delete(name);
        if (summaryKey(this.live.summary(name)) !== this.rowSummaries.get(name)) {
          this.pending.add(element);
          this.schedule();
        }
      }),
    );
  }

  /** After a refresh of an open context's row, expects VS Code to fetch its hub rows (see `refetching`). */
  private expectRefetch(name: string, attempt: number): void {
    clearTimeout(this.refetching.get(name));
    this.refetching.delete(name);
    if (!this.expanded.has(name) || !this.shown.has(name)) return;
    const timer = setTimeout(() => {
      this.refetching.delete(name);
      const node = this.contextNodes.get(name);
      if (!node || !this.expanded.has(name) || attempt >= maxRefreshAttempts) return;
      this.changed.fire([node]);
      this.expectRefetch(name, attempt + 1);
    }, refetchWaitMs);
    this.refetching.set(name, timer);
  }

  /** Refreshes the hub rows of a context (after its rows came back; see `refetching`). */
  private refreshHubsOf(name: string): void {
    for (const hubNode of this.hubNodes.values()) if (hubNode.context === name) this.pending.add(hubNode);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.rootPending) {
        this.rootPending = false;
        this.pending.clear();
        for (const name of this.shown.keys()) this.expectRefetch(name, 1);
        this.changed.fire(undefined);
        return;
      }
      const contexts = new Set([...this.pending].filter((n) => n.kind === 'context').map((n) => n.context.name));
      for (const name of contexts) this.expectRefetch(name, 1);
      // A context being refreshed refreshes its hubs too.
      const nodes = [...this.pending].filter((n) => n.kind !== 'hub' || !contexts.has(n.context));
      this.pending.clear();
      if (nodes.length) this.changed.fire(nodes);
    }, refreshDelayMs);
  }

  private forgetContext(name: string): void {
    this.contextNodes.delete(name);
    this.shown.delete(name);
    this.historyNodes.delete(name);
    this.rowSummaries.delete(name);
    this.expanded.delete(name);
    clearTimeout(this.refetching.get(name));
    this.refetching.delete(name);
    for (const [key, hubNode] of [...this.hubNodes]) if (hubNode.context === name) this.hubNodes.delete(key);
  }
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}

/** What a context row says about its hubs (and the colour of its icon). */
function summaryKey(model: ContextModel | undefined): string {
  return `${contextState(model)}|${contextSummary(model)}`;
}

/** What decides a context's rows apart from the hubs' contents. */
/**
 * What decides an open context's rows (not its hubs' health: the hub rows show that, and refreshing the
 * context only for it would drop the handles of the rows under it while VS Code may be fetching them).
 */
function shapeOf(model: ContextModel): string {
  return JSON.stringify([
    model.status,
    model.error ?? null,
    model.warnings,
    model.hubs.map((h) => [h.namespace, h.release]),
  ]);
}

const originWords = {
  setting: `the ${settingIds.kubeconfig} setting`,
  KUBECONFIG: 'the KUBECONFIG environment variable',
  default: "kubectl's default, ~/.kube/config",
} as const;

/**
 * A kubeconfig file that cannot be used: the reason on the row, the path and where it came from in the
 * hover; clicking opens the file (or the setting, when there is no file), and its menu offers both.
 */
function kubeconfigProblemRow(problem: KubeconfigProblem, i: number, source: KubeconfigSource): MessageNode {
  const missing = problem.kind === 'missing';
  const open = missing
    ? { command: commands.openKubeconfigSetting, title: 'Open Kubeconfig Setting' }
    : { command: commands.openKubeconfigFile, title: 'Open Kubeconfig File', arguments: [problem.file] };
  return {
    kind: 'message',
    severity: 'error',
    label: 'Kubeconfig problem',
    detail: problem.message,
    tooltip: [
      missing ? 'The kubeconfig file does not exist.' : 'The kubeconfig file cannot be read.',
      '',
      `file: ${problem.file}`,
      `from: ${originWords[source.origin()]}`,
      `reason: ${problem.message}`,
      '',
      missing
        ? `Click to open the ${settingIds.kubeconfig} setting.`
        : `Click to open the file; its menu also opens the ${settingIds.kubeconfig} setting.`,
    ].join('\n'),
    id: `kubeconfig-problem:${i}`,
    contextValue: missing ? 'kubeconfig-problem-missing' : 'kubeconfig-problem-file',
    file: problem.file,
    command: open,
  };
}

const namespacesSettingCommand = {
  command: 'workbench.action.openSettings',
  title: 'Open the namespaces setting',
  arguments: [settingIds.namespaces],
};
