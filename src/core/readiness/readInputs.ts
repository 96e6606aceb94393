import type { KubeConfig, PodMetric, V1Node, V1Pod } from '@kubernetes/client-node';
import { buildHubs, groupHubs } from '../cluster/buildModel';
import { ContextClient } from '../cluster/contextClient';
import { spawnLimitOf } from '../cluster/hubConfig';
import { mainContainer } from '../cluster/podMemory';
import { quantityToBytes } from '../cluster/quantity';
import { podRole } from '../cluster/z2jhLabels';
import { err, ok, UserError, type Result } from '../result';
import {
  autoscalerStatusConfigMap,
  groupsOfPool,
  parseAutoscalerStatus,
  type NodeGroupStatus,
} from './autoscalerStatus';
import { findProfile, parseChartSettings, type ChartSettings, type ChartSettingsRead } from './chartSettings';
import { readHubDbFacts, type HubDbInput, type HubDbSnapshot } from './hubDbFacts';
import type { AutoscalerInput, PoolInput, ReadinessInputs } from './inputs';
import {
  cpuMillisOf,
  newNodeRoom,
  nodeMatches,
  nodePurposeLabel,
  podRequests,
  poolNodes,
  schedulingOfPod,
  z2jhUserTolerations,
  type UserScheduling,
} from './nodePool';
import type { Resources } from './simulate';
import { historyFigures, type SpawnHistory, type SpawnHistorySource } from './spawnHistory';
import { assumed, read, type Sourced } from './sourced';

/** z2jh's defaults (chart 4.x) for what values.yaml may leave out. */
export const z2jhDefaults = {
  memGuarantee: 2 ** 30,
  startTimeoutSeconds: 300,
  placeholderReplicas: 0,
  matchNodePurpose: 'prefer',
};

export interface ReadInputsOptions {
  context: string;
  namespace: string;
  /** The Helm release, when the namespace holds several. */
  release?: string;
  /** The profile attendees use (slug or display name); default: the profileList's default. */
  profile?: string;
  /** A hub DB snapshot for the start-up cost and named-server checks. */
  snapshot?: HubDbSnapshot;
  /** Spawn and scale-up history (Prometheus), given or read through a source. */
  history?: SpawnHistory;
  historySource?: SpawnHistorySource;
  /** What the operator knows better than the cluster says (or where it says nothing). */
  overrides?: { poolMaxNodes?: number; scaleUpSeconds?: number; spawnSeconds?: number };
  now?: () => number;
}

/** Reads per node at once: polite to the API server. */
const perNodeConcurrency = 8;

/**
 * Reads everything the readiness check needs about one hub. Fails as a whole only when the hub itself
 * cannot be seen (the context, or the namespace's pods); anything else unreadable becomes an
 * assumption its source names.
 */
export async function readReadinessInputs(
  base: KubeConfig,
  options: ReadInputsOptions,
): Promise<Result<ReadinessInputs, UserError>> {
  let client: ContextClient;
  try {
    client = new ContextClient(base, options.context);
  } catch (error) {
    return err(error instanceof UserError ? error : new UserError(String(error), 'bad-context'));
  }
  try {
    return await readWith(client, options);
  } finally {
    client.dispose();
  }
}

