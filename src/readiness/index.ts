import * as vscode from 'vscode';
import type { ClustersApi } from '../cluster';
import type { KubeconfigSource } from '../cluster/kubeconfigSource';
import type { IncidentRecorder } from '../incident/incidentRecorder';
import type { SpawnHistorySource } from '../core/readiness/spawnHistory';
import { commands } from '../vscode/contributes';
import { showUserError, type Log } from '../vscode/log';
import type { ReadinessOutcome } from './checkReadiness';
import type { ReadinessPanels } from './readinessPanels';
import type { ReadinessSession } from './readinessSession';

export type { ReadinessOutcome, ReadinessRequest } from './checkReadiness';

/** What the readiness feature gives the rest of the extension (and the in-host tests). */
export interface ReadinessApi extends vscode.Disposable {
  /** The result shown for a hub, if its panel is open. */
  sessionOf(context: string, namespace: string): ReadinessSession | undefined;
}

/**
 * "Check Readiness for an Event…" and its panel. Everything behind the command (client-node, the
 * simulation, the chart renderer) is loaded on its first run: activation pays for none of it.
 */
export function registerReadiness(
  context: vscode.ExtensionContext,
  deps: {
    clusters: ClustersApi;
    kubeconfig: KubeconfigSource;
    recorder: IncidentRecorder;
    log: Log;
    history: SpawnHistorySource;
  },
): ReadinessApi {
  let panels: ReadinessPanels | undefined;
  const command = vscode.commands.registerCommand(
    commands.checkReadiness,
    async (argument?: unknown): Promise<ReadinessOutcome> => {
      try {
        const [{ checkReadiness }, { ReadinessPanels }] = await Promise.all([
          import('./checkReadiness'),
          import('./readinessPanels'),
        ]);
        panels ??= new ReadinessPanels(context.extensionUri, deps.log);
        return await checkReadiness({ ...deps, panels }, argument);
      } catch (error) {
        return showUserError(deps.log, error, 'Check Readiness');
      }
    },
  );
  return {
    sessionOf: (ctx, namespace) => panels?.sessionOf(ctx, namespace),
    dispose: () => {
      command.dispose();
      panels?.dispose();
    },
  };
}
