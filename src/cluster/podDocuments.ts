import * as vscode from 'vscode';
import { PodLogTab } from '../core/cluster/podLogView';
import { localTimezone } from '../core/incident/zonedTime';
import type { Log } from '../vscode/log';
import type { LiveContexts } from './liveContexts';

/**
 * Pod logs and pod YAML as read-only documents under their own URI scheme: what to read is in the URI's
 * query, the path only names the tab (`hub-7d9f…-x2 (hub, previous).log`, `jupyter-ana.yaml`), so the
 * editor picks the log or YAML language by extension.
 */
export const podDocumentScheme = 'jupyterhub-ops-pod';

export interface PodDocumentRequest {
  what: 'log' | 'yaml';
  context: string;
  namespace: string;
  pod: string;
  /** For logs: the container (default: the pod's only one). */
  container?: string;
  /** For logs: the run before the last restart (`kubectl logs --previous`). */
  previous?: boolean;
}

/** Current logs are cut to their tail: a hub's log since start can be hundreds of MB. */
export const logTailLines = 5000;

export function podDocumentUri(request: PodDocumentRequest): vscode.Uri {
  const query = new URLSearchParams({
    what: request.what,
    context: request.context,
    namespace: request.namespace,
    pod: request.pod,
    ...(request.container ? { container: request.container } : {}),
    ...(request.previous ? { previous: '1' } : {}),
  });
  const qualifiers = [request.container, request.previous ? 'previous' : ''].filter(Boolean).join(', ');
  const file =
    request.what === 'yaml' ? `${request.pod}.yaml` : `${request.pod}${qualifiers ? ` (${qualifiers})` : ''}.log`;
  // Pod and namespace names are DNS labels (no slash); the context, which may hold one, stays in the query.
  return vscode.Uri.from({
    scheme: podDocumentScheme,
    path: `/${request.namespace}/${file}`,
    query: query.toString(),
  });
}

export function parsePodDocumentUri(uri: vscode.Uri): PodDocumentRequest | undefined {
  const query = new URLSearchParams(uri.query);
  const what = query.get('what');
  const context = query.get('context');
  const namespace = query.get('namespace');
  const pod = query.get('pod');
  if ((what !== 'log' && what !== 'yaml') || !context || !namespace || !pod) return undefined;
  const container = query.get('container');
  return {
    what,
    context,
    namespace,
    pod,
    ...(container ? { container } : {}),
    ...(query.get('previous') === '1' ? { previous: true } : {}),
  };
}

/** How often a followed tab is shown again at most while lines stream in. */
const followRenderMs = 150;

/**
 * Serves pod documents. A log tab is a `PodLogTab` (core): read once when opened, again on Refresh, or
 * followed (streamed, reconnecting after each restart) until Stop Following or until its tab closes.
 */
