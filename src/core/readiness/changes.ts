import { formatBytes } from '../../shared/format';
import { hubMemoryHighRatio } from '../cluster/hubHealth';
import { formatMinutes } from './checks';
import type { EventPlan, ReadinessInputs } from './inputs';
import { nodeHeadroom, queueModel, slotsNow, slotsPerNewNode, userRequest, type Adjustments } from './queueModel';
import { simulateStartup, type CurvePoint, type StartupPrediction } from './simulate';

/** The headline figures of one predicted curve. */
export interface PredictedCurve {
  lastServerMinutes: number | null;
  usersSeeing429: number;
  peakWaitingForNode: number;
  served: number;
  curve: CurvePoint[];
}

export interface SuggestedChange {
  id: string;
  /** 'values': a z2jh values.yaml key; 'cluster': the node pool or autoscaler, outside the chart. */
  kind: 'values' | 'cluster';
  /** The values key, or the cluster setting in words. */
  key: string;
  from: string | number | null;
  to: string | number;
  why: string;
  /** When it must be done, if it matters ("at least 10 min before the event"). */
  when: string | null;
  /** The id of the change this one can replace (the same effect by other means). */
  alternativeTo: string | null;
  /** The curve with this change alone. */
  predicted: PredictedCurve;
}

/** The changes that make the event fit, as a z2jh values diff plus what lies outside the chart. */
export interface ValuesDiff {
  changes: SuggestedChange[];
  /** The values keys changed, as a diff of values.yaml (empty when nothing needs to change). */
  diff: string;
  /** The same as YAML to merge into the hub's values. */
  yaml: string;
  /** Changes outside the chart (the node group), in words. */
  cluster: string[];
  /** Every change together (alternatives left out). */
  predicted: PredictedCurve;
}

export function predicted(p: StartupPrediction): PredictedCurve {
  return {
    lastServerMinutes: p.lastServerMinutes,
    usersSeeing429: p.usersSeeing429,
    peakWaitingForNode: p.peakWaitingForNode,
    served: p.served,
    curve: p.curve,
  };
}

const roundUp = (n: number, step: number) => Math.ceil(n / step) * step;
const GiB = 2 ** 30;

/**
 * The smallest set of changes, in order of effect: room at the node group's max, room ready before the
 * event (placeholders ahead of time, or pre-scaling), the spawn limit, the start timeout, the hub's
 * memory limit, a limit on named servers. Each is simulated alone and all together.
 */
