/**
 * What other features hand the incident journal, turned into journal entries (src/core/incident's kinds).
 * Pure functions: the recorder decides whether to write them.
 */
import type { HubRef, NewEntry, Offender, Verdict, VersionCost } from '../core/incident/journalEntry';
import type { Observation } from '../core/cluster/observations';
import type { HubDbAnalysis } from '../core/hubdb/analyzer/analyzeHubDb';
import { formatBytes, formatCount } from '../shared/format';
import type { SnapshotInfo } from '../core/snapshot/snapshotFiles';
import type { ReadinessReport } from '../core/readiness/evaluate';

/** Fields of an observation that are bookkeeping, not part of what the journal states. */
const observationOnly = new Set(['key', 'context', 'release']);

/**
 * A cluster watcher observation as a journal entry. Its kinds are already the journal's (pod-oomkilled,
 * spawn-pressure, hub-memory, …); kinds the journal does not know (unhealthy, preempted) pass through and
 * show by their text. The watcher's `key` is kept as `observationKey` so a repeat after a reload is
 * recognised.
 *
 * A Kubernetes event's `count` is its running total: the watcher reports it again each time it grows.
 * The journal's `count` is how many observations a line stands for, so an event line carries the growth
 * since `previousEventCount` and keeps the total as `eventCount`.
 */
export function observationEntry(obs: Observation, previousEventCount?: number): NewEntry {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(obs))
    if (!observationOnly.has(name) && value !== undefined) fields[name] = value;
  const entry: NewEntry = {
    ...fields,
    kind: obs.kind,
    time: obs.time,
    hub: obs.hub,
    text: obs.text,
    source: 'cluster',
    context: obs.context,
    observationKey: observationKey(obs),
  };
  if (isEventObservation(obs) && typeof obs.count === 'number') {
    entry.eventCount = obs.count;
    const growth =
      previousEventCount !== undefined && previousEventCount < obs.count ? obs.count - previousEventCount : obs.count;
    entry.count = Math.max(1, growth);
  }
  return entry;
}

/** The identity of the fact an observation reports, across contexts. */
export const observationKey = (obs: Pick<Observation, 'context' | 'key'>): string => `${obs.context}/${obs.key}`;

/** Events are the observations whose `count` is a running total (see observations.ts: `event/<key>`). */
export const isEventObservation = (obs: Pick<Observation, 'key'>): boolean => obs.key.startsWith('event/');

/**
 * Whether an observation belongs to an incident about `hubs`: one of its hubs, or a cluster-wide fact
 * (node events) in one of its contexts. An incident that names no hub takes everything.
 */
export function concernsIncident(obs: Pick<Observation, 'context' | 'hub'>, hubs: readonly HubRef[]): boolean {
  if (hubs.length === 0) return true;
  return hubs.some((h) => h.context === obs.context && (obs.hub === null || obs.hub === h.namespace));
}

/**
 * A hub DB snapshot as the snapshot feature describes it (src/core/snapshot's `SnapshotInfo` fits as
 * is), plus the counts an analysis of it found, when the caller has them.
 */
export type SnapshotRecord = Pick<SnapshotInfo, 'context' | 'namespace' | 'file' | 'takenAt' | 'bytes'> &
  Partial<Pick<SnapshotInfo, 'pod' | 'sha256'>> & {
    users?: number;
    spawners?: number;
    running?: number;
    /** A line for the timeline; a default is made from the numbers. */
    text?: string;
  };

export function snapshotEntry(info: SnapshotRecord): NewEntry {
  const counts = [
    typeof info.users === 'number' ? `${formatCount(info.users)} users` : null,
    typeof info.spawners === 'number' ? `${formatCount(info.spawners)} spawners` : null,
    typeof info.running === 'number' ? `${formatCount(info.running)} running` : null,
  ].filter((c) => c !== null);
  return {
    kind: 'db-snapshot',
    hub: info.namespace,
    source: 'tool',
    time: info.takenAt,
    context: info.context,
    file: info.file,
    bytes: info.bytes,
    ...(info.pod !== undefined ? { pod: info.pod } : {}),
    ...(info.sha256 !== undefined ? { sha256: info.sha256 } : {}),
    ...(info.users !== undefined ? { users: info.users } : {}),
    ...(info.spawners !== undefined ? { spawners: info.spawners } : {}),
    ...(info.running !== undefined ? { running: info.running } : {}),
    text:
      info.text ??
      `Hub DB snapshot taken from ${info.pod ?? 'the hub'} (${formatBytes(info.bytes)})${counts.length > 0 ? `: ${counts.join(', ')}` : ''}`,
  };
}

