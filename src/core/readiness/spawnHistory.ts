import { assumed, read, type Sourced } from './sourced';

/**
 * What past events tell about how long things take, from Prometheus when it is there (the hub's
 * `jupyterhub_server_spawn_duration_seconds`, past scale-ups). Every field is optional: a missing one
 * falls back to a stated default. A Prometheus reader implements `SpawnHistorySource`; readiness never
 * needs to know where the figures came from beyond `source`.
 */
export interface SpawnHistory {
  /** Typical seconds from a spawn's start to a running server when a node has room (e.g. the median). */
  spawnSeconds?: { seconds: number; source: string };
  /** How long scale-ups took: a pod triggering one until the new node takes pods. */
  scaleUpSeconds?: { seconds: number; source: string };
  /** For a figure left out: why, in a few words ("no scale-up in the last 7 days in Prometheus…"). */
  why?: { spawnSeconds?: string; scaleUpSeconds?: string };
}

/** Reads spawn history for one hub; resolves to {} (not a rejection) when nothing is known. */
export interface SpawnHistorySource {
  spawnHistory(hub: { context: string; namespace: string; release: string }): Promise<SpawnHistory>;
}

/** Defaults when nothing better is known. */
export const defaultSpawnSeconds = 30;
/** The class-start incident's node pools took about ten minutes to grow; clouds are often faster. */
export const defaultScaleUpSeconds = 600;

export function historyFigures(history: SpawnHistory | undefined): {
  spawnSeconds: Sourced<number>;
  scaleUpSeconds: Sourced<number>;
} {
  const spawn = history?.spawnSeconds;
  const scale = history?.scaleUpSeconds;
  return {
    spawnSeconds:
      spawn && spawn.seconds > 0
        ? read(spawn.seconds, spawn.source)
        : assumed(
            defaultSpawnSeconds,
            `assumed ${defaultSpawnSeconds} s per spawn (${history?.why?.spawnSeconds ?? 'no spawn history'})`,
          ),
    scaleUpSeconds:
      scale && scale.seconds > 0
        ? read(scale.seconds, scale.source)
        : assumed(
            defaultScaleUpSeconds,
            `assumed ${defaultScaleUpSeconds / 60} min per scale-up (${history?.why?.scaleUpSeconds ?? 'no scale-up history'})`,
          ),
  };
}