export function suggestChanges(inputs: ReadinessInputs, plan: EventPlan): ValuesDiff {
  const predict = (adjust: Adjustments) => simulateStartup(queueModel(inputs, plan, adjust));
  const base = predict({});
  const adjust: Adjustments = {};
  const changes: SuggestedChange[] = [];
  const add = (change: Omit<SuggestedChange, 'predicted'>, alone: Adjustments | null) =>
    changes.push({ ...change, predicted: predicted(alone ? predict(alone) : base) });

  const scaleUp = formatMinutes(inputs.scaleUpSeconds.value / 60);
  const slots = slotsNow(inputs);
  const perNode = slotsPerNewNode(inputs);
  const a = inputs.autoscaler.value;
  if (slots !== null && slots < plan.attendees && perNode > 0) {
    const short = plan.attendees - slots;
    const nodesNeeded = Math.ceil(short / perNode);
    const target = a?.target ?? inputs.pool.value?.nodes.length ?? 0;
    if (a && nodesNeeded > nodeHeadroom(inputs)) {
      adjust.poolMaxNodes = target + nodesNeeded;
      add(
        {
          id: 'node-group-max',
          kind: 'cluster',
          key: `max size of node group ${a.groups.map((g) => g.name.split('/').at(-1)).join(', ') || 'of the user pool'}`,
          from: a.maxSize,
          to: adjust.poolMaxNodes,
          why: `${plan.attendees} attendees need ${nodesNeeded} more nodes of ${perNode} servers; the group may add only ${a.headroom}.`,
          when: 'before the event (the cloud console, or the autoscaler settings)',
          alternativeTo: null,
        },
        { poolMaxNodes: adjust.poolMaxNodes },
      );
    }
    const perPlaceholder = placeholdersPerUser(inputs);
    if (a && perPlaceholder !== null) {
      // The z2jh way: placeholders ahead of the event (pre-scaling the pool is the alternative).
      // New placeholders fill the free room first, then overflow onto nodes the autoscaler adds for
      // them: room for every attendee means one placeholder's room per attendee.
      const replicas = Math.max(inputs.placeholderReplicas.value, Math.ceil(plan.attendees * perPlaceholder));
      adjust.placeholderReplicas = replicas;
      const alone: Adjustments = { placeholderReplicas: replicas };
      if (adjust.poolMaxNodes !== undefined) alone.poolMaxNodes = adjust.poolMaxNodes;
      add(
        {
          id: 'placeholders',
          kind: 'values',
          key: 'scheduling.userPlaceholder.replicas',
          from: inputs.placeholderReplicas.value,
          to: replicas,
          why: `${replicas} placeholders hold room for all ${plan.attendees} attendees: the autoscaler adds ${nodesNeeded} nodes for them before the event, and each attendee takes a placeholder's room at once instead of waiting ${scaleUp} for a node.`,
          when: `at least ${scaleUp} before the event; set it back afterwards`,
          alternativeTo: null,
        },
        alone,
      );
    }
    if (a) {
      const extra: Adjustments = { extraNodes: nodesNeeded };
      if (adjust.poolMaxNodes !== undefined) extra.poolMaxNodes = adjust.poolMaxNodes;
      const primary = perPlaceholder === null;
      if (primary) adjust.extraNodes = nodesNeeded;
      add(
        {
          id: 'pre-scale',
          kind: 'cluster',
          key: 'min size of the user node group',
          from: a.minSize,
          to: target + nodesNeeded,
          why: primary
            ? `Pre-scaling the pool to ${target + nodesNeeded} nodes puts the room there before anyone arrives (placeholders cannot hold the room these servers ask for).`
            : `Pre-scaling the pool to ${target + nodesNeeded} nodes has the same effect without touching the hub's values.`,
          when: `at least ${scaleUp} before the event; lower it afterwards`,
          alternativeTo: primary ? null : 'placeholders',
        },
        extra,
      );
    } else {
      adjust.extraNodes = nodesNeeded;
      add(
        {
          id: 'add-nodes',
          kind: 'cluster',
          key: 'nodes in the user pool',
          from: inputs.pool.value?.nodes.length ?? null,
          to: (inputs.pool.value?.nodes.length ?? 0) + nodesNeeded,
          why: `No autoscaler grows the pool (${inputs.autoscaler.source}): ${nodesNeeded} more nodes of ${perNode} servers hold ${plan.attendees} attendees.`,
          when: 'before the event',
          alternativeTo: null,
        },
        { extraNodes: nodesNeeded },
      );
    }
  }

  const limit = inputs.spawnLimit.value;
  const afterRoom = predict(adjust);
  if (limit > 0 && afterRoom.usersSeeing429 > 0) {
    const unthrottled = predict({ ...adjust, spawnLimit: 0 });
    const to = roundUp(Math.max(unthrottled.peakPendingSpawns, limit + 1), 10);
    if (to > limit) {
      adjust.spawnLimit = to;
      add(
        {
          id: 'spawn-limit',
          kind: 'values',
          key: inputs.keys.spawnLimit,
          from: limit,
          to,
          why: `Up to ${unthrottled.peakPendingSpawns} spawns are pending at once; with ${limit}, ${afterRoom.usersSeeing429} attendees get a 429 and retry. The hub starts them all at once instead: watch its CPU.`,
          when: null,
          alternativeTo: null,
        },
        { spawnLimit: to },
      );
    }
  }

  const after = predict(adjust);
  const timeout = inputs.startTimeoutSeconds.value;
  if (after.longestPendingMinutes * 60 > timeout) {
    const to = roundUp(after.longestPendingMinutes * 60 + 120, 60);
    add(
      {
        id: 'start-timeout',
        kind: 'values',
        key: inputs.keys.startTimeout,
        from: timeout,
        to,
        why: `Spawns wait up to ${formatMinutes(after.longestPendingMinutes)} for a node; past ${timeout} s KubeSpawner gives up and the attendee must start again.`,
        when: null,
        alternativeTo: null,
      },
      null,
    );
  }

  const memory = hubMemoryChange(inputs);
  if (memory) add(memory, null);

  const db = inputs.hubDb.status === 'analysed' ? inputs.hubDb : null;
  if (inputs.allowNamedServers.value && inputs.namedServerLimitPerUser.value === null && db)
    add(
      {
        id: 'named-server-limit',
        kind: 'values',
        key: inputs.keys.namedServerLimitPerUser,
        from: null,
        to: db.suggestedNamedServerLimit,
        why: `Unlimited named servers let one script fill the hub DB (the start-up query of 5.0–5.3 grows with them); ${db.suggestedNamedServerLimit} covers this hub's users.`,
        when: null,
        alternativeTo: null,
      },
      null,
    );

  const kept = changes.filter((c) => c.alternativeTo === null);
  return {
    changes,
    diff: valuesDiffText(kept.filter((c) => c.kind === 'values')),
    yaml: valuesYaml(kept.filter((c) => c.kind === 'values')),
    cluster: kept
      .filter((c) => c.kind === 'cluster')
      .map((c) => `${c.key}: ${c.from ?? 'unknown'} → ${c.to} (${c.when ?? 'before the event'})`),
    predicted: predicted(after),
  };
}

