import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { commands, contextKeys, settingIds } from '../vscode/contributes';
import type { EventDocumentProvider } from './eventDocuments';
import { groupObjects } from './eventGroups';
import type { KubeconfigSource } from './kubeconfigSource';
import type { ClusterNode, HubNode, PodNode } from './clusterNodes';
import type { ClustersTreeProvider } from './clustersTreeProvider';
import type { LiveContexts } from './liveContexts';
import { podDocumentScheme, type PodDocumentProvider } from './podDocuments';
import { hubPodOf } from './rowText';

interface PodTarget {
  context: string;
  namespace: string;
  pod: string;
  container: string | undefined;
}

/** The pod a row stands for: the pod itself, or a hub row's hub pod. */
function podTarget(node: ClusterNode | undefined): PodTarget | undefined {
  if (node?.kind === 'pod') return targetOf(node);
  if (node?.kind === 'hub') {
    const pod = hubPodOf(node.hub);
    return pod
      ? targetOf({ kind: 'pod', context: node.context, namespace: node.hub.namespace, hubKey: '', pod })
      : undefined;
  }
  return undefined;
}

function targetOf(node: PodNode): PodTarget {
  const { pod } = node;
  return {
    context: node.context,
    namespace: node.namespace,
    pod: pod.name,
    // The container whose memory and restarts the row shows (hub, chp, notebook, …).
    container: pod.memory.container ?? pod.lastTermination?.container ?? undefined,
  };
}

function nameOf(node: ClusterNode): string | undefined {
  switch (node.kind) {
    case 'context':
      return node.context.name;
    case 'hub':
      return node.hub.namespace;
    case 'pod':
      return node.pod.name;
    case 'event':
      return node.event.object.name;
    case 'eventGroup':
      return groupObjects(node.events).join('\n');
    default:
      return undefined;
  }
}

/** Why there is no pod to open, for the message the operator sees. */
function noPod(node: ClusterNode | undefined): string {
  return node?.kind === 'hub'
    ? `Hub ${node.hub.namespace} has no hub pod right now.`
    : 'Run this from a pod or hub row of the Clusters view.';
}

export function registerClusterCommands(deps: {
  tree: ClustersTreeProvider;
  live: LiveContexts;
  documents: PodDocumentProvider;
  events: EventDocumentProvider;
  kubeconfig: KubeconfigSource;
}): vscode.Disposable {
  const { tree, live, documents, events, kubeconfig } = deps;

  /** Opens a pod's log (current or previous container) or YAML in a read-only document. */
  const openPodDocument = async (node: ClusterNode | undefined, what: 'log' | 'yaml', previous = false) => {
    const target = podTarget(node);
    if (!target) {
      void vscode.window.showInformationMessage(noPod(node));
      return undefined;
    }
    const document = await documents.show({
      what,
      context: target.context,
      namespace: target.namespace,
      pod: target.pod,
      ...(what === 'log' && target.container ? { container: target.container } : {}),
      ...(previous ? { previous: true } : {}),
    });
    return document.uri.toString();
  };

  /** The pod tab a title action means: the one it was clicked on, else the active editor's. */
  const podTab = (uri: unknown): vscode.Uri | undefined => {
    const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    return target?.scheme === podDocumentScheme ? target : undefined;
  };
  const notATab = () => {
    void vscode.window.showInformationMessage('Run this from a pod log or YAML tab (opened from a pod row).');
    return undefined;
  };

  return vscode.Disposable.from(
    documents.onDidChangeFollowing(
      () =>
        void vscode.commands.executeCommand(
          'setContext',
          contextKeys.followedPodLogs,
          documents.followedResourcePaths(),
        ),
    ),
    vscode.commands.registerCommand(commands.refreshPodDocument, async (uri?: unknown) => {
      const tab = podTab(uri);
      if (!tab) return notATab();
      await documents.refresh(tab);
      return tab.toString();
    }),
    vscode.commands.registerCommand(commands.followPodLog, async (uri?: unknown) => {
      const tab = podTab(uri);
      if (!tab) return notATab();
      if (!(await documents.follow(tab)))
        void vscode.window.showInformationMessage('Only the current log of a container can be followed.');
      return tab.toString();
    }),
    vscode.commands.registerCommand(commands.stopFollowingPodLog, (uri?: unknown) => {
      const tab = podTab(uri);
      if (!tab) return notATab();
      documents.stopFollowing(tab);
      return tab.toString();
    }),
    /** No row: re-read the kubeconfig and restart every watch. A context row: restart its watch. A hub row: read its metrics now. */
    vscode.commands.registerCommand(commands.refresh, async (node?: ClusterNode) => {
      if (node?.kind === 'context') live.restart(node.context.name);
      else if (node?.kind === 'hub') await refreshHub(live, node);
      else tree.refresh();
    }),
    vscode.commands.registerCommand(commands.showPodLog, (node?: ClusterNode) => openPodDocument(node, 'log')),
    vscode.commands.registerCommand(commands.showPreviousPodLog, (node?: ClusterNode) =>
      openPodDocument(node, 'log', true),
    ),
    vscode.commands.registerCommand(commands.showPodYaml, (node?: ClusterNode) => openPodDocument(node, 'yaml')),
    /** An event row (or a group of near-identical events) in a read-only document: returns its URI. */
    vscode.commands.registerCommand(commands.showEvent, async (node?: ClusterNode) => {
      if (node?.kind !== 'event' && node?.kind !== 'eventGroup') return undefined;
      return (await events.show(node)).uri.toString();
    }),
    vscode.commands.registerCommand(commands.openKubeconfigSetting, () =>
      vscode.commands.executeCommand('workbench.action.openSettings', settingIds.kubeconfig),
    ),
    /** A problem row's file, or the kubeconfig's first file that exists: returns the file opened. */
    vscode.commands.registerCommand(commands.openKubeconfigFile, async (target?: ClusterNode | string) => {
      const file =
        typeof target === 'string'
          ? target
          : target?.kind === 'message' && target.file
            ? target.file
            : kubeconfig.get().files.find((f) => existsSync(f));
      if (!file || !existsSync(file)) {
        void vscode.window.showWarningMessage(`No kubeconfig file at ${file ?? kubeconfig.get().files.join(', ')}.`);
        return undefined;
      }
      await vscode.window.showTextDocument(vscode.Uri.file(file));
      return file;
    }),
    vscode.commands.registerCommand(commands.copyName, async (node?: ClusterNode) => {
      const name = node ? nameOf(node) : undefined;
      if (name === undefined) return undefined;
      await vscode.env.clipboard.writeText(name);
      return name;
    }),
  );
}

async function refreshHub(live: LiveContexts, node: HubNode): Promise<void> {
  const watch = live.watch(node.context);
  if (!watch) return;
  await watch.watcher.refreshHubMetrics(node.context, node.hub.namespace, node.hub.release);
}
