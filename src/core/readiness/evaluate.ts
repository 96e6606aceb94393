import { redactDeep } from '../secrets';
import { suggestChanges, type ValuesDiff } from './changes';
import { formatMinutes, readinessChecks, worstVerdict, type ReadinessCheck, type Verdict } from './checks';
import type { EventPlan, ReadinessInputs } from './inputs';
import { queueModel } from './queueModel';
import { simulateStartup, type CurvePoint, type ScaleUp, type StartupPrediction } from './simulate';
import type { Sourced } from './sourced';
import { userMessage, type UserMessage } from './userMessage';
import { formatBytes } from '../../shared/format';

/** One input as the report lists it: the value in words, where it came from, whether it was assumed. */
export interface InputLine {
  name: string;
  value: string;
  source: string;
  assumed: boolean;
}

/**
 * The answer to "will this hub hold the event?": the predicted start-up curve and its headline figures,
 * each check, the changes that make it fit and the notices for users. Plain data (JSON-serialisable):
 * what `hubops readiness --json` prints, what the extension shows, journals and exports.
 */
export interface ReadinessReport {
  hub: { context: string; namespace: string; release: string; jupyterhubVersion: string | null };
  plan: EventPlan;
  readAt: string;
  verdict: Verdict;
  headline: string;
  lastServerMinutes: number | null;
  usersSeeing429: number;
  peakWaitingForNode: number;
  served: number;
  medianWaitMinutes: number | null;
  p90WaitMinutes: number | null;
  longestPendingMinutes: number;
  scaleUps: ScaleUp[];
  curve: CurvePoint[];
  checks: ReadinessCheck[];
  valuesDiff: ValuesDiff;
  userMessage: UserMessage;
  /** The message if the suggested changes are made (null when nothing needs to change). */
  userMessageAfterChanges: UserMessage | null;
  inputs: InputLine[];
  /** The sources of every assumed value, for "what this relies on". */
  assumptions: string[];
  warnings: string[];
}

/** The generated values snippets: kept exactly (they name settings, never a secret). */
const GENERATED = new Set(['diff', 'yaml']);

/**
 * Runs the simulation, the checks and the suggestions on what was read. Pure. Every string of the
 * report has passed the secret detector: names from the cluster and the DB reach it.
 */
export function evaluateReadiness(inputs: ReadinessInputs, plan: EventPlan): ReadinessReport {
  return redactDeep(evaluate(inputs, plan), GENERATED);
}

function evaluate(inputs: ReadinessInputs, plan: EventPlan): ReadinessReport {
  const prediction = simulateStartup(queueModel(inputs, plan));
  const checks = readinessChecks(inputs, plan, prediction);
  const valuesDiff = suggestChanges(inputs, plan);
  const timing = {
    scaleUpMinutes: inputs.scaleUpSeconds.value / 60,
    startTimeoutMinutes: inputs.startTimeoutSeconds.value / 60,
  };
  const lines = inputLines(inputs);
  const changed = valuesDiff.changes.length > 0;
  const afterChanges = changed ? simulateAfter(inputs, plan, valuesDiff) : null;
  return {
    hub: {
      context: inputs.context,
      namespace: inputs.namespace,
      release: inputs.release,
      jupyterhubVersion: inputs.jupyterhubVersion.value,
    },
    plan,
    readAt: inputs.readAt,
    verdict: worstVerdict(checks),
    headline: headline(plan, prediction, valuesDiff),
    lastServerMinutes: prediction.lastServerMinutes,
    usersSeeing429: prediction.usersSeeing429,
    peakWaitingForNode: prediction.peakWaitingForNode,
    served: prediction.served,
    medianWaitMinutes: prediction.medianWaitMinutes,
    p90WaitMinutes: prediction.p90WaitMinutes,
    longestPendingMinutes: prediction.longestPendingMinutes,
    scaleUps: prediction.scaleUps,
    curve: prediction.curve,
    checks,
    valuesDiff,
    userMessage: userMessage(plan, prediction, timing, 'the hub as it is now'),
    userMessageAfterChanges: afterChanges
      ? userMessage(plan, afterChanges, timing, 'after the suggested changes')
      : null,
    inputs: lines,
    assumptions: [...new Set(lines.filter((l) => l.assumed).map((l) => `${l.name}: ${l.source}`))],
    warnings: inputs.warnings,
  };
}

