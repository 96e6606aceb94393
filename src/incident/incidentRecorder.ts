/**
 * The incident journal as other features see it: the cluster watcher, the snapshot feature and the hub
 * DB analyzer call these and need not know whether an incident is recording. Each call is a no-op
 * (`ok(null)`) when none is, or when what it reports is about a hub the incident does not cover.
 */
import type { Observation } from '../core/cluster/observations';
import type { HubDbAnalysis } from '../core/hubdb/analyzer/analyzeHubDb';
import type { ReadinessReport } from '../core/readiness/evaluate';
import type { HubRef, JournalEntry } from '../core/incident/journalEntry';
import { forEachFileLine, type JournalLine } from '../core/incident/journalLines';
import { ok, type Result } from '../core/result';
import type { IncidentStore } from './incidentStore';
import {
  analysisEntry,
  concernsIncident,
  isEventObservation,
  observationEntry,
  observationKey,
  readinessEntry,
  snapshotEntry,
  type AnalysisTarget,
  type SnapshotRecord,
} from './recordedEntries';

/** The written line, null when nothing was written (no incident recording, another hub, a repeat). */
export type Recorded = Result<JournalEntry | null>;

export interface IncidentRecorder {
  /** True while an incident is recording: callers may skip work whose only use is the journal. */
  readonly recording: boolean;
  /** A cluster watcher observation (pod OOMKilled/restarted/Pending/scheduled, events, spawn pressure, …). */
  recordObservation(obs: Observation): Recorded;
  /** A hub DB snapshot was taken. */
  recordSnapshot(info: SnapshotRecord): Recorded;
  /** The hub DB analyzer's result for one hub; once per `target.snapshot` in a journal (a repeat writes nothing). */
  recordAnalysis(analysis: HubDbAnalysis, target: AnalysisTarget): Recorded;
  /** A readiness check of one hub (`summary`: its verdict line's figures). */
  recordReadiness(report: ReadinessReport, summary: string): Recorded;
}

interface Seen {
  /** observationKey → the highest event count journaled (0 for observations without one). */
  counts: Map<string, number>;
  /** The snapshot files whose analysis the journal holds. */
  analysedSnapshots: Set<string>;
}

export class JournalRecorder implements IncidentRecorder {
  /** What the current journal already holds, so a watcher's first look after a reload adds no repeats. */
  private seen: { file: string; value: Seen } | undefined;

  constructor(private readonly store: IncidentStore) {}

  get recording(): boolean {
    return this.store.recording;
  }

  recordObservation(obs: Observation): Recorded {
    const journal = this.store.current;
    if (!journal || !this.store.recording) return ok(null);
    if (!concernsIncident(obs, journal.incident.hubs)) return ok(null);
    const seen = this.seenFor(journal.file);
    const key = observationKey(obs);
    const before = seen.counts.get(key);
    const count = isEventObservation(obs) && typeof obs.count === 'number' ? obs.count : 0;
    if (before !== undefined && count <= before) return ok(null);
    const written = this.store.append(observationEntry(obs, before));
    if (written.ok) seen.counts.set(key, count);
    return written;
  }

  recordSnapshot(info: SnapshotRecord): Recorded {
    if (!this.covers(info.namespace, info.context)) return ok(null);
    return this.store.append(snapshotEntry(info));
  }

  recordAnalysis(analysis: HubDbAnalysis, target: AnalysisTarget): Recorded {
    if (!this.covers(target.namespace, target.context)) return ok(null);
    const seen = target.snapshot !== undefined ? this.seenFor(this.store.current!.file) : undefined;
    if (target.snapshot !== undefined && seen?.analysedSnapshots.has(target.snapshot)) return ok(null);
    const written = this.store.append(analysisEntry(analysis, target));
    if (written.ok && target.snapshot !== undefined) seen?.analysedSnapshots.add(target.snapshot);
    return written;
  }

  recordReadiness(report: ReadinessReport, summary: string): Recorded {
    if (!this.covers(report.hub.namespace, report.hub.context)) return ok(null);
    return this.store.append(readinessEntry(report, summary));
  }

  /** Recording, and about one of the incident's hubs (any hub when it names none). */
  private covers(namespace: string, context: string | undefined): boolean {
    const journal = this.store.current;
    if (!journal || !this.store.recording) return false;
    const hubs: readonly HubRef[] = journal.incident.hubs;
    return (
      hubs.length === 0 ||
      hubs.some((h) => h.namespace === namespace && (context === undefined || h.context === context))
    );
  }

  private seenFor(file: string): Seen {
    if (this.seen?.file === file) return this.seen.value;
    const value: Seen = { counts: new Map(), analysedSnapshots: new Set() };
    // Every line, superseded burst lines included: each stands for observations already journaled.
    const seeLine = (line: JournalLine) => {
      if (!('text' in line)) return;
      const observed = line.text.includes('"observationKey"');
      if (!observed && !line.text.includes('"db-analysis"')) return;
      try {
        const entry = JSON.parse(line.text) as Record<string, unknown>;
        if (entry.kind === 'db-analysis' && typeof entry.snapshot === 'string')
          value.analysedSnapshots.add(entry.snapshot);
        if (typeof entry.observationKey !== 'string') return;
        const count = typeof entry.eventCount === 'number' ? entry.eventCount : 0;
        value.counts.set(entry.observationKey, Math.max(count, value.counts.get(entry.observationKey) ?? 0));
      } catch {
        // Damaged lines are reported by replay.
      }
    };
    try {
      forEachFileLine(file, seeLine);
    } catch {
      // An unreadable journal fails on the next append with the reason; nothing is known to be seen.
    }
    this.seen = { file, value };
    return value;
  }
}