async function readWith(
  client: ContextClient,
  options: ReadInputsOptions,
): Promise<Result<ReadinessInputs, UserError>> {
  const now = (options.now ?? Date.now)();
  const ns = options.namespace;
  const warnings: string[] = [];

  let pods: V1Pod[];
  try {
    pods = (await client.listPods(ns)).items;
  } catch (error) {
    return err(new UserError(client.problem(error, 'list pods', ns).message, 'readiness.no-pods'));
  }
  const groups = groupHubs(pods).filter((g) => g.namespace === ns);
  const group = options.release
    ? groups.find((g) => g.release === options.release)
    : (groups.find((g) => g.release === ns) ?? groups[0]);
  if (!group)
    return err(
      new UserError(
        `No JupyterHub${options.release ? ` release "${options.release}"` : ''} in namespace "${ns}" of context "${client.context}".`,
        'readiness.no-hub',
      ),
    );
  const hubPods = group.pods;
  // Prometheus answers while the cluster is read.
  const historyRead: Promise<SpawnHistory | undefined> =
    options.history || !options.historySource
      ? Promise.resolve(undefined)
      : options.historySource
          .spawnHistory({ context: client.context, namespace: ns, release: group.release })
          .catch((error: unknown) => {
            warnings.push(`spawn history not readable: ${String(error).slice(0, 200)}`);
            return undefined;
          });

  const [nodesRead, metricsRead] = await Promise.all([
    client.listNodes().then(
      (r) => ({ ok: true as const, nodes: r.items }),
      (error: unknown) => ({
        ok: false as const,
        reason: client.problem(error, 'list nodes', undefined, true).message,
      }),
    ),
    client.podMetrics(ns),
  ]);
  const nodes: V1Node[] | null = nodesRead.ok ? nodesRead.nodes : null;
  if (!nodesRead.ok) warnings.push(nodesRead.reason);
  const podMetrics: PodMetric[] | null = metricsRead.ok ? metricsRead.value : null;
  if (!metricsRead.ok) warnings.push(metricsRead.error.message);
  const hub = buildHubs({ pods: hubPods, events: [], nodes, podMetrics, now }).find(
    (h) => h.release === group.release,
  )!;

  const hubPod = hubPods.find((p) => podRole(p) === 'hub' && !p.metadata?.deletionTimestamp);
  const settingsRead: ChartSettingsRead = await client.readHubValues(ns, hubPod, parseChartSettings, (reason) => ({
    status: 'unreadable',
    reason,
  }));
  const settings: ChartSettings | null = settingsRead.status === 'read' ? settingsRead : null;
  const unreadable = settingsRead.status === 'unreadable' ? settingsRead.reason : null;
  if (settings) warnings.push(...settings.problems);
  const fromValues = <T>(found: { value: T; key: string } | null) =>
    found ? read(found.value, `${settings!.from} values.yaml: ${found.key}`) : null;
  /** A chart default when the values were read without the key, else an assumption naming why. */
  const chartDefault = <T>(value: T, what: string): Sourced<T> =>
    settings
      ? read(value, `${what} (z2jh default: not set in ${settings.from} values.yaml)`)
      : assumed(value, `assumed ${what} (z2jh default; ${unreadable})`);

  const userPods = hubPods.filter((p) => podRole(p) === 'user' && !p.metadata?.deletionTimestamp);
  const placeholderPods = hubPods.filter((p) => podRole(p) === 'placeholder' && !p.metadata?.deletionTimestamp);

  // The spawn limit by the cluster model's own rules.
  const limit = spawnLimitOf(settings ? settings.spawnConfig : { status: 'unreadable', reason: unreadable ?? '' });
  const spawnLimit: Sourced<number> =
    limit.source === 'assumed-default' ? assumed(limit.limit, limit.detail) : read(limit.limit, limit.detail);

  const activeServerLimit =
    fromValues(settings?.activeServerLimit ?? null) ?? chartDefault<number | null>(null, 'no active server limit');
  if (activeServerLimit.value === 0) activeServerLimit.value = null; // 0 means no limit
  const namedLimit =
    fromValues(settings?.namedServerLimitPerUser ?? null) ??
    chartDefault<number | null>(null, 'no named-server limit per user');
  if (namedLimit.value === 0) namedLimit.value = null;

  // The profile attendees use, and the requests of their servers.
  let profileName: Sourced<string | null> = read(null, 'no profileList');
  let profileOverride: ReturnType<typeof findProfile> = null;
  if (settings?.profiles) {
    profileOverride = findProfile(settings.profiles.value, options.profile);
    if (profileOverride && 'error' in profileOverride)
      return err(new UserError(profileOverride.error, 'readiness.no-profile'));
    if (profileOverride) profileName = read(profileOverride.profile.displayName, profileOverride.how);
  } else if (options.profile) {
    warnings.push(`profile "${options.profile}" not checked: ${unreadable ?? 'no profileList in the values'}`);
    profileName = assumed(options.profile, 'given, but the profileList could not be read');
  }
  const profile = profileOverride && 'profile' in profileOverride ? profileOverride.profile : null;
  const sample = userPods.find((p) => p.spec?.nodeName) ?? userPods[0];
  const samplePlaceholder = placeholderPods[0];
  const observed = (pod: V1Pod | undefined, what: 'memory' | 'cpu', kind: 'requests' | 'limits') => {
    const c = pod ? mainContainer(pod, podRole(pod)) : undefined;
    const q = c?.resources?.[kind]?.[what];
    if (!q || !pod) return null;
    const value = what === 'memory' ? quantityToBytes(q) : cpuMillisOf(q) / 1000;
    return value === null ? null : { value, source: `pod ${pod.metadata?.name} ${kind}.${what}` };
  };
  const userSetting = (
    fromProfile: number | null | undefined,
    found: { value: number | null; key: string } | null | undefined,
    what: 'memory' | 'cpu',
    kind: 'requests' | 'limits',
    fallback: number | null,
    describe: string,
  ): Sourced<number | null> => {
    if (profile && fromProfile !== undefined) return read(fromProfile, `${profileName.source} kubespawner_override`);
    const v = fromValues(found ?? null);
    if (v) return v;
    if (settings) return chartDefault(fallback, describe);
    const seen = observed(sample, what, kind) ?? (kind === 'requests' ? observed(samplePlaceholder, what, kind) : null);
    if (seen) return assumed(seen.value, `${seen.source} (values not readable: ${unreadable})`);
    return assumed(fallback, `assumed ${describe} (z2jh default; ${unreadable})`);
  };
  const userMemoryGuarantee = userSetting(
    profile?.memGuarantee,
    settings?.memGuarantee,
    'memory',
    'requests',
    z2jhDefaults.memGuarantee,
    'memory guarantee 1G',
  );
  const userMemoryLimit = userSetting(
    profile?.memLimit,
    settings?.memLimit,
    'memory',
    'limits',
    null,
    'no memory limit',
  );
  const userCpuGuarantee = userSetting(
    profile?.cpuGuarantee,
    settings?.cpuGuarantee,
    'cpu',
    'requests',
    null,
    'no CPU guarantee',
  );
  const userCpuLimit = userSetting(profile?.cpuLimit, settings?.cpuLimit, 'cpu', 'limits', null, 'no CPU limit');

  // Placeholders: the values say how many there should be; the pods say where they are.
  const placeholdersOn = settings?.placeholderEnabled?.value !== false;
  const replicas: Sourced<number> = !placeholdersOn
    ? read(0, `${settings!.from} values.yaml: scheduling.userPlaceholder.enabled is false`)
    : (fromValues(settings?.placeholderReplicas ?? null) ??
      (settings
        ? chartDefault(z2jhDefaults.placeholderReplicas, '0 user placeholders')
        : assumed(
            placeholderPods.length,
            `${placeholderPods.length} placeholder pods seen (values not readable: ${unreadable})`,
          )));
  const placeholderRequest: Sourced<Resources> = samplePlaceholder
    ? read(podRequests(samplePlaceholder), `pod ${samplePlaceholder.metadata?.name} requests`)
    : assumed(
        {
          memoryBytes: userMemoryGuarantee.value ?? 0,
          cpuMillis: (userCpuGuarantee.value ?? 0) * 1000,
          pods: 1,
        },
        'no placeholder pod: the single-user guarantees assumed (z2jh gives placeholders those)',
      );

  // The hub's own memory: what its container runs with, and what it uses now.
  const hubModelPod = hub.pods.find((p) => p.role === 'hub' && p.ready) ?? hub.pods.find((p) => p.role === 'hub');
  const hubContainer = hubPod ? mainContainer(hubPod, 'hub') : undefined;
  const hubLimitBytes = quantityToBytes(hubContainer?.resources?.limits?.memory);
  const hubRequestBytes = quantityToBytes(hubContainer?.resources?.requests?.memory);
  const hubMemoryLimit: Sourced<number | null> = hubPod
    ? read(hubLimitBytes || null, `hub pod ${hubPod.metadata?.name} container ${hubContainer?.name} limits.memory`)
    : (fromValues(settings?.hubMemoryLimit ?? null) ?? assumed(null, 'no hub pod and no hub.resources in the values'));
  const hubMemoryRequest: Sourced<number | null> = hubPod
    ? read(hubRequestBytes || null, `hub pod ${hubPod.metadata?.name} container ${hubContainer?.name} requests.memory`)
    : (fromValues(settings?.hubMemoryRequest ?? null) ?? assumed(null, 'no hub pod'));
  const used = hubModelPod?.memory.usedBytes ?? null;
  const hubMemoryUsed: Sourced<number | null> =
    used !== null
      ? read(used, `metrics.k8s.io working set of ${hubModelPod!.name}`)
      : assumed(
          null,
          podMetrics === null ? 'no metrics API: hub memory use unknown' : 'no metrics sample for the hub pod',
        );
  const lastOom = hubModelPod?.lastTermination?.cause === 'oom' ? hubModelPod.lastTermination.finishedAt : null;

  const pool = await readPool(client, {
    ns,
    nodes,
    nodesReason: nodesRead.ok ? null : nodesRead.reason,
    hubPods,
    profile: profile?.nodeSelector ? { nodeSelector: profile.nodeSelector, how: profileName.source } : null,
    settings,
    samplePods: [samplePlaceholder, sample],
    release: group.release,
  });
  const autoscaler = await readAutoscaler(client, pool.value, options.overrides?.poolMaxNodes);

  const history = options.history ?? (await historyRead);
  const figures = historyFigures(history);
  const given = options.overrides ?? {};
  if (given.spawnSeconds !== undefined) figures.spawnSeconds = read(given.spawnSeconds, 'given: --spawn-seconds');
  if (given.scaleUpSeconds !== undefined)
    figures.scaleUpSeconds = read(given.scaleUpSeconds, 'given: --scale-up-minutes');

  const hubDb: HubDbInput = options.snapshot
    ? await readHubDbFacts(options.snapshot, {
        jupyterhubVersion: hub.jupyterhubVersion,
        memoryLimitBytes: hubMemoryLimit.value,
      })
    : { status: 'not-given' };

  return ok({
    context: client.context,
    namespace: ns,
    release: group.release,
    readAt: new Date(now).toISOString(),
    jupyterhubVersion: hub.jupyterhubVersion
      ? read(hub.jupyterhubVersion, hub.versionDetail)
      : assumed(null, hub.versionDetail),
    spawnLimit,
    activeServerLimit,
    allowNamedServers: fromValues(settings?.allowNamedServers ?? null) ?? chartDefault(false, 'named servers off'),
    namedServerLimitPerUser: namedLimit,
    startTimeoutSeconds:
      fromValues(settings?.startTimeoutSeconds ?? null) ??
      chartDefault(z2jhDefaults.startTimeoutSeconds, `start timeout ${z2jhDefaults.startTimeoutSeconds} s`),
    profile: profileName,
    userMemoryGuarantee,
    userMemoryLimit,
    userCpuGuarantee,
    userCpuLimit,
    placeholderReplicas: replicas,
    placeholderRequest,
    placeholdersRunning: placeholderPods.filter((p) => p.spec?.nodeName).length,
    placeholdersPending: placeholderPods.filter((p) => !p.spec?.nodeName).length,
    activeServers: userPods.filter((p) => p.status?.phase === 'Running' || p.status?.phase === 'Pending').length,
    hubPod: hubPod?.metadata?.name ?? null,
    hubMemoryLimit,
    hubMemoryRequest,
    hubMemoryUsed,
    hubLastOomKill: lastOom,
    pool,
    autoscaler,
    spawnSeconds: figures.spawnSeconds,
    scaleUpSeconds: figures.scaleUpSeconds,
    hubDb,
    keys: {
      spawnLimit: settings?.spawnLimitKey ?? 'hub.concurrentSpawnLimit',
      startTimeout: settings?.startTimeoutSeconds?.key ?? 'singleuser.startTimeout',
      namedServerLimitPerUser: settings?.namedServerLimitPerUser?.key ?? 'hub.namedServerLimitPerUser',
    },
    warnings: [...new Set(warnings)],
  });
}

