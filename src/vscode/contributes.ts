/**
 * Everything the extension contributes in package.json, by id: commands, views, webviews, context keys
 * for `when` clauses, and the settings with their typed readers. Features take their ids from here, and
 * a unit test (test/unit/vscode/contributes.test.ts) checks that this and package.json's `contributes`
 * name the same things. No `vscode` import: the readers take the configuration they read from.
 */

/** The prefix of every id and the settings section. */
export const namespace = 'jupyterhubOps';

/** Every command in `contributes.commands`. */
export const commands = {
  refresh: 'jupyterhubOps.refresh',
  // Hub DB snapshots and the explorer
  analyzeHubDb: 'jupyterhubOps.analyzeHubDb',
  copyHubDbViaHelperPod: 'jupyterhubOps.copyHubDbViaHelperPod',
  openHubDbFile: 'jupyterhubOps.openHubDbFile',
  manageSnapshots: 'jupyterhubOps.manageSnapshots',
  // Cluster rows
  showPodLog: 'jupyterhubOps.showPodLog',
  showPreviousPodLog: 'jupyterhubOps.showPreviousPodLog',
  showPodYaml: 'jupyterhubOps.showPodYaml',
  copyName: 'jupyterhubOps.copyName',
  showEvent: 'jupyterhubOps.showEvent',
  // Kubeconfig problems
  openKubeconfigSetting: 'jupyterhubOps.openKubeconfigSetting',
  openKubeconfigFile: 'jupyterhubOps.openKubeconfigFile',
  // Pod log and YAML tabs (editor title)
  refreshPodDocument: 'jupyterhubOps.refreshPodDocument',
  followPodLog: 'jupyterhubOps.followPodLog',
  stopFollowingPodLog: 'jupyterhubOps.stopFollowingPodLog',
  // Incidents
  startIncident: 'jupyterhubOps.startIncident',
  stopIncident: 'jupyterhubOps.stopIncident',
  addTimelineNote: 'jupyterhubOps.addTimelineNote',
  editIncidentEntry: 'jupyterhubOps.editIncidentEntry',
  hideIncidentEntry: 'jupyterhubOps.hideIncidentEntry',
  showIncidentEntry: 'jupyterhubOps.showIncidentEntry',
  deleteIncidentEntry: 'jupyterhubOps.deleteIncidentEntry',
  switchIncident: 'jupyterhubOps.switchIncident',
  // Incident reports
  draftIncidentReport: 'jupyterhubOps.draftIncidentReport',
  exportIncidentReport: 'jupyterhubOps.exportIncidentReport',
  copyIncidentReport: 'jupyterhubOps.copyIncidentReport',
  // Event readiness
  checkReadiness: 'jupyterhubOps.checkReadiness',
  // Prometheus history and alert rules
  backfillFromPrometheus: 'jupyterhubOps.backfillFromPrometheus',
  setPrometheusToken: 'jupyterhubOps.setPrometheusToken',
  exportAlertRules: 'jupyterhubOps.exportAlertRules',
} as const;
export type CommandId = (typeof commands)[keyof typeof commands];

/** The activity bar container (`contributes.viewsContainers`) and its views (`contributes.views`). */
export const viewContainer = 'jupyterhubOps';
export const views = {
  clusters: 'jupyterhubOps.clusters',
  incident: 'jupyterhubOps.incident',
} as const;

/** VS Code's own command that reveals a view of ours. */
export const focusViewCommand = (view: (typeof views)[keyof typeof views]) => `${view}.focus`;

/**
 * Webviews: the custom editor (`contributes.customEditors`), the report panel VS Code restores after a reload
 * (`activationEvents`), and the readiness panel (not restored: it is a reading of the cluster at one time).
 */
export const webviews = {
  hubDbExplorer: 'jupyterhubOps.hubDbExplorer',
  incidentReport: 'jupyterhubOps.incidentReport',
  readiness: 'jupyterhubOps.readiness',
} as const;

/** Context keys the extension sets for `when` clauses in package.json's menus. */
export const contextKeys = {
  incidentRecording: 'jupyterhubOps.incidentRecording',
  incidentCurrent: 'jupyterhubOps.incidentCurrent',
  /** contexts | problem | missing | empty: the Clusters view's welcome text depends on it (kubeconfigState). */
  kubeconfigState: 'jupyterhubOps.kubeconfigState',
  /** The resource paths of the pod log tabs being followed (`resourcePath in …`). */
  followedPodLogs: 'jupyterhubOps.followedPodLogs',
} as const;

/** Every setting in `contributes.configuration`, by its full id. */
export const settingIds = {
  kubeconfig: 'jupyterhubOps.kubeconfig',
  namespaces: 'jupyterhubOps.namespaces',
  reportTimezone: 'jupyterhubOps.reportTimezone',
  metricsIntervalSeconds: 'jupyterhubOps.metricsIntervalSeconds',
  prometheusUrls: 'jupyterhubOps.prometheus.urls',
} as const;

/** What a setting reader reads from: VS Code's configuration of our section (or a test's object). */
export interface SettingsSource {
  get<T>(key: string): T | undefined;
}

const key = (id: string) => id.slice(namespace.length + 1);
const text = (source: SettingsSource, id: string): string => {
  const value = source.get<unknown>(key(id));
  return typeof value === 'string' ? value.trim() : '';
};

/**
 * The settings as the features use them, each read one way: text trimmed, lists trimmed with blanks
 * dropped, numbers clamped to what makes sense. Read fresh each time: settings change while it runs.
 */
export const settingReaders = {
  /** A kubeconfig path, or undefined for KUBECONFIG / ~/.kube/config. */
  kubeconfig(source: SettingsSource): string | undefined {
    return text(source, settingIds.kubeconfig) || undefined;
  },
  /** Only these namespaces (trimmed, blanks dropped); empty: every namespace the credentials can list. */
  namespaces(source: SettingsSource): string[] {
    const value = source.get<unknown>(key(settingIds.namespaces));
    if (!Array.isArray(value)) return [];
    return value.flatMap((ns) => (typeof ns === 'string' && ns.trim() ? [ns.trim()] : []));
  },
  /** The IANA timezone as written; '' means this machine's (checked where it is used). */
  reportTimezone(source: SettingsSource): string {
    return text(source, settingIds.reportTimezone);
  },
  /** Pod metrics poll interval; at least 5 s whatever the setting says (metrics-server scrapes every 15–60 s). */
  metricsIntervalMs(source: SettingsSource): number {
    const seconds = source.get<unknown>(key(settingIds.metricsIntervalSeconds));
    return Math.max(5, typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : 30) * 1000;
  },
  /**
   * Prometheus URL per kubeconfig context (trimmed; blank names and URLs dropped). A context without one
   * finds Prometheus through its API server's service proxy.
   */
  prometheusUrls(source: SettingsSource): Record<string, string> {
    const value = source.get<unknown>(key(settingIds.prometheusUrls));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    const urls: Record<string, string> = {};
    for (const [context, url] of Object.entries(value as Record<string, unknown>))
      if (context.trim() && typeof url === 'string' && url.trim()) urls[context.trim()] = url.trim();
    return urls;
  },
};
