import * as vscode from 'vscode';
import type { ClustersApi } from '../cluster';
import type { KubeconfigSource } from '../cluster/kubeconfigSource';
import type { IncidentRecorder } from '../incident/incidentRecorder';
import { commands } from '../vscode/contributes';
import { showUserError, type Log } from '../vscode/log';
import { checkReadiness, type ReadinessOutcome } from './checkReadiness';
import { ReadinessPanels } from './readinessPanels';

export type { ReadinessOutcome, ReadinessRequest } from './checkReadiness';

/** What the readiness feature gives the rest of the extension (and the in-host tests). */
export interface ReadinessApi extends vscode.Disposable {
  panels: ReadinessPanels;
}

/** "Check Readiness for an Event…" and its panel. */
export function registerReadiness(
  context: vscode.ExtensionContext,
  deps: { clusters: ClustersApi; kubeconfig: KubeconfigSource; recorder: IncidentRecorder; log: Log },
): ReadinessApi {
  const panels = new ReadinessPanels(context.extensionUri, deps.log);
  const command = vscode.commands.registerCommand(
    commands.checkReadiness,
    async (argument?: unknown): Promise<ReadinessOutcome> => {
      try {
        return await checkReadiness({ ...deps, panels }, argument);
      } catch (error) {
        return showUserError(deps.log, error, 'Check Readiness');
      }
    },
  );
  return { panels, dispose: () => vscode.Disposable.from(command, panels).dispose() };
}
