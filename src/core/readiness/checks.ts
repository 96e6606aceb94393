import { hubMemoryHighRatio } from '../cluster/hubHealth';
import { formatAgo } from '../cluster/kubeTime';
import { formatBytes, formatCount, formatSeconds } from '../../shared/format';
import type { EventPlan, ReadinessInputs } from './inputs';
import { nodeHeadroom, slotsNow, slotsPerNewNode } from './queueModel';
import type { StartupPrediction } from './simulate';
import type { Sourced } from './sourced';

export type Verdict = 'ok' | 'warn' | 'fail';

export interface ReadinessCheck {
  /** Stable identifier (for code and tests). */
  id: string;
  /** What is checked, in words. */
  name: string;
  verdict: Verdict;
  /** The numbers behind the verdict, in a sentence or two. */
  detail: string;
  /** Where the numbers came from, and what was assumed. */
  source: string;
}

/** Hub memory above this share of its limit fails the check (above `hubMemoryHighRatio` it warns, as the tree does). */
export const hubMemoryCriticalRatio = 0.9;

/** Minutes for people: "45 s", "10.5 min", "2 h 5 min". */
export function formatMinutes(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  if (minutes < 120) return `${Number(minutes.toFixed(1))} min`;
  const h = Math.floor(minutes / 60);
  return `${h} h ${Math.round(minutes - h * 60)} min`;
}

const sources = (...values: Sourced<unknown>[]) => [...new Set(values.map((v) => v.source))].join('; ');
const pct = (part: number, whole: number) => `${Math.round((part / whole) * 100)}%`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Every check, in the order a report lists them. */
export function readinessChecks(
  inputs: ReadinessInputs,
  plan: EventPlan,
  prediction: StartupPrediction,
): ReadinessCheck[] {
  const checks = [
    startupTime(inputs, plan, prediction),
    spawnLimit(inputs, plan, prediction),
    activeServerLimit(inputs, plan),
    capacityNow(inputs, plan),
    capacityAtMax(inputs, plan),
    placeholders(inputs, prediction),
    startTimeout(inputs, prediction),
    hubMemoryNow(inputs),
    hubMemoryRestart(inputs),
    hubDbStartup(inputs),
    namedServers(inputs),
    jupyterhub6Names(inputs),
  ];
  // The order readers expect the fields in (the CLI's JSON is read by people too).
  return checks.map(({ id, name, verdict, detail, source }) => ({ id, name, verdict, detail, source }));
}

/** The verdict of the start-up curve: everyone served soon after the last arrival. */
function startupTime(inputs: ReadinessInputs, plan: EventPlan, p: StartupPrediction): ReadinessCheck {
  const base = {
    id: 'startup-time',
    name: 'Time until every attendee has a server',
    source: sources(inputs.spawnLimit, inputs.spawnSeconds, inputs.scaleUpSeconds, inputs.pool, inputs.autoscaler),
  };
  const arrival = plan.arrivalMinutes
    ? ` (arrivals spread over ${formatMinutes(plan.arrivalMinutes)})`
    : ' (all at once)';
  if (p.lastServerMinutes === null)
    return {
      ...base,
      verdict: 'fail',
      detail: `${p.attendees - p.served} of ${p.attendees} attendees never get a server${arrival}: ${p.blockedBy} runs out with ${p.served} served.`,
    };
  const late = p.lastServerMinutes - plan.arrivalMinutes;
  const verdict: Verdict = late <= 5 ? 'ok' : late <= 15 ? 'warn' : 'fail';
  return {
    ...base,
    verdict,
    detail: `The last of ${p.attendees} attendees has a server after ${formatMinutes(p.lastServerMinutes)}${arrival}; half wait at most ${formatMinutes(p.medianWaitMinutes ?? 0)}, nine in ten at most ${formatMinutes(p.p90WaitMinutes ?? 0)}.`,
  };
}

