/**
 * The cluster model: what the Clusters tree, the CLI and the incident journal read. Plain data only
 * (JSON-serialisable: strings, numbers, booleans, null, arrays, objects), so it crosses process and
 * webview boundaries as is. The field names are a contract with the CLI's `--json` output.
 */

export interface ClusterModel {
  contexts: ContextModel[];
}

export type ContextStatus = 'ok' | 'error';

export interface ContextModel {
  name: string;
  status: ContextStatus;
  /** Why the context cannot be read (status 'error'). Never holds credentials. */
  error?: { code: string; message: string };
  /**
   * Things that work only in part: nodes or metrics not visible, one namespace forbidden. The model is
   * still useful without them, so they are not errors.
   */
  warnings: string[];
  /** When status is 'error' these are the last hubs seen (stale), so the operator keeps the picture. */
  hubs: HubModel[];
  /** ISO time of the data the model was built from. */
  builtAt: string;
}

export type HubHealth = 'ok' | 'degraded' | 'down';

export type VersionSource = 'user-pod-annotation' | 'chart-label' | 'hub-image-tag' | 'unknown';

export interface HubModel {
  namespace: string;
  /** The Helm release; z2jh operators often use release = namespace = hub name. */
  release: string;
  /** The z2jh chart version when a label or the hub image says it, else null. */
  chartVersion: string | null;
  jupyterhubVersion: string | null;
  versionSource: VersionSource;
  /** How the version was found, in words ("annotation on jupyter-ana, newest user pod"). */
  versionDetail: string;
  health: HubHealth;
  healthReasons: string[];
  spawnPressure: SpawnPressure;
  pods: PodModel[];
  /** Classified events, newest first (capped; `eventsOmitted` says how many older ones were left out). */
  events: EventModel[];
  eventsOmitted: number;
}

export type PodRole = 'hub' | 'proxy' | 'user' | 'placeholder' | 'other';

export interface PodMemory {
  /** Working set of the pod's main container from the metrics API; null when there are no metrics. */
  usedBytes: number | null;
  /** The main container's memory limit; null when it has none. */
  limitBytes: number | null;
  /** The container these numbers are for (hub, chp, notebook, …). */
  container: string | null;
}

export type TerminationCause = 'oom' | 'spawn-failures' | 'error' | 'completed';

export interface PodTermination {
  container: string;
  reason: string;
  exitCode: number;
  /** ISO time, or null when the runtime did not record it. */
  finishedAt: string | null;
  cause: TerminationCause;
  /** For 'spawn-failures': the N of "Aborting due to N consecutive spawn failures". */
  consecutiveFailures?: number;
}

export type PendingKind =
  'unschedulable' | 'scale-up' | 'no-scale-up' | 'preempted' | 'image-pull' | 'creating' | 'scheduling';

export interface PodPending {
  kind: PendingKind;
  /** For the operator: "Insufficient memory on 4 of 5 nodes", "waiting for scale-up 3m12s". */
  reason: string;
  /** ISO time the current wait began (the scale-up event, the unschedulable condition, creation). */
  since: string | null;
  /** The scheduler's or autoscaler's own words, when there are any. */
  detail?: string;
}

export interface PodUser {
  name: string;
  /** '' for the default server. */
  server: string;
  /** Where the names came from: the annotation is exact, a label or the pod name may be a slug. */
  source: 'annotation' | 'label' | 'pod-name';
}

/**
 * A kernel OOM kill inside the pod that only its node reported (node-problem-detector's `OOMKilling`):
 * when the killed process is not the container's main one (a notebook kernel), the container keeps
 * running and its status says nothing.
 */
export interface PodKernelOom {
  /** ISO time of the latest such kill. */
  time: string | null;
  /** The killed process's name, as the kernel logged it (python3, R, …). */
  process: string;
  /** Kills attributed to this pod (an event's count included). */
  count: number;
  node: string;
  /** Why this pod and not another on the node, in words. */
  how: string;
}

export interface PodModel {
  name: string;
  uid: string;
  role: PodRole;
  /** The z2jh component label (hub, proxy, singleuser-server, user-scheduler, …) or ''. */
  component: string;
  phase: string;
  /** kubectl's STATUS column in spirit: CrashLoopBackOff, OOMKilled, ContainerCreating, Terminating, … */
  status: string;
  ready: boolean;
  node: string | null;
  createdAt: string | null;
  memory: PodMemory;
  restarts: number;
  lastTermination: PodTermination | null;
  pending: PodPending | null;
  user?: PodUser;
  kernelOom?: PodKernelOom;
}

export type EventKind =
  | 'oom-killing'
  | 'system-oom'
  | 'failed-scheduling'
  | 'triggered-scale-up'
  | 'not-triggered-scale-up'
  | 'back-off'
  | 'evicted'
  | 'unhealthy'
  | 'preempted'
  | 'scale-down'
  | 'warning';

export interface EventModel {
  kind: EventKind;
  reason: string;
  type: string;
  /** ISO time of the latest occurrence. */
  time: string | null;
  /** ISO time of the first occurrence. */
  firstTime: string | null;
  count: number;
  message: string;
  object: { kind: string; name: string; namespace: string };
  /** The pod the event is about, when it is about a pod. */
  pod?: string;
  /** The node, for node events (OOMKilling, SystemOOM) and events that name one. */
  node?: string;
  /** The event's uid (or namespace/name), stable across count updates. */
  key: string;
}

export type SpawnPressureLevel = 'none' | 'rising' | 'saturated';

/**
 * Where the limit comes from: the hub's values, z2jh's default (values read, key not set), JupyterHub's
 * default (the chart's values with the key removed), or z2jh's default assumed (values not readable).
 */
export type SpawnLimitSource = 'hub-config' | 'z2jh-default' | 'jupyterhub-default' | 'assumed-default';

export interface SpawnPressure {
  level: SpawnPressureLevel;
  /** User pods Pending or started but not Ready: spawns the hub counts against its limit. */
  pendingSpawns: number;
  concurrentSpawnLimit: number;
  limitSource: SpawnLimitSource;
  /** Why the limit is what it is ("not permitted to read Secret hub (403): z2jh default 64 assumed"). */
  limitDetail: string;
  /** From /hub/metrics when readable: counters since the hub started, and growth since the previous reading. */
  hubMetrics: HubMetricsSummary | null;
  /** User pods of this hub that triggered a cluster scale-up in the last 10 minutes. */
  scaleUpsTriggered: number;
  /** Nodes that joined in the last 10 minutes and are not Ready yet (cluster-wide). */
  nodesJoining: number;
  reasons: string[];
}

export interface HubMetricsSummary {
  readAt: string;
  /** Spawn requests answered 429 because of the concurrent spawn limit. */
  throttled: number;
  /** Spawns that failed. */
  failures: number;
  /** Spawn requests refused by the active-server limit. */
  tooManyUsers: number;
  runningServers: number | null;
  /** Increases since the previous reading, when there was one. */
  throttledRecent: number | null;
  failuresRecent: number | null;
}
