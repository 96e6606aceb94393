import type { V1Pod } from '@kubernetes/client-node';
import { loadYaml } from '@kubernetes/client-node';
import type { SpawnLimitSource } from './model';

/** z2jh's default `hub.concurrentSpawnLimit` (JupyterHub's own default is 100; the chart sets 64). */
export const z2jhDefaultSpawnLimit = 64;

/** What reading a hub's Helm values gave: the settings the model needs, or why they could not be read. */
export type HubConfigRead =
  | { status: 'read'; from: string; concurrentSpawnLimit: number | null; baseUrl: string | null }
  | { status: 'unreadable'; reason: string };

/**
 * Where z2jh keeps a hub's values: the hub pod mounts the `hub` Secret as volume `secret` and the `hub`
 * ConfigMap as volume `config` (names follow the release's fullname settings, hence read from the pod).
 */
export function hubConfigObjects(hubPod: V1Pod | undefined): { secret: string; configMap: string } {
  const volumes = hubPod?.spec?.volumes ?? [];
  return {
    secret: volumes.find((v) => v.name === 'secret')?.secret?.secretName ?? 'hub',
    configMap: volumes.find((v) => v.name === 'config')?.configMap?.name ?? 'hub',
  };
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/**
 * Reads the settings the model needs from the chart's `values.yaml` text. `hub.config.JupyterHub.
 * concurrent_spawn_limit` wins over `hub.concurrentSpawnLimit`, as in the hub's own config loading
 * (`hub.config` is applied last).
 */
export function parseHubValues(text: string, from: string): HubConfigRead {
  let values: unknown;
  try {
    values = loadYaml(text);
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return { status: 'unreadable', reason: `values.yaml in ${from} is not valid YAML (${first})` };
  }
  const hub = asRecord(asRecord(values)?.hub);
  const fromConfig = asRecord(asRecord(hub?.config)?.JupyterHub)?.concurrent_spawn_limit;
  const limit = [fromConfig, hub?.concurrentSpawnLimit].find(
    (v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0,
  );
  const baseUrl = typeof hub?.baseUrl === 'string' ? hub.baseUrl : null;
  return { status: 'read', from, concurrentSpawnLimit: limit ?? null, baseUrl };
}

export interface SpawnLimit {
  limit: number;
  source: SpawnLimitSource;
  detail: string;
}

/** The concurrent spawn limit the hub runs with, and how sure the model is about it. */
export function spawnLimitOf(config: HubConfigRead | undefined): SpawnLimit {
  if (!config) {
    return {
      limit: z2jhDefaultSpawnLimit,
      source: 'assumed-default',
      detail: `hub config not read: z2jh default ${z2jhDefaultSpawnLimit} assumed`,
    };
  }
  if (config.status === 'unreadable') {
    return {
      limit: z2jhDefaultSpawnLimit,
      source: 'assumed-default',
      detail: `${config.reason}: z2jh default ${z2jhDefaultSpawnLimit} assumed`,
    };
  }
  if (config.concurrentSpawnLimit === null) {
    return {
      limit: z2jhDefaultSpawnLimit,
      source: 'z2jh-default',
      detail: `not set in ${config.from}: z2jh default ${z2jhDefaultSpawnLimit}`,
    };
  }
  // JupyterHub treats 0 as "no limit".
  return {
    limit: config.concurrentSpawnLimit,
    source: 'hub-config',
    detail: `concurrent spawn limit ${config.concurrentSpawnLimit || 'off (0)'} from ${config.from}`,
  };
}
