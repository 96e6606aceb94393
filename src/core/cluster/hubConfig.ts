import type { V1Pod } from '@kubernetes/client-node';
import { loadYaml } from '@kubernetes/client-node';
import type { SpawnLimitSource } from './model';
import { isRecord } from '../../shared/guards';

/** z2jh's default `hub.concurrentSpawnLimit` (JupyterHub's own default is 100; the chart sets 64). */
export const z2jhDefaultSpawnLimit = 64;
/** JupyterHub's own `concurrent_spawn_limit`: what the hub runs with when z2jh passes no value. */
export const jupyterhubDefaultSpawnLimit = 100;

/** What reading a hub's Helm values gave: the settings the model needs, or why they could not be read. */
export type HubConfigRead =
  | {
      status: 'read';
      from: string;
      concurrentSpawnLimit: number | null;
      baseUrl: string | null;
      /**
       * The z2jh chart version when the text is the chart's own rendering (its `Chart` block): then it
       * holds every chart value, and a missing key was removed on purpose (set to null).
       */
      chart: string | null;
    }
  /** `retry`: the failure may pass (a 500, no answer, rejected credentials): worth reading again later. */
  | { status: 'unreadable'; reason: string; retry?: boolean };

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

export const asRecord = (value: unknown): Record<string, unknown> | undefined => (isRecord(value) ? value : undefined);

const notMapping = (from: string) => ({
  status: 'unreadable' as const,
  reason: `values.yaml in ${from} is not a YAML mapping of chart values`,
});

/**
 * The chart values as a mapping, or why the text is not one. Reasons name keys and positions, never
 * values: values.yaml holds the hub's secrets.
 */
export function loadHubValues(
  text: string,
  from: string,
): { status: 'loaded'; root: Record<string, unknown> } | { status: 'unreadable'; reason: string } {
  if (!text.trim()) return { status: 'unreadable', reason: `values.yaml in ${from} is empty` };
  let values: unknown;
  try {
    values = loadYaml(text);
  } catch (error) {
    // js-yaml's first line is the problem and its position (an excerpt of the text follows it).
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
    // client-node's loadYaml refuses a document that is null/false/0 with this sentence.
    if (first === 'Failed to load YAML') return notMapping(from);
    // eslint-disable-next-line no-control-regex
    const problem = first.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 200);
    return { status: 'unreadable', reason: `values.yaml in ${from} is not valid YAML (${problem})` };
  }
  const root = asRecord(values);
  return root ? { status: 'loaded', root } : notMapping(from);
}

/** The z2jh chart version when the values are the chart's own rendering (its `Chart` block), else null. */
export function chartOfValues(root: Record<string, unknown>): string | null {
  const chartBlock = asRecord(root.Chart);
  return chartBlock?.Name === 'jupyterhub' ? String(chartBlock.Version ?? '') || 'unknown' : null;
}

/** A spawn limit as JupyterHub's Integer trait takes it; undefined/null = not set. */
const isLimit = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Reads the settings the model needs from the chart's `values.yaml` text. `hub.config.JupyterHub.
 * concurrent_spawn_limit` wins over `hub.concurrentSpawnLimit`, as in the hub's own config loading
 * (`hub.config` is applied last). Reasons name keys and positions, never values: values.yaml holds the
 * hub's secrets.
 */
export function parseHubValues(text: string, from: string): HubConfigRead {
  const loaded = loadHubValues(text, from);
  if (loaded.status !== 'loaded') return loaded;
  const root = loaded.root;
  const hub = asRecord(root.hub);
  const settings: [string, unknown][] = [
    [
      'hub.config.JupyterHub.concurrent_spawn_limit',
      asRecord(asRecord(hub?.config)?.JupyterHub)?.concurrent_spawn_limit,
    ],
    ['hub.concurrentSpawnLimit', hub?.concurrentSpawnLimit],
  ];
  const set = settings.find(([, v]) => v !== undefined && v !== null);
  // The hub would refuse such a value at start-up (traitlets Integer): say so rather than guess.
  if (set && !isLimit(set[1]))
    return { status: 'unreadable', reason: `${set[0]} in ${from} is not a whole number of 0 or more` };
  const chart = chartOfValues(root);
  const baseUrl = typeof hub?.baseUrl === 'string' ? hub.baseUrl : null;
  return { status: 'read', from, concurrentSpawnLimit: set ? (set[1] as number) : null, baseUrl, chart };
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
  if (config.concurrentSpawnLimit === null && config.chart !== null) {
    // The chart's rendering always has the key (default 64) unless the operator nulled it; z2jh then
    // passes nothing and JupyterHub keeps its own default.
    return {
      limit: jupyterhubDefaultSpawnLimit,
      source: 'jupyterhub-default',
      detail: `hub.concurrentSpawnLimit removed in ${config.from}: JupyterHub default ${jupyterhubDefaultSpawnLimit}`,
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