/** Where user servers go: a profile's node selector, this hub's user pods, the values, or the usual labels. */
function userScheduling(
  nodes: readonly V1Node[],
  input: {
    profile: { nodeSelector: Record<string, string>; how: string } | null;
    settings: ChartSettings | null;
    samplePods: (V1Pod | undefined)[];
  },
): UserScheduling {
  const pod = input.samplePods.find((p) => p !== undefined);
  const tolerations = pod?.spec?.tolerations ?? z2jhUserTolerations;
  if (input.profile)
    return {
      nodeSelector: input.profile.nodeSelector,
      requiredTerms: null,
      tolerations,
      source: `${input.profile.how} node_selector`,
    };
  if (pod) return schedulingOfPod(pod, `node selector and required affinity of pod ${pod.metadata?.name}`);
  const selector = { ...(input.settings?.nodeSelector?.value ?? {}) };
  const purpose = input.settings?.matchNodePurpose?.value ?? z2jhDefaults.matchNodePurpose;
  if (purpose === 'require') selector[nodePurposeLabel] = 'user';
  if (Object.keys(selector).length)
    return {
      nodeSelector: selector,
      requiredTerms: null,
      tolerations,
      source: 'singleuser.nodeSelector / matchNodePurpose in the values',
    };
  // "prefer" (z2jh's default): user nodes when there are any, else every node users may use.
  if (nodes.some((n) => n.metadata?.labels?.[nodePurposeLabel] === 'user'))
    return {
      nodeSelector: { [nodePurposeLabel]: 'user' },
      requiredTerms: null,
      tolerations,
      source: `nodes labelled ${nodePurposeLabel}=user (matchNodePurpose ${purpose}: users prefer them)`,
    };
  return {
    nodeSelector: {},
    requiredTerms: null,
    tolerations,
    source: 'every node user pods tolerate (no user pool labels)',
  };
}

