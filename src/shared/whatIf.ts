/**
 * What-if analyses of a hub DB snapshot. Only the analysis at the settings the hub really ran with when the
 * snapshot was taken (its JupyterHub version and memory limit, as detected) is evidence about the hub: it
 * goes into the incident journal and marks the hub's row. Any other version or limit is a what-if: shown as
 * one, never recorded. Browser-safe: the explorer page labels what the host decides with the same function.
 */
import { formatMemoryQuantity } from './format';

/** The hub's own settings for a snapshot; null where nothing was detected (no limit, version unknown). */
export interface HubSettings {
  jupyterhubVersion: string | null;
  memoryLimitBytes: number | null;
}

/** What an analysis was run with (omitted: every 5.x variant side by side; no limit). */
export interface AnalysisSettings {
  jupyterhubVersion?: string;
  memoryLimitBytes?: number;
}

/**
 * How an analysis differs from the hub's settings, as operators read it (`["limit 8Gi", "JupyterHub
 * 5.4.3"]`); empty when it is at the hub's settings, that is, when it is evidence.
 */
export function whatIfChanges(asked: AnalysisSettings, hub: HubSettings): string[] {
  const changes: string[] = [];
  const limit = asked.memoryLimitBytes ?? null;
  if (limit !== hub.memoryLimitBytes)
    changes.push(limit === null ? 'no limit' : `limit ${formatMemoryQuantity(limit)}`);
  const version = asked.jupyterhubVersion?.trim() || null;
  if (version !== (hub.jupyterhubVersion?.trim() || null))
    changes.push(version === null ? 'every 5.x variant' : `JupyterHub ${version}`);
  return changes;
}

/** "JupyterHub 5.3.0 with a 2Gi limit", "an unknown JupyterHub version with no memory limit". */
export function describeHubSettings(hub: HubSettings): string {
  const version = hub.jupyterhubVersion ? `JupyterHub ${hub.jupyterhubVersion}` : 'an unknown JupyterHub version';
  const limit =
    hub.memoryLimitBytes === null ? 'no memory limit' : `a ${formatMemoryQuantity(hub.memoryLimitBytes)} limit`;
  return `${version} with ${limit}`;
}
