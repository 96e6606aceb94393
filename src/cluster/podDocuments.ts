import * as vscode from 'vscode';
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

export class PodDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly live: LiveContexts,
    private readonly log: Log,
  ) {}

  /** Opens (or re-reads, when it is open already) a pod document in a read-only editor. */
  async show(request: PodDocumentRequest): Promise<vscode.TextDocument> {
    const uri = podDocumentUri(request);
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    return document;
  }

  dispose(): void {
    this.changed.dispose();
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const request = parsePodDocumentUri(uri);
    if (!request) return `This address does not name a pod document: ${uri.toString()}\n`;
    const started = await this.live.ensure(request.context);
    if (!started.ok) {
      this.log.warn(`Cluster: cannot open ${uri.path}: ${started.error}`);
      return `${started.error}\n`;
    }
    const { watcher } = started.value;
    const { context, namespace, pod } = request;
    if (request.what === 'yaml') {
      const yaml = await watcher.podYaml(context, namespace, pod);
      if (yaml.ok) return yaml.value;
      this.log.warn(`Cluster: could not read pod ${namespace}/${pod} in ${context}: ${yaml.error.message}`);
      return `Could not read pod ${pod}: ${yaml.error.message}\n`;
    }
    const podLog = await watcher.readPodLogs(context, namespace, pod, {
      ...(request.container ? { container: request.container } : {}),
      ...(request.previous ? { previous: true } : { tailLines: logTailLines }),
    });
    const which = request.previous ? 'previous log (before the last restart)' : 'log';
    if (!podLog.ok) {
      this.log.warn(
        `Cluster: could not read the ${which} of ${namespace}/${pod} in ${context}: ${podLog.error.message}`,
      );
      return `Could not read the ${which} of pod ${pod}: ${podLog.error.message}\n`;
    }
    return (
      podLog.value || `The ${which} of pod ${pod}${request.container ? ` (${request.container})` : ''} is empty.\n`
    );
  }
}