/** Which hub an analysis is about, and what the caller knows that the DB does not. */
export interface AnalysisTarget {
  namespace: string;
  context?: string;
  /** The JupyterHub version the analysis was run for, as given ("5.3.0"); omitted when it was assumed. */
  jupyterhubVersion?: string;
  chartVersion?: string;
  /** When the analysed snapshot was taken; defaults to now. */
  time?: string | Date;
  /** The analysed snapshot file: a journal holds one analysis per snapshot (the recorder skips repeats). */
  snapshot?: string;
}

/**
 * The analyzer's result as a `db-analysis` entry: the verdict, the per-version cost table, the users who
 * drive it and the remediation steps. The row of the version the hub runs is labelled with that version
 * so the report can mark it; the other rows keep their release ranges.
 */
export function analysisEntry(analysis: HubDbAnalysis, target: AnalysisTarget): NewEntry {
  const { verdict } = analysis;
  const running = target.jupyterhubVersion && !verdict.versionAssumed ? target.jupyterhubVersion : undefined;
  const table: VersionCost[] = analysis.startup.map((estimate) => ({
    version: running && estimate.family === verdict.family ? running : estimate.jupyterhub,
    rows: estimate.rows,
    peakBytes: estimate.peakBytes,
    seconds: estimate.seconds,
  }));
  const offenders: Offender[] = analysis.offenders.map((o) => ({
    user: o.user,
    namedServers: o.namedServers,
    running: o.running,
    spawners: o.spawners,
  }));
  const status: Verdict = verdict.status;
  return {
    kind: 'db-analysis',
    hub: target.namespace,
    source: 'analyzer',
    ...(target.time !== undefined ? { time: target.time } : {}),
    ...(target.context !== undefined ? { context: target.context } : {}),
    verdict: status,
    ...(running ? { jupyterhubVersion: running } : {}),
    ...(target.chartVersion ? { chartVersion: target.chartVersion } : {}),
    ...(target.snapshot !== undefined ? { snapshot: target.snapshot } : {}),
    versionAssumed: verdict.versionAssumed,
    limitBytes: verdict.limitBytes,
    table,
    offenders,
    remediation: analysis.remediation.steps,
    users: analysis.counts.users,
    spawners: analysis.counts.spawners,
    running: analysis.counts.running,
    text: `Hub DB analysis: ${verdict.headline}`,
  };
}

/**
 * A readiness check as a `readiness-check` entry: the verdict line and the figures behind it, now and
 * with the suggested changes (the full report is exported, not journaled).
 */
export function readinessEntry(report: ReadinessReport, summary: string): NewEntry {
  const after = report.valuesDiff.changes.length ? report.valuesDiff.predicted : null;
  return {
    kind: 'readiness-check',
    hub: report.hub.namespace,
    source: 'tool',
    context: report.hub.context,
    verdict: report.verdict,
    attendees: report.plan.attendees,
    arrivalMinutes: report.plan.arrivalMinutes,
    lastServerMinutes: report.lastServerMinutes,
    usersSeeing429: report.usersSeeing429,
    peakWaitingForNode: report.peakWaitingForNode,
    served: report.served,
    ...(after
      ? {
          afterChanges: {
            lastServerMinutes: after.lastServerMinutes,
            usersSeeing429: after.usersSeeing429,
            peakWaitingForNode: after.peakWaitingForNode,
            served: after.served,
          },
        }
      : {}),
    text: `Readiness check for ${report.plan.attendees} attendees: ${report.verdict.toUpperCase()}: ${summary}${after ? `; ${report.headline.split('; ').at(-1)}` : ''}`,
  };
}