function spawnLimit(inputs: ReadinessInputs, plan: EventPlan, p: StartupPrediction): ReadinessCheck {
  const limit = inputs.spawnLimit.value;
  const spawn = inputs.spawnSeconds.value;
  const base = {
    id: 'spawn-limit',
    name: 'Spawn limit vs arrival rate',
    source: sources(inputs.spawnLimit, inputs.spawnSeconds),
  };
  const perMinute = plan.arrivalMinutes > 0 ? p.attendees / plan.arrivalMinutes : null;
  const rate =
    perMinute === null ? `${p.attendees} attendees at once` : `${Number(perMinute.toFixed(1))} attendees a minute`;
  if (limit === 0)
    return {
      ...base,
      verdict: 'ok',
      detail: `No concurrent spawn limit (0): ${rate} all start at once; nobody sees a 429.`,
    };
  const throughput = (limit * 60) / spawn;
  const headline = `${limit} spawns at a time (about ${Math.round(throughput)} servers a minute at ${formatSeconds(spawn)} per spawn) against ${rate}`;
  if (p.usersSeeing429 === 0) return { ...base, verdict: 'ok', detail: `${headline}: nobody sees a 429.` };
  const share = p.usersSeeing429 / p.attendees;
  return {
    ...base,
    verdict: share >= 0.25 ? 'fail' : 'warn',
    detail: `${headline}: ${p.usersSeeing429} attendees (${pct(p.usersSeeing429, p.attendees)}) get "Too many users trying to log in right now" at least once (${p.responses429} times in all) and must retry 30–60 s later.`,
  };
}

function activeServerLimit(inputs: ReadinessInputs, plan: EventPlan): ReadinessCheck {
  const limit = inputs.activeServerLimit.value;
  const base = { id: 'active-server-limit', name: 'Active server limit', source: inputs.activeServerLimit.source };
  if (limit === null) return { ...base, verdict: 'ok', detail: 'No active server limit: it turns nobody away.' };
  const need = inputs.activeServers + plan.attendees;
  return need <= limit
    ? {
        ...base,
        verdict: 'ok',
        detail: `${inputs.activeServers} servers active now + ${plan.attendees} attendees = ${need}, within the limit of ${limit}.`,
      }
    : {
        ...base,
        verdict: 'fail',
        detail: `${inputs.activeServers} servers active now + ${plan.attendees} attendees = ${need}, over the limit of ${limit}: ${need - limit} attendees get "Active user limit exceeded" until others stop.`,
      };
}

function roomSource(inputs: ReadinessInputs): string {
  return sources(inputs.pool, inputs.userMemoryGuarantee, inputs.userCpuGuarantee, inputs.placeholderRequest);
}

function capacityNow(inputs: ReadinessInputs, plan: EventPlan): ReadinessCheck {
  const base = { id: 'node-capacity-now', name: 'Node capacity now', source: roomSource(inputs) };
  const pool = inputs.pool.value;
  const slots = slotsNow(inputs);
  if (!pool || slots === null) return { ...base, verdict: 'warn', detail: `Not checked: ${inputs.pool.source}.` };
  const guarantee = describeGuarantee(inputs);
  const partial = pool.partial ? ` (${pool.partial})` : '';
  const ready = pool.nodes.filter((n) => n.ready && n.schedulable).length;
  const text = `${plural(ready, 'ready node')} in the user pool hold ${slots} more servers of ${guarantee} now (placeholders' room included)${partial}`;
  if (slots >= plan.attendees)
    return { ...base, verdict: 'ok', detail: `${text}: room for all ${plan.attendees} attendees.` };
  const autoscales = inputs.autoscaler.value !== null && nodeHeadroom(inputs) > 0;
  return {
    ...base,
    verdict: autoscales ? 'warn' : 'fail',
    detail: `${text}: ${plan.attendees - slots} attendees need new nodes${autoscales ? ', which the autoscaler has to add during the event' : ' and the pool does not grow'}.`,
  };
}

function capacityAtMax(inputs: ReadinessInputs, plan: EventPlan): ReadinessCheck {
  const base = {
    id: 'node-capacity-at-max',
    name: "Node capacity at the autoscaler's max",
    source: sources(inputs.autoscaler, inputs.pool),
  };
  const slots = slotsNow(inputs);
  const a = inputs.autoscaler.value;
  if (slots === null) return { ...base, verdict: 'warn', detail: `Not checked: ${inputs.pool.source}.` };
  if (!a) {
    return {
      ...base,
      verdict: slots >= plan.attendees ? 'ok' : 'warn',
      detail: `No autoscaler known (${inputs.autoscaler.source}); the pool as it is holds ${slots} more servers for ${plan.attendees} attendees.`,
    };
  }
  const perNode = slotsPerNewNode(inputs);
  const atMax = slots + a.headroom * perNode;
  const text = `The node group may grow from ${a.target} to ${a.maxSize} nodes (${a.headroom} more, ${perNode} servers each): ${atMax} servers in all at its max`;
  return atMax >= plan.attendees
    ? { ...base, verdict: 'ok', detail: `${text}, enough for ${plan.attendees} attendees.` }
    : {
        ...base,
        verdict: 'fail',
        detail: `${text}, ${plan.attendees - atMax} short of ${plan.attendees} attendees: raise the group's max to at least ${a.target + Math.ceil((plan.attendees - slots) / Math.max(perNode, 1))} nodes.`,
      };
}

