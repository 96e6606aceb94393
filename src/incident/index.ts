import { join } from 'node:path';
import * as vscode from 'vscode';
import type { KubeconfigSource } from '../cluster/kubeconfigSource';
import type { KnownHub } from '../core/incident/startChoices';
import { views } from '../vscode/contributes';
import type { Surfaces } from '../vscode/activationShell';
import type { Log } from '../vscode/log';
import { settings } from '../vscode/settings';
import { registerIncidentCommands } from './incidentCommands';
import { JournalRecorder, type IncidentRecorder } from './incidentRecorder';
import { IncidentStore } from './incidentStore';
import { IncidentTreeProvider } from './incidentTree';
import { RecordingStatus } from './recordingStatus';
import { registerReportCommands } from './report/reportCommands';
import { ReportPanels } from './report/reportPanels';
import { followReportTimezone, reportTimezone, reportZone } from './reportTimezone';

export type { IncidentRecorder, Recorded } from './incidentRecorder';
export type { AnalysisTarget, SnapshotRecord } from './recordedEntries';

/** Remembers the current incident's journal across window reloads. */
const currentIncidentKey = 'jupyterhubOps.currentIncident';
/** The journal whose report panel was shown last, to reopen it after a reload. */
const lastReportKey = 'jupyterhubOps.lastReport';

export interface IncidentDeps {
  /** Where the Incident view and the report restore were registered at activation. */
  surfaces: Surfaces;
  kubeconfig: KubeconfigSource;
  /** The extension's log (never secrets). */
  log: Log;
  /** The hubs the cluster browser knows, with their health: Start Incident offers them, down ones ticked. */
  knownHubs?: () => KnownHub[];
}

/** What `registerIncident` gives the rest of the extension (and the in-host tests). */
export interface IncidentApi extends vscode.Disposable {
  /** For the cluster watcher, the snapshot feature and the analyzer: no-ops unless an incident records. */
  recorder: IncidentRecorder;
  store: IncidentStore;
  tree: IncidentTreeProvider;
  status: RecordingStatus;
  reports: ReportPanels;
}

/**
 * The incident journal and report: commands, the Incident view, the recording status item and the
 * report panel. Journals live in the extension's global storage (`incidents/`, one JSONL per incident).
 */
export function registerIncident(context: vscode.ExtensionContext, deps: IncidentDeps): IncidentApi {
  const { log } = deps;
  const store = new IncidentStore(
    join(context.globalStorageUri.fsPath, 'incidents'),
    {
      get: () => context.globalState.get<string>(currentIncidentKey),
      set: (file) => context.globalState.update(currentIncidentKey, file),
    },
    { log },
  );
  const restored = store.restore();
  if (!restored.ok) {
    log.warn(
      `Incident: the incident that was open could not be reopened (${restored.error.code}): ${restored.error.userMessage}`,
    );
    void vscode.window.showWarningMessage(
      `JupyterHub Ops: the incident that was open could not be reopened: ${restored.error.userMessage}`,
    );
  }

  const tree = new IncidentTreeProvider(store, reportTimezone);
  const status = new RecordingStatus(store);
  const reports = new ReportPanels(context.extensionUri, {
    restore: (serializer) => deps.surfaces.reportSerializer(serializer),
    store,
    timezone: reportTimezone,
    timezoneProblem: () => reportZone().problem,
    log,
    lastShown: {
      get: () => context.globalState.get<string>(lastReportKey),
      set: (file) => context.globalState.update(lastReportKey, file),
    },
  });
  const disposables = vscode.Disposable.from(
    tree,
    status,
    reports,
    deps.surfaces.treeView(views.incident, tree),
    settings.onDidChange(() => tree.refresh()),
    // The timezone applies at once: the Incident view and every open report re-render in it.
    followReportTimezone(log, () => {
      tree.refresh();
      void reports.timezoneChanged();
    }),
    registerIncidentCommands({
      store,
      timezone: reportTimezone,
      log,
      contexts: () => deps.kubeconfig.get().contexts,
      namespaces: (ctx) => [
        ...(ctx.namespace ? [ctx.namespace] : []),
        ...settings.namespaces(),
        ...(deps.knownHubs?.() ?? []).flatMap((h) => (h.context === ctx.name ? [h.namespace] : [])),
      ],
      hubs: () => deps.knownHubs?.() ?? [],
    }),
    registerReportCommands(store, reports, log),
  );
  return {
    recorder: new JournalRecorder(store),
    store,
    tree,
    status,
    reports,
    dispose: () => disposables.dispose(),
  };
}