async function readPool(
  client: ContextClient,
  input: {
    ns: string;
    nodes: V1Node[] | null;
    nodesReason: string | null;
    hubPods: V1Pod[];
    profile: { nodeSelector: Record<string, string>; how: string } | null;
    settings: ChartSettings | null;
    samplePods: (V1Pod | undefined)[];
    release: string;
  },
): Promise<Sourced<PoolInput | null>> {
  if (!input.nodes)
    return assumed(null, `user pool not read (${input.nodesReason}): node capacity not modelled, assumed enough room`);
  const scheduling = userScheduling(input.nodes, input);
  const controlPlane = (n: V1Node) =>
    'node-role.kubernetes.io/control-plane' in (n.metadata?.labels ?? {}) ||
    'node-role.kubernetes.io/master' in (n.metadata?.labels ?? {});
  const selected = input.nodes.filter((n) => !controlPlane(n) && nodeMatches(n, scheduling));
  if (!selected.length)
    return assumed(
      null,
      `no node matches the user pods' scheduling (${scheduling.source}): node capacity not modelled`,
    );

  let partial: string | null = null;
  const podsOnNodes: V1Pod[] = [];
  const names = selected.map((n) => n.metadata?.name ?? '');
  let next = 0;
  let failure: string | null = null;
  const worker = async () => {
    while (next < names.length && !failure) {
      const name = names[next++]!;
      try {
        podsOnNodes.push(...(await client.listPodsOnNode(name)));
      } catch (error) {
        failure = client.problem(error, `list pods on node ${name}`).message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(perNodeConcurrency, names.length) }, worker));
  if (failure) {
    // A namespace-bound role still sees its own namespace: count those, say the rest is unknown.
    podsOnNodes.length = 0;
    podsOnNodes.push(...input.hubPods);
    partial = `pods of other namespaces not visible (${failure}): only ${input.ns}'s pods counted, the room may be overstated`;
  }
  const isThisHubsUserPod = (p: V1Pod) =>
    p.metadata?.namespace === input.ns &&
    podRole(p) === 'user' &&
    input.hubPods.some((h) => h.metadata?.uid === p.metadata?.uid);
  const nodes = poolNodes(selected, podsOnNodes, { namespace: input.ns, isThisHubsUserPod });
  return read(
    { selection: scheduling.source, nodes, newNode: newNodeRoom(nodes), partial },
    `${nodes.length} node(s) by ${scheduling.source}`,
  );
}