function placeholders(inputs: ReadinessInputs, p: StartupPrediction): ReadinessCheck {
  const replicas = inputs.placeholderReplicas.value;
  const base = {
    id: 'placeholders',
    name: 'User placeholders',
    source: sources(inputs.placeholderReplicas, inputs.placeholderRequest),
  };
  const held = `${plural(replicas, 'placeholder')} (${inputs.placeholdersRunning} on a node, ${inputs.placeholdersPending} pending)`;
  if (p.peakWaitingForNode === 0)
    return { ...base, verdict: 'ok', detail: `${held}; with the free room, no attendee waits for a new node.` };
  return {
    ...base,
    verdict: 'warn',
    detail: `${held}: up to ${p.peakWaitingForNode} attendees wait for a new node at once, each for up to ${formatMinutes(inputs.scaleUpSeconds.value / 60)}. Placeholders set ahead of the event make the autoscaler add that room before anyone arrives.`,
  };
}

function startTimeout(inputs: ReadinessInputs, p: StartupPrediction): ReadinessCheck {
  const timeout = inputs.startTimeoutSeconds.value;
  const base = {
    id: 'start-timeout',
    name: 'Spawn start timeout vs waiting for a node',
    source: sources(inputs.startTimeoutSeconds, inputs.scaleUpSeconds),
  };
  const pending = p.longestPendingMinutes * 60;
  if (pending <= timeout)
    return {
      ...base,
      verdict: 'ok',
      detail: `The longest spawn is pending ${formatMinutes(p.longestPendingMinutes)}, within the start timeout of ${formatMinutes(timeout / 60)}.`,
    };
  return {
    ...base,
    verdict: 'fail',
    detail: `Spawns stay pending up to ${formatMinutes(p.longestPendingMinutes)} (waiting for a node), longer than the start timeout of ${formatMinutes(timeout / 60)}: KubeSpawner gives up on them and those attendees see their spawn fail and must start again. The simulation does not count these failures.`,
  };
}

function hubMemoryNow(inputs: ReadinessInputs): ReadinessCheck {
  const used = inputs.hubMemoryUsed.value;
  const limit = inputs.hubMemoryLimit.value;
  const base = {
    id: 'hub-memory',
    name: 'Hub memory headroom now',
    source: sources(inputs.hubMemoryUsed, inputs.hubMemoryLimit),
  };
  const oom = inputs.hubLastOomKill
    ? ` Last OOMKilled ${formatAgo(inputs.hubLastOomKill, Date.parse(inputs.readAt))}.`
    : '';
  if (limit === null)
    return {
      ...base,
      verdict: 'warn',
      detail: `The hub has no memory limit${used !== null ? ` (uses ${formatBytes(used)})` : ''}: it can take its node's memory until the node runs out.${oom}`,
    };
  if (used === null)
    return {
      ...base,
      verdict: 'warn',
      detail: `Limit ${formatBytes(limit)}; use unknown (${inputs.hubMemoryUsed.source}).${oom}`,
    };
  const ratio = used / limit;
  const text = `The hub uses ${formatBytes(used)} of its ${formatBytes(limit)} limit (${pct(used, limit)})`;
  if (ratio >= hubMemoryCriticalRatio)
    return { ...base, verdict: 'fail', detail: `${text}: one busy moment from an OOM kill.${oom}` };
  if (ratio >= hubMemoryHighRatio || inputs.hubLastOomKill)
    return { ...base, verdict: 'warn', detail: `${text}.${oom}` };
  return { ...base, verdict: 'ok', detail: `${text}.` };
}

function hubMemoryRestart(inputs: ReadinessInputs): ReadinessCheck {
  const base = { id: 'hub-memory-restart', name: 'Hub memory during a restart', source: dbSource(inputs) };
  const db = inputs.hubDb;
  if (db.status !== 'analysed') return { ...base, verdict: 'warn', detail: notChecked(inputs) };
  const v = db.analysis.verdict;
  return {
    ...base,
    verdict: v.status === 'oom' ? 'fail' : v.status === 'tight' || v.status === 'unknown' ? 'warn' : 'ok',
    detail: v.headline,
  };
}