/** The full prediction with every kept change (the diff carries only the headline figures and curve). */
function simulateAfter(inputs: ReadinessInputs, plan: EventPlan, diff: ValuesDiff): StartupPrediction {
  const kept = diff.changes.filter((c) => c.alternativeTo === null);
  const adjust: Parameters<typeof queueModel>[2] = {};
  for (const c of kept) {
    if (c.id === 'node-group-max') adjust.poolMaxNodes = Number(c.to);
    if (c.id === 'placeholders') adjust.placeholderReplicas = Number(c.to);
    if (c.id === 'add-nodes') adjust.extraNodes = Number(c.to) - Number(c.from ?? 0);
    if (c.id === 'spawn-limit') adjust.spawnLimit = Number(c.to);
  }
  return simulateStartup(queueModel(inputs, plan, adjust));
}

function headline(plan: EventPlan, p: StartupPrediction, diff: ValuesDiff): string {
  const who = `${plan.attendees} attendees${plan.arrivalMinutes ? ` over ${formatMinutes(plan.arrivalMinutes)}` : ' at once'}`;
  const now =
    p.lastServerMinutes === null
      ? `${who}: ${p.attendees - p.served} never get a server (${p.blockedBy})`
      : `${who}: the last server starts after ${formatMinutes(p.lastServerMinutes)}`;
  const after = diff.predicted.lastServerMinutes;
  if (!diff.changes.length) return `${now}.`;
  return `${now}; with the suggested changes, ${after === null ? `${plan.attendees - diff.predicted.served} still never get one` : `after ${formatMinutes(after)}`}.`;
}

const bytes = (n: number | null) => (n === null ? 'none' : formatBytes(n));

function inputLines(inputs: ReadinessInputs): InputLine[] {
  const line = <T>(name: string, s: Sourced<T>, show: (v: T) => string): InputLine => ({
    name,
    value: show(s.value),
    source: s.source,
    assumed: s.assumed,
  });
  const pool = inputs.pool.value;
  const a = inputs.autoscaler.value;
  return [
    line('JupyterHub version', inputs.jupyterhubVersion, (v) => v ?? 'unknown'),
    line('concurrent spawn limit', inputs.spawnLimit, (v) => (v === 0 ? 'none (0)' : String(v))),
    line('active server limit', inputs.activeServerLimit, (v) => (v === null ? 'none' : String(v))),
    line('named servers', inputs.allowNamedServers, (v) => (v ? 'allowed' : 'off')),
    line('named servers per user', inputs.namedServerLimitPerUser, (v) => (v === null ? 'unlimited' : String(v))),
    line('start timeout', inputs.startTimeoutSeconds, (v) => `${v} s`),
    line('profile', inputs.profile, (v) => v ?? 'none'),
    line('user memory guarantee', inputs.userMemoryGuarantee, bytes),
    line('user memory limit', inputs.userMemoryLimit, bytes),
    line('user CPU guarantee', inputs.userCpuGuarantee, (v) => (v === null ? 'none' : String(v))),
    line('user CPU limit', inputs.userCpuLimit, (v) => (v === null ? 'none' : String(v))),
    line('user placeholders', inputs.placeholderReplicas, (v) => `${v} (${inputs.placeholdersRunning} on a node)`),
    line('hub memory limit', inputs.hubMemoryLimit, bytes),
    line('hub memory request', inputs.hubMemoryRequest, bytes),
    line('hub memory use', inputs.hubMemoryUsed, bytes),
    line('user pool', inputs.pool, () =>
      pool
        ? `${pool.nodes.length} node(s), ${pool.nodes.reduce((s, n) => s + n.userServers, 0)} of this hub's servers on them`
        : 'not read',
    ),
    line('autoscaler', inputs.autoscaler, () =>
      a
        ? `node group ${a.target} node(s), min ${a.minSize}, max ${a.maxSize}${a.scaleUp ? `, scale-up ${a.scaleUp}` : ''}`
        : 'none known',
    ),
    line('spawn time', inputs.spawnSeconds, (v) => `${v} s`),
    line('scale-up time', inputs.scaleUpSeconds, (v) => formatMinutes(v / 60)),
    {
      name: 'hub DB snapshot',
      value: inputs.hubDb.status === 'analysed' ? 'analysed' : inputs.hubDb.status,
      source:
        inputs.hubDb.status === 'analysed'
          ? inputs.hubDb.source
          : inputs.hubDb.status === 'unreadable'
            ? inputs.hubDb.reason
            : 'none given',
      assumed: inputs.hubDb.status !== 'analysed',
    },
  ];
}
