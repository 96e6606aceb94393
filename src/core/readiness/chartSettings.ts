import { asRecord, chartOfValues, loadHubValues, parseHubValues, type HubConfigRead } from '../cluster/hubConfig';
import { parseMemoryQuantity } from '../../shared/format';

/** A setting found in values.yaml, with the key it was found under. */
export interface Found<T> {
  value: T;
  key: string;
}

/** One entry of `singleuser.profileList` (KubeSpawner's `profile_list`), reduced to what readiness needs. */
export interface ProfileSettings {
  displayName: string;
  slug: string;
  isDefault: boolean;
  /** Effective overrides of this profile with its options' default choices applied. */
  memGuarantee: number | null | undefined;
  memLimit: number | null | undefined;
  cpuGuarantee: number | null | undefined;
  cpuLimit: number | null | undefined;
  nodeSelector: Record<string, string> | undefined;
}

/**
 * The chart settings an event depends on, as values.yaml states them (null = the key is not there). Only
 * these leave the parser: values.yaml also holds the hub's secrets.
 */
export interface ChartSettings {
  from: string;
  /** The chart version when the text is the chart's own rendering (every default is then present). */
  chart: string | null;
  /** The spawn limit as the cluster model reads it (the same rules), and the key that sets it. */
  spawnConfig: HubConfigRead;
  spawnLimitKey: string | null;
  activeServerLimit: Found<number> | null;
  namedServerLimitPerUser: Found<number> | null;
  allowNamedServers: Found<boolean> | null;
  startTimeoutSeconds: Found<number> | null;
  memGuarantee: Found<number | null> | null;
  memLimit: Found<number | null> | null;
  cpuGuarantee: Found<number | null> | null;
  cpuLimit: Found<number | null> | null;
  nodeSelector: Found<Record<string, string>> | null;
  matchNodePurpose: Found<string> | null;
  profiles: Found<ProfileSettings[]> | null;
  placeholderEnabled: Found<boolean> | null;
  placeholderReplicas: Found<number> | null;
  hubMemoryRequest: Found<number | null> | null;
  hubMemoryLimit: Found<number | null> | null;
  /** Settings present but not understood (named by key, never by value). */
  problems: string[];
}

export type ChartSettingsRead = ({ status: 'read' } & ChartSettings) | { status: 'unreadable'; reason: string };

const UNITS: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/**
 * Bytes of a JupyterHub ByteSpecification (`mem_guarantee: 1G`): K, M, G, T are binary (1G = 2^30), a
 * number is bytes. Kubernetes forms (1Gi, 1500Mi) are taken too, though the hub itself would refuse them.
 */
export function byteSpecification(value: unknown): number | null | undefined {
  if (value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT])\s*$/.exec(value);
  if (m) return Math.round(Number(m[1]) * UNITS[m[2]!]!);
  return parseMemoryQuantity(value) ?? undefined;
}

/** CPUs as KubeSpawner's Float takes them (0.5), or a Kubernetes form (500m). */
export function cpuSpecification(value: unknown): number | null | undefined {
  if (value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)(m?)\s*$/.exec(value);
  if (!m) return undefined;
  return m[2] ? Number(m[1]) / 1000 : Number(m[1]);
}

const wholeNumber = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const stringMap = (v: unknown): Record<string, string> | undefined => {
  const r = asRecord(v);
  if (!r) return undefined;
  return Object.fromEntries(Object.entries(r).map(([k, x]) => [k, String(x)]));
};

/** The value at a dotted path (segments given as an array: keys may hold dots). */
function at(root: Record<string, unknown>, path: string[]): unknown {
  let cursor: unknown = root;
  for (const key of path) {
    const record = asRecord(cursor);
    if (!record) return undefined;
    cursor = record[key];
  }
  return cursor;
}

/**
 * Parses values.yaml into the settings an event depends on. `hub.config.<Class>.<trait>` wins over the
 * chart's own key, as in the hub's config loading (`hub.config` is applied last).
 */