export class PodDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly tabs = new Map<string, PodLogTab>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly following = new vscode.EventEmitter<void>();
  /** A log tab started or stopped following. */
  readonly onDidChangeFollowing = this.following.event;
  private readonly subscriptions: vscode.Disposable[];
  private readonly followedPaths = new Set<string>();

  constructor(
    private readonly live: LiveContexts,
    private readonly log: Log,
    private readonly timezone: () => string = localTimezone,
  ) {
    this.subscriptions = [
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
          if (uri?.scheme === podDocumentScheme && !this.isShown(uri)) this.forget(uri);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === podDocumentScheme) this.forget(d.uri);
      }),
    ];
  }

  /** Opens (or reads again, when it is open already) a pod document in a read-only editor. */
  async show(request: PodDocumentRequest): Promise<vscode.TextDocument> {
    const uri = podDocumentUri(request);
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) await this.refresh(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    return document;
  }

  /** Reads the tab again in place: a log from the container's current (or newest previous) instance. */
  async refresh(uri: vscode.Uri): Promise<void> {
    const request = parsePodDocumentUri(uri);
    if (request?.what !== 'log') return this.changed.fire(uri);
    const tab = this.tabs.get(uri.toString());
    if (!tab) return this.changed.fire(uri);
    if (tab.isFollowing) tab.follow();
    else await tab.read();
    this.fireNow(uri);
  }

  /** Streams new lines into an open current-log tab (reconnecting after restarts) until stopped. */
  async follow(uri: vscode.Uri): Promise<boolean> {
    const request = parsePodDocumentUri(uri);
    if (request?.what !== 'log' || request.previous) return false;
    const tab = this.tabs.get(uri.toString()) ?? (await this.open(uri, request));
    if (typeof tab === 'string') return false;
    tab.follow();
    this.followChanged(uri, true);
    return true;
  }

  stopFollowing(uri: vscode.Uri): void {
    this.tabs.get(uri.toString())?.stopFollowing();
    this.followChanged(uri, false);
  }

  isFollowing(uri: vscode.Uri): boolean {
    return this.tabs.get(uri.toString())?.isFollowing ?? false;
  }

  /** The resource paths of the tabs being followed (for the editor title's `when` clauses). */
  followedResourcePaths(): string[] {
    return [...this.followedPaths];
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    for (const tab of this.tabs.values()) tab.dispose();
    this.tabs.clear();
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    this.changed.dispose();
    this.following.dispose();
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const request = parsePodDocumentUri(uri);
    if (!request) return `This address does not name a pod document: ${uri.toString()}\n`;
    if (request.what === 'log') {
      const known = this.tabs.get(uri.toString());
      if (known) return known.render();
      const tab = await this.open(uri, request);
      if (typeof tab === 'string') return tab;
      await tab.readOnce();
      return tab.render();
    }
    const started = await this.live.ensure(request.context);
    if (!started.ok) {
      this.log.warn(`Cluster: cannot open ${uri.path}: ${started.error}`);
      return `${started.error}\n`;
    }
    const { context, namespace, pod } = request;
    const yaml = await started.value.watcher.podYaml(context, namespace, pod);
    if (yaml.ok) return yaml.value;
    this.log.warn(`Cluster: could not read pod ${namespace}/${pod} in ${context}: ${yaml.error.message}`);
    return `Could not read pod ${pod}: ${yaml.error.message}\n`;
  }

  /** The tab's state, made on first need (or why there is none, as the document's text). */
  private async open(uri: vscode.Uri, request: PodDocumentRequest): Promise<PodLogTab | string> {
    const started = await this.live.ensure(request.context);
    if (!started.ok) {
      this.log.warn(`Cluster: cannot open ${uri.path}: ${started.error}`);
      return `${started.error}\n`;
    }
    const key = uri.toString();
    const existing = this.tabs.get(key);
    if (existing) return existing;
    const source = started.value.watcher.podLogSource(request.context, request.namespace, request.pod, {
      ...(request.container ? { container: request.container } : {}),
      tailLines: logTailLines,
    });
    if (!source) return `Context "${request.context}" is not being watched.\n`;
    const tab = new PodLogTab({
      pod: request.pod,
      container: request.container,
      previous: request.previous ?? false,
      tailLines: logTailLines,
      source,
      timezone: this.timezone,
      onChange: () => {
        this.schedule(uri);
        if (!tab.isFollowing && this.followedPaths.has(uri.path)) this.followChanged(uri, false);
      },
    });
    this.tabs.set(key, tab);
    return tab;
  }

  private isShown(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return vscode.window.tabGroups.all.some((g) =>
      g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key),
    );
  }

  /** The tab closed: its stream stops and its state goes (opening it again reads afresh). */
  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const tab = this.tabs.get(key);
    if (!tab) return;
    tab.dispose();
    this.tabs.delete(key);
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
    this.followChanged(uri, false);
  }

  private followChanged(uri: vscode.Uri, following: boolean): void {
    const had = this.followedPaths.has(uri.path);
    if (following === had) return;
    if (following) this.followedPaths.add(uri.path);
    else this.followedPaths.delete(uri.path);
    this.following.fire();
  }

  /** Shows a tab's new state soon (lines stream in by the chunk; the editor gets them a few times a second). */
  private schedule(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.pending.has(key)) return;
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        this.changed.fire(uri);
      }, followRenderMs),
    );
  }

  private fireNow(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
    this.changed.fire(uri);
  }
}