async function readAutoscaler(
  client: ContextClient,
  pool: PoolInput | null,
  givenMax: number | undefined,
): Promise<Sourced<AutoscalerInput | null>> {
  const { namespace, name } = autoscalerStatusConfigMap;
  const where = `ConfigMap ${namespace}/${name}`;
  const nodes = pool?.nodes.length ?? 0;
  const givenInput = (max: number, source: string): Sourced<AutoscalerInput | null> =>
    read(
      {
        groups: [],
        headroom: Math.max(0, max - nodes),
        minSize: 0,
        maxSize: max,
        target: nodes,
        scaleUp: null,
        status: null,
      },
      source,
    );
  const data = await client.readConfigMapData(namespace, name);
  if (!data.ok) {
    if (givenMax !== undefined) return givenInput(givenMax, `given: --pool-max ${givenMax} (${where} not readable)`);
    const why =
      data.error.code === 'not-found'
        ? `no ${where} (no in-cluster autoscaler, or a managed one that does not publish it)`
        : `${where} not readable (${data.error.status ?? data.error.code})`;
    return assumed(null, `${why}: the pool is assumed not to grow (pass --pool-max if it does)`);
  }
  const status = parseAutoscalerStatus(data.value.status ?? '');
  if (!status) {
    if (givenMax !== undefined) return givenInput(givenMax, `given: --pool-max ${givenMax}`);
    return assumed(null, `${where} has no status the check understands: the pool is assumed not to grow`);
  }
  const matched = pool ? groupsOfPool(status, pool.nodes) : null;
  if (!matched) {
    if (givenMax !== undefined) return givenInput(givenMax, `given: --pool-max ${givenMax}`);
    return assumed(
      null,
      `${where} lists ${status.groups.length} node group(s), none matching the user pool's nodes: the pool is assumed not to grow`,
    );
  }
  const groups = matched.groups;
  const sum = (f: (g: NodeGroupStatus) => number | null) => groups.reduce((s, g) => s + (f(g) ?? 0), 0);
  const target = Math.max(
    sum((g) => g.target ?? g.registered),
    nodes,
  );
  const maxSize = givenMax ?? sum((g) => g.maxSize);
  return read(
    {
      groups: matched.groups,
      headroom: Math.max(0, maxSize - target),
      minSize: sum((g) => g.minSize),
      maxSize,
      target,
      scaleUp: matched.groups.map((g) => g.scaleUp).find((s) => s && s !== 'NoActivity') ?? matched.groups[0]!.scaleUp,
      status,
    },
    `${where}: ${matched.how}${givenMax !== undefined ? `; max given: --pool-max ${givenMax}` : ''}`,
  );
}