export function parseChartSettings(text: string, from: string): ChartSettingsRead {
  const loaded = loadHubValues(text, from);
  if (loaded.status !== 'loaded') return loaded;
  const root = loaded.root;
  const problems: string[] = [];

  /** The first of `paths` that is set (null counts as set when `nullable`), converted, or null. */
  function pick<T>(
    paths: string[][],
    convert: (v: unknown) => T | undefined,
    options: { nullable?: boolean } = {},
  ): Found<T> | null {
    for (const path of paths) {
      const raw = at(root, path);
      if (raw === undefined || (raw === null && !options.nullable)) continue;
      const value = convert(raw);
      const key = path.join('.');
      if (value === undefined) {
        problems.push(`${key} in ${from} is not understood`);
        continue;
      }
      return { value, key };
    }
    return null;
  }

  const jh = (trait: string) => ['hub', 'config', 'JupyterHub', trait];
  const ks = (trait: string) => ['hub', 'config', 'KubeSpawner', trait];
  const profiles = pick([ks('profile_list'), ['singleuser', 'profileList']], (v) => profileList(v, problems, from));
  return {
    status: 'read',
    from,
    chart: chartOfValues(root),
    spawnConfig: parseHubValues(text, from),
    spawnLimitKey:
      pick([jh('concurrent_spawn_limit'), ['hub', 'concurrentSpawnLimit']], (v) => v, { nullable: false })?.key ?? null,
    activeServerLimit: pick([jh('active_server_limit'), ['hub', 'activeServerLimit']], wholeNumber),
    namedServerLimitPerUser: pick([jh('named_server_limit_per_user'), ['hub', 'namedServerLimitPerUser']], wholeNumber),
    allowNamedServers: pick([jh('allow_named_servers'), ['hub', 'allowNamedServers']], bool),
    startTimeoutSeconds: pick([ks('start_timeout'), ['singleuser', 'startTimeout']], wholeNumber),
    memGuarantee: pick([ks('mem_guarantee'), ['singleuser', 'memory', 'guarantee']], byteSpecification, {
      nullable: true,
    }),
    memLimit: pick([ks('mem_limit'), ['singleuser', 'memory', 'limit']], byteSpecification, { nullable: true }),
    cpuGuarantee: pick([ks('cpu_guarantee'), ['singleuser', 'cpu', 'guarantee']], cpuSpecification, {
      nullable: true,
    }),
    cpuLimit: pick([ks('cpu_limit'), ['singleuser', 'cpu', 'limit']], cpuSpecification, { nullable: true }),
    nodeSelector: pick([ks('node_selector'), ['singleuser', 'nodeSelector']], stringMap),
    matchNodePurpose: pick([['scheduling', 'userPods', 'nodeAffinity', 'matchNodePurpose']], (v) =>
      typeof v === 'string' ? v : undefined,
    ),
    profiles,
    placeholderEnabled: pick([['scheduling', 'userPlaceholder', 'enabled']], bool),
    placeholderReplicas: pick([['scheduling', 'userPlaceholder', 'replicas']], wholeNumber),
    hubMemoryRequest: pick([['hub', 'resources', 'requests', 'memory']], byteSpecification, { nullable: true }),
    hubMemoryLimit: pick([['hub', 'resources', 'limits', 'memory']], byteSpecification, { nullable: true }),
    problems,
  };
}

function profileList(value: unknown, problems: string[], from: string): ProfileSettings[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const profiles: ProfileSettings[] = [];
  value.forEach((entry, i) => {
    const p = asRecord(entry);
    if (!p) {
      problems.push(`profile ${i + 1} in ${from} is not a mapping`);
      return;
    }
    const displayName = typeof p.display_name === 'string' ? p.display_name : `profile ${i + 1}`;
    const slug = typeof p.slug === 'string' ? p.slug : slugOf(displayName);
    const overrides = [asRecord(p.kubespawner_override) ?? {}];
    // Each option's default choice (or its first) applies its own overrides on top.
    for (const option of Object.values(asRecord(p.profile_options) ?? {})) {
      const choices = Object.values(asRecord(asRecord(option)?.choices) ?? {}).map((c) => asRecord(c) ?? {});
      const chosen = choices.find((c) => c.default === true) ?? choices[0];
      const override = asRecord(chosen?.kubespawner_override);
      if (override) overrides.push(override);
    }
    const merged = Object.assign({}, ...overrides) as Record<string, unknown>;
    const has = (k: string) => Object.prototype.hasOwnProperty.call(merged, k);
    profiles.push({
      displayName,
      slug,
      isDefault: p.default === true,
      memGuarantee: has('mem_guarantee') ? byteSpecification(merged.mem_guarantee) : undefined,
      memLimit: has('mem_limit') ? byteSpecification(merged.mem_limit) : undefined,
      cpuGuarantee: has('cpu_guarantee') ? cpuSpecification(merged.cpu_guarantee) : undefined,
      cpuLimit: has('cpu_limit') ? cpuSpecification(merged.cpu_limit) : undefined,
      nodeSelector: stringMap(merged.node_selector),
    });
  });
  return profiles;
}

/** KubeSpawner's slug for a profile without one: lower case, runs of other characters become '-'. */
const slugOf = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The profile `name` (slug or display name, any case), the default one when no name is given. */
export function findProfile(
  profiles: readonly ProfileSettings[],
  name: string | undefined,
): { profile: ProfileSettings; how: string } | { error: string } | null {
  if (profiles.length === 0) return name ? { error: `no profileList in the values: profile "${name}" unknown` } : null;
  if (name === undefined) {
    const chosen = profiles.find((p) => p.isDefault);
    return chosen
      ? { profile: chosen, how: `profile "${chosen.displayName}" (the default)` }
      : { profile: profiles[0]!, how: `profile "${profiles[0]!.displayName}" (the first; none is marked default)` };
  }
  const wanted = name.toLowerCase();
  const profile = profiles.find((p) => p.slug.toLowerCase() === wanted || p.displayName.toLowerCase() === wanted);
  if (!profile)
    return {
      error: `no profile "${name}": the profiles are ${profiles.map((p) => `"${p.slug}"`).join(', ')}`,
    };
  return { profile, how: `profile "${profile.displayName}"` };
}
