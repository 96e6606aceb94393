import type { AutoscalerStatus, NodeGroupStatus } from './autoscalerStatus';
import type { HubDbInput } from './hubDbFacts';
import type { PoolNode } from './nodePool';
import type { Resources } from './simulate';
import type { Sourced } from './sourced';

/** The user pool as read: its nodes and what a new one would offer. */
export interface PoolInput {
  /** How the pool's nodes were chosen, in words. */
  selection: string;
  nodes: PoolNode[];
  /** Allocatable minus daemon sets of a fresh node (a ready node of the pool as the sample). */
  newNode: Resources | null;
  /** What could not be seen (other namespaces' pods), when something could not. */
  partial: string | null;
}

/** The pool's cluster autoscaler node groups, as far as they are known. */
export interface AutoscalerInput {
  groups: NodeGroupStatus[];
  /** How many nodes the pool may still gain (Σ max − target of its groups). */
  headroom: number;
  minSize: number;
  maxSize: number;
  /** The groups' current target size. */
  target: number;
  scaleUp: string | null;
  status: AutoscalerStatus | null;
}

/**
 * Everything the readiness check reads about one hub, each value with where it came from. Plain data
 * (JSON-serialisable): the CLI prints it, the extension journals it, the evaluation needs nothing else.
 */
export interface ReadinessInputs {
  context: string;
  namespace: string;
  release: string;
  readAt: string;
  jupyterhubVersion: Sourced<string | null>;
  /** `concurrent_spawn_limit`; 0 = no limit. */
  spawnLimit: Sourced<number>;
  activeServerLimit: Sourced<number | null>;
  allowNamedServers: Sourced<boolean>;
  namedServerLimitPerUser: Sourced<number | null>;
  startTimeoutSeconds: Sourced<number>;
  /** The profile the attendees use (null: no profileList). */
  profile: Sourced<string | null>;
  /** Requests and limits of one attendee's server. */
  userMemoryGuarantee: Sourced<number | null>;
  userMemoryLimit: Sourced<number | null>;
  userCpuGuarantee: Sourced<number | null>;
  userCpuLimit: Sourced<number | null>;
  placeholderReplicas: Sourced<number>;
  /** Requests of one placeholder pod. */
  placeholderRequest: Sourced<Resources>;
  /** Placeholders of this hub bound to a node now / waiting for one. */
  placeholdersRunning: number;
  placeholdersPending: number;
  /** This hub's user servers running or starting now. */
  activeServers: number;
  hubPod: string | null;
  hubMemoryLimit: Sourced<number | null>;
  hubMemoryRequest: Sourced<number | null>;
  hubMemoryUsed: Sourced<number | null>;
  /** When the hub container was last OOMKilled, if its status still says so. */
  hubLastOomKill: string | null;
  /** null: the pool could not be read (the source says why). */
  pool: Sourced<PoolInput | null>;
  /** null: no autoscaler known (the pool is taken as fixed; the source says why). */
  autoscaler: Sourced<AutoscalerInput | null>;
  spawnSeconds: Sourced<number>;
  scaleUpSeconds: Sourced<number>;
  hubDb: HubDbInput;
  /** The values.yaml keys that set what the changes would change (hub.config.* when that is where). */
  keys: { spawnLimit: string; startTimeout: string; namedServerLimitPerUser: string };
  /** Things that were only partly readable. */
  warnings: string[];
}

/** What the operator asks about. */
export interface EventPlan {
  attendees: number;
  /** They arrive evenly over this many minutes (0 = all at once). */
  arrivalMinutes: number;
}

/** What an event plan may say, for every way of asking (the CLI's options, the extension's inputs). */
export const eventLimits = {
  attendees: { min: 1, max: 100_000 },
  /** 0: all at once (the default). */
  arrivalMinutes: { min: 0, max: 1440 },
} as const;