function hubDbStartup(inputs: ReadinessInputs): ReadinessCheck {
  const base = { id: 'hub-db-startup', name: 'Hub DB start-up cost', source: dbSource(inputs) };
  const db = inputs.hubDb;
  if (db.status !== 'analysed') return { ...base, verdict: 'warn', detail: notChecked(inputs) };
  const e = db.analysis.estimate;
  const seconds = e.seconds;
  const text = `A restart at JupyterHub ${e.jupyterhub} reads ${formatCount(e.totalRows)} rows in ${e.statements} statements at start-up: about ${formatSeconds(seconds)} before the hub answers`;
  return {
    ...base,
    verdict: seconds > 60 ? 'fail' : seconds > 10 ? 'warn' : 'ok',
    detail: seconds > 10 ? `${text}; a restart during the event keeps everyone out that long.` : `${text}.`,
  };
}

function namedServers(inputs: ReadinessInputs): ReadinessCheck {
  const allowed = inputs.allowNamedServers.value;
  const limit = inputs.namedServerLimitPerUser.value;
  const base = {
    id: 'named-servers',
    name: 'Named servers per user',
    source:
      sources(inputs.allowNamedServers, inputs.namedServerLimitPerUser) +
      (inputs.hubDb.status === 'analysed' ? `; ${inputs.hubDb.source}` : ''),
  };
  const db = inputs.hubDb.status === 'analysed' ? inputs.hubDb.named : null;
  const most = db?.top[0];
  const inDb = db
    ? ` The snapshot holds ${formatCount(db.namedServers)} named servers of ${db.usersWithNamed} users${most ? `, at most ${most.named} for one user` : ''}.`
    : '';
  if (!allowed) return { ...base, verdict: 'ok', detail: `Named servers are off.${inDb}` };
  if (limit === null)
    return {
      ...base,
      verdict: 'warn',
      detail: `Named servers are on with no limit per user: a script or a stress test can create thousands, and each one adds to the hub's start-up query on JupyterHub 5.0–5.3.${inDb}`,
    };
  if (most && most.named > limit)
    return {
      ...base,
      verdict: 'warn',
      detail: `Limit ${limit} per user, yet some users hold more (created before the limit).${inDb}`,
    };
  return { ...base, verdict: 'ok', detail: `At most ${limit} named servers per user.${inDb}` };
}

function jupyterhub6Names(inputs: ReadinessInputs): ReadinessCheck {
  const base = { id: 'jupyterhub-6-names', name: 'Server names JupyterHub 6 rejects', source: dbSource(inputs) };
  const db = inputs.hubDb;
  if (db.status !== 'analysed') return { ...base, verdict: 'warn', detail: notChecked(inputs) };
  const n = db.named.rejectedBy6;
  if (n === 0)
    return {
      ...base,
      verdict: 'ok',
      detail: `All ${formatCount(db.named.namedServers)} named servers have names JupyterHub 6 accepts.`,
    };
  const examples = db.named.rejectedExamples
    .slice(0, 3)
    .map((e) => `"${e.user}/${e.server}" (${e.problem})`)
    .join(', ');
  return {
    ...base,
    verdict: 'warn',
    detail: `${formatCount(n)} named servers have names JupyterHub 6.0 rejects for new servers (1–30 lowercase letters, digits and single hyphens, starting with a letter, ending with a letter or digit), e.g. ${examples}. 6.x still starts them by default (allow_existing_invalid_named_servers = allow-start); JupyterHub 7 drops them. Renaming is unsafe where storage paths include the server name.`,
  };
}

function dbSource(inputs: ReadinessInputs): string {
  const db = inputs.hubDb;
  if (db.status === 'analysed')
    return `${db.source}; ${inputs.jupyterhubVersion.source}; ${inputs.hubMemoryLimit.source}`;
  return db.status === 'unreadable' ? db.reason : 'no hub DB snapshot';
}

function notChecked(inputs: ReadinessInputs): string {
  const db = inputs.hubDb;
  return db.status === 'unreadable'
    ? `Not checked: the snapshot could not be read (${db.reason}).`
    : 'Not checked: no hub DB snapshot given (take one, or pass the latest: a restart during the event replays the start-up query).';
}

function describeGuarantee(inputs: ReadinessInputs): string {
  const mem = inputs.userMemoryGuarantee.value;
  const cpu = inputs.userCpuGuarantee.value;
  const parts = [mem ? formatBytes(mem) : null, cpu ? `${cpu} CPU` : null].filter(Boolean);
  return parts.length ? parts.join(' + ') : 'no guarantee (packed by pod count only)';
}

/** The worst verdict of a list (ok when empty). */
export function worstVerdict(checks: readonly { verdict: Verdict }[]): Verdict {
  return checks.some((c) => c.verdict === 'fail') ? 'fail' : checks.some((c) => c.verdict === 'warn') ? 'warn' : 'ok';
}