/** A profile attendees may use, as the readiness command offers it. */
export interface ProfileChoice {
  slug: string;
  displayName: string;
  isDefault: boolean;
}

/**
 * The hub's profiles (`singleuser.profileList`), for asking which one attendees use before the full read.
 * Empty when the hub has none, or when its values cannot be read (the full read says why).
 */
export async function readHubProfiles(
  base: KubeConfig,
  options: Pick<ReadInputsOptions, 'context' | 'namespace' | 'release'>,
): Promise<ProfileChoice[]> {
  let client: ContextClient;
  try {
    client = new ContextClient(base, options.context);
  } catch {
    return [];
  }
  try {
    const pods = (await client.listPods(options.namespace)).items;
    const groups = groupHubs(pods).filter((g) => g.namespace === options.namespace);
    const group = options.release
      ? groups.find((g) => g.release === options.release)
      : (groups.find((g) => g.release === options.namespace) ?? groups[0]);
    if (!group) return [];
    const hubPod = group.pods.find((p) => podRole(p) === 'hub' && !p.metadata?.deletionTimestamp);
    const settings: ChartSettingsRead = await client.readHubValues(
      options.namespace,
      hubPod,
      parseChartSettings,
      (reason) => ({ status: 'unreadable', reason }),
    );
    if (settings.status !== 'read' || !settings.profiles) return [];
    return settings.profiles.value.map((p) => ({ slug: p.slug, displayName: p.displayName, isDefault: p.isDefault }));
  } catch {
    return [];
  } finally {
    client.dispose();
  }
}