/** Placeholders per attendee (a placeholder may ask for less than a user server); null when they hold nothing. */
function placeholdersPerUser(inputs: ReadinessInputs): number | null {
  const user = userRequest(inputs);
  const ph = inputs.placeholderRequest.value;
  const ratios = (['memoryBytes', 'cpuMillis'] as const)
    .filter((k) => user[k] > 0)
    .map((k) => (ph[k] > 0 ? user[k] / ph[k] : Infinity));
  if (!ratios.length) return 1;
  const ratio = Math.max(...ratios);
  return Number.isFinite(ratio) ? ratio : null;
}

/** A higher hub memory limit when its use now or its start-up peak is near the limit. */
function hubMemoryChange(inputs: ReadinessInputs): Omit<SuggestedChange, 'predicted'> | null {
  const limit = inputs.hubMemoryLimit.value;
  if (limit === null) return null;
  const used = inputs.hubMemoryUsed.value ?? 0;
  const db = inputs.hubDb.status === 'analysed' ? inputs.hubDb.analysis.verdict : null;
  const peak = db?.peakBytes ?? 0;
  const tightRestart = db !== null && (db.status === 'oom' || db.status === 'tight');
  if (used < hubMemoryHighRatio * limit && !tightRestart) return null;
  const to = roundUp(Math.max(used, peak) / 0.6, GiB);
  if (to <= limit) return null;
  const reason = tightRestart
    ? `A restart needs ${formatBytes(peak)} at its peak`
    : `The hub uses ${formatBytes(used)} (${Math.round((used / limit) * 100)}% of ${formatBytes(limit)})`;
  return {
    id: 'hub-memory-limit',
    kind: 'values',
    key: 'hub.resources.limits.memory',
    from: formatBytes(limit),
    to: formatBytes(to),
    why: `${reason}: ${formatBytes(to)} leaves 40% headroom. Cleaning up the DB (hubops analyze) or upgrading to 5.4.3+ lowers the start-up peak instead.`,
    when: 'before the event, not during it (the hub restarts)',
    alternativeTo: null,
  };
}

type Tree = Map<string, Tree | SuggestedChange>;

function treeOf(changes: SuggestedChange[]): Tree {
  const root: Tree = new Map();
  for (const change of [...changes].sort((x, y) => x.key.localeCompare(y.key))) {
    const parts = change.key.split('.');
    let node = root;
    parts.slice(0, -1).forEach((part) => {
      let child = node.get(part);
      if (!(child instanceof Map)) node.set(part, (child = new Map()));
      node = child;
    });
    node.set(parts.at(-1)!, change);
  }
  return root;
}

const scalar = (v: string | number | null) =>
  v === null ? 'null' : typeof v === 'number' ? String(v) : /^[\w.-]+$/.test(v) ? v : JSON.stringify(v);

/** The changes' keys as nested YAML; `leaf` writes the lines of one change at its indent. */
function renderTree(
  changes: SuggestedChange[],
  branch: (pad: string, key: string) => string,
  leaf: (pad: string, key: string, change: SuggestedChange) => string[],
): string {
  const lines: string[] = [];
  const walk = (tree: Tree, depth: number) => {
    for (const [key, value] of tree) {
      const pad = '  '.repeat(depth);
      if (value instanceof Map) {
        lines.push(branch(pad, key));
        walk(value, depth + 1);
      } else lines.push(...leaf(pad, key, value));
    }
  };
  walk(treeOf(changes), 0);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

const valuesDiffText = (changes: SuggestedChange[]) =>
  renderTree(
    changes,
    (pad, key) => ` ${pad}${key}:`,
    (pad, key, c) => [
      ...(c.from !== null ? [`-${pad}${key}: ${scalar(c.from)}`] : []),
      `+${pad}${key}: ${scalar(c.to)}`,
    ],
  );

const valuesYaml = (changes: SuggestedChange[]) =>
  renderTree(
    changes,
    (pad, key) => `${pad}${key}:`,
    (pad, key, c) => [`${pad}${key}: ${scalar(c.to)}${c.when ? `  # ${c.when}` : ''}`],
  );
