/** Every command the extension contributes (package.json `contributes.commands`), by id. */
export const CommandIds = {
  refresh: 'jupyterhubOps.refresh',
  analyzeHubDb: 'jupyterhubOps.analyzeHubDb',
  openHubDbFile: 'jupyterhubOps.openHubDbFile',
  manageSnapshots: 'jupyterhubOps.manageSnapshots',
  startIncident: 'jupyterhubOps.startIncident',
  stopIncident: 'jupyterhubOps.stopIncident',
  addTimelineNote: 'jupyterhubOps.addTimelineNote',
  draftIncidentReport: 'jupyterhubOps.draftIncidentReport',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];
