/**
 * From Prometheus series to journal entries: pure functions over range-query answers, so every rule
 * (what a restart is, when memory crossed 90 %, how a counter reset reads) is testable without a server.
 *
 * Times: a range query's point at `t` holds the newest sample at or before `t`, so something first seen at
 * `t` happened during the step before it; entries carry the start of that step (the minute it happened, at
 * a 1-minute step) and say their resolution.
 */
import { createHash } from 'node:crypto';
import type { JournalEntry } from '../incident/journalEntry';
import { formatBytes, plural } from '../../shared/format';
import type { RangeSeries } from './client';
import { spawnOutcome } from './spawnLabels';
import { formatStep } from './step';

/** A share of the limit worth an entry: the OOM killer acts at 100 %. */
export const memoryAlarmRatio = 0.9;
/** Crossings closer together than this are one episode (a crash loop crosses on every start). */
export const memoryEpisodeGapMs = 15 * 60_000;

export interface StepContext {
  hub: string | null;
  stepSeconds: number;
}

/** A journal entry rebuilt from Prometheus. The id is derived from what it states: a second backfill writes the same ids. */
export function historyEntry(
  ctx: StepContext,
  fields: { kind: string; time: number; text: string; [field: string]: unknown },
  discriminator = '',
): JournalEntry {
  const time = new Date(fields.time).toISOString();
  const id = `p${createHash('sha256')
    .update([ctx.hub ?? '', fields.kind, time, discriminator].join('\u0000'))
    .digest('hex')
    .slice(0, 15)}`;
  return {
    ...fields,
    id,
    time,
    kind: fields.kind,
    hub: ctx.hub,
    text: fields.text,
    source: 'prometheus',
    resolution: formatStep(ctx.stepSeconds),
  };
}

/** The z2jh component a pod name says, when it says one. */
export function componentOf(pod: string, container: string): string | undefined {
  if (/^hub-[a-z0-9]+-[a-z0-9]+$/.test(pod) && container === 'hub') return 'hub';
  if (/^proxy-[a-z0-9]+-[a-z0-9]+$/.test(pod)) return 'proxy';
  if (pod.startsWith('jupyter-')) return 'singleuser-server';
  if (/^user-placeholder-\d+$/.test(pod)) return 'user-placeholder';
  return undefined;
}

/** The value a series has at `ms`, if it has a point there. */
function valueAt(series: RangeSeries | undefined, ms: number): number | undefined {
  if (!series) return undefined;
  let lo = 0;
  let hi = series.points.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = series.points[mid]![0];
    if (t === ms) return series.points[mid]![1];
    if (t < ms) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

const podKey = (l: Record<string, string>) => `${l.pod ?? ''}\u0000${l.container ?? ''}`;

/**
 * Restarts and OOM kills: every increase of `kube_pod_container_status_restarts_total` is one termination
 * per restart counted, named by the last terminated reason kube-state-metrics reported at that point.
 */
export function terminationEntries(
  ctx: StepContext,
  restarts: readonly RangeSeries[],
  reasons: readonly RangeSeries[],
): JournalEntry[] {
  const stepMs = ctx.stepSeconds * 1000;
  const reasonSeries = new Map<string, RangeSeries[]>();
  for (const r of reasons) reasonSeries.set(podKey(r.labels), [...(reasonSeries.get(podKey(r.labels)) ?? []), r]);
  const out: JournalEntry[] = [];
  for (const series of restarts) {
    const pod = series.labels.pod ?? '';
    const container = series.labels.container ?? '';
    if (!pod) continue;
    const component = componentOf(pod, container);
    for (let i = 1; i < series.points.length; i++) {
      const [t, count] = series.points[i]!;
      const [tPrev, before] = series.points[i - 1]!;
      // A gap longer than a step: the pod was gone; a lower count: a new pod of the same name.
      if (count <= before || t - tPrev > stepMs * 1.5) continue;
      const reason = (reasonSeries.get(podKey(series.labels)) ?? []).find((r) => valueAt(r, t) === 1)?.labels.reason;
      for (let n = before + 1; n <= count; n++) {
        const oom = reason === 'OOMKilled';
        const common = {
          time: t - stepMs,
          pod,
          container,
          restarts: n,
          ...(reason ? { reason } : {}),
          ...(component ? { component } : {}),
        };
        out.push(
          oom
            ? historyEntry(
                ctx,
                {
                  kind: 'pod-oomkilled',
                  ...common,
                  exitCode: 137,
                  text: `${pod} OOMKilled (container ${container}, exit 137, ${n} restarts)`,
                },
                `${pod}/${container}/${n}`,
              )
            : historyEntry(
                ctx,
                {
                  kind: 'pod-restarted',
                  ...common,
                  text: `${pod} restarted: ${reason ?? 'reason not recorded'} (container ${container}, ${n} restarts)`,
                },
                `${pod}/${container}/${n}`,
              ),
        );
      }
    }
  }
  return out;
}

export interface MemoryPoint {
  ms: number;
  bytes: number;
  limitBytes: number | null;
}

/** Working set and limit of each hub pod, joined by time (the limit is null where none is set). */
export function memoryByPod(usage: readonly RangeSeries[], limits: readonly RangeSeries[]): Map<string, MemoryPoint[]> {
  const byPod = new Map<string, MemoryPoint[]>();
  for (const series of usage) {
    const pod = series.labels.pod ?? '';
    const limit = limits.find((l) => (l.labels.pod ?? '') === pod);
    const points = series.points.map(([ms, bytes]) => ({ ms, bytes, limitBytes: valueAt(limit, ms) ?? null }));
    byPod.set(
      pod,
      [...(byPod.get(pod) ?? []), ...points].sort((a, b) => a.ms - b.ms),
    );
  }
  return byPod;
}

/**
 * An entry when hub memory crosses 90 % of its limit. Crossings less than 15 minutes apart are one
 * episode (a crash-looping hub crosses on every start-up): one entry with the count and the peak.
 */
export function memoryEntries(ctx: StepContext, byPod: ReadonlyMap<string, MemoryPoint[]>): JournalEntry[] {
  const stepMs = ctx.stepSeconds * 1000;
  const out: JournalEntry[] = [];
  for (const [pod, points] of byPod) {
    let episode: { first: MemoryPoint; peak: MemoryPoint; lastHighMs: number; crossings: number } | null = null;
    const close = () => {
      if (!episode) return;
      const { first, peak, crossings, lastHighMs } = episode;
      const limit = peak.limitBytes ?? first.limitBytes!;
      const pct = Math.round((peak.bytes / limit) * 100);
      const text =
        crossings === 1
          ? `hub memory ${formatBytes(peak.bytes)} of ${formatBytes(limit)} limit (${pct}%)`
          : `hub memory above ${Math.round(memoryAlarmRatio * 100)}% of its ${formatBytes(limit)} limit ${plural(crossings, 'time')} (peak ${formatBytes(peak.bytes)}, ${pct}%)`;
      out.push(
        historyEntry(
          ctx,
          {
            kind: 'hub-memory',
            time: first.ms,
            text,
            pod,
            component: 'hub',
            bytes: peak.bytes,
            limitBytes: limit,
            ...(crossings > 1 ? { count: crossings, until: new Date(lastHighMs).toISOString() } : {}),
          },
          pod,
        ),
      );
      episode = null;
    };
    let previousHigh = false;
    let previousMs = -Infinity;
    for (const p of points) {
      const high = p.limitBytes !== null && p.limitBytes > 0 && p.bytes >= p.limitBytes * memoryAlarmRatio;
      const contiguous = p.ms - previousMs <= stepMs * 1.5;
      if (high) {
        const crossing = !previousHigh || !contiguous;
        if (episode && crossing && p.ms - episode.lastHighMs > memoryEpisodeGapMs) close();
        if (!episode) episode = { first: p, peak: p, lastHighMs: p.ms, crossings: 1 };
        else {
          if (crossing) episode.crossings++;
          if (p.bytes > episode.peak.bytes) episode.peak = p;
          episode.lastHighMs = p.ms;
        }
      }
      previousHigh = high;
      previousMs = p.ms;
    }
    close();
  }
  return out;
}

/** Spawn requests in one step, by outcome. */
export interface SpawnStep {
  /** Start of the step. */
  ms: number;
  success: number;
  throttled: number;
  /** Rejected for another reason (too many users, already pending). */
  rejected: number;
  failure: number;
  /** HTTP 429 answers to spawn requests (0 before JupyterHub 5.4.0 for spawn pages, which answered 200). */
  answered429: number;
}

/**
 * Growth of a counter between consecutive points. A lower value is a new hub process (counters restart
 * at 0): its value is the growth. A series' first point is its baseline, not growth.
 */
function growth(series: RangeSeries, stepMs: number): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 1; i < series.points.length; i++) {
    const [t, v] = series.points[i]!;
    const before = series.points[i - 1]![1];
    if (!Number.isFinite(v) || !Number.isFinite(before)) continue;
    const d = v >= before ? v - before : v;
    if (d > 0) out.set(t - stepMs, (out.get(t - stepMs) ?? 0) + Math.round(d));
  }
  return out;
}

/** Spawns per step by outcome, from the spawn counters and the 429 counters (any JupyterHub version). */
export function spawnSteps(
  stepSeconds: number,
  spawns: readonly RangeSeries[],
  answers429: readonly RangeSeries[],
): SpawnStep[] {
  const stepMs = stepSeconds * 1000;
  const steps = new Map<number, SpawnStep>();
  const at = (ms: number) => {
    let s = steps.get(ms);
    if (!s) steps.set(ms, (s = { ms, success: 0, throttled: 0, rejected: 0, failure: 0, answered429: 0 }));
    return s;
  };
  for (const series of spawns) {
    const outcome = spawnOutcome(series.labels);
    if (outcome === null) continue;
    for (const [ms, n] of growth(series, stepMs)) {
      const s = at(ms);
      if (outcome === 'success') s.success += n;
      else if (outcome === 'throttled') s.throttled += n;
      else if (outcome === 'failure') s.failure += n;
      else s.rejected += n;
    }
  }
  for (const series of answers429) for (const [ms, n] of growth(series, stepMs)) at(ms).answered429 += n;
  return [...steps.values()].sort((a, b) => a.ms - b.ms);
}

/** One entry per step with throttled spawns (or 429s), one per step with failed spawns. */
export function spawnEntries(ctx: StepContext, steps: readonly SpawnStep[]): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (const s of steps) {
    const throttled = Math.max(s.throttled, s.answered429);
    if (throttled > 0) {
      const answered = s.answered429 === s.throttled ? ' (HTTP 429)' : `, ${s.answered429} answered HTTP 429`;
      const text =
        s.throttled === 0
          ? `${plural(s.answered429, 'spawn request')} answered HTTP 429`
          : `${plural(s.throttled, 'spawn')} throttled by the concurrent spawn limit${answered}`;
      out.push(
        historyEntry(ctx, {
          kind: 'spawn-throttled',
          time: s.ms,
          count: throttled,
          status: 'throttled',
          throttled: s.throttled,
          answered429: s.answered429,
          text,
        }),
      );
    }
    if (s.failure > 0)
      out.push(
        historyEntry(ctx, {
          kind: 'spawn-failed',
          time: s.ms,
          count: s.failure,
          status: 'failure',
          text: `${plural(s.failure, 'spawn')} failed`,
        }),
      );
  }
  return out;
}

/**
 * A user pod went Pending: one entry per pod at the step it was first seen Pending (`series` are the
 * per-pod `phase="Pending" == 1` answers, which only have points while the pod is Pending).
 */
export function pendingEntries(
  ctx: StepContext,
  series: readonly RangeSeries[],
  windowStartMs: number,
): JournalEntry[] {
  const stepMs = ctx.stepSeconds * 1000;
  const out: JournalEntry[] = [];
  for (const s of series) {
    const pod = s.labels.pod ?? '';
    if (!pod) continue;
    let previous = -Infinity;
    for (const [t] of s.points) {
      if (t - previous > stepMs * 1.5) {
        const atStart = t <= windowStartMs;
        out.push(
          historyEntry(
            ctx,
            {
              kind: 'pod-pending',
              time: atStart ? t : t - stepMs,
              pod,
              component: 'singleuser-server',
              text: atStart ? `${pod} Pending (already at the start of the window)` : `${pod} Pending`,
            },
            pod,
          ),
        );
      }
      previous = t;
    }
  }
  return out;
}

export interface NodePoint {
  ms: number;
  nodes: number;
  ready: number;
}

/** An entry each time the number of Ready nodes changes. */
export function nodeEntries(ctx: StepContext, points: readonly NodePoint[]): JournalEntry[] {
  const stepMs = ctx.stepSeconds * 1000;
  const out: JournalEntry[] = [];
  for (let i = 1; i < points.length; i++) {
    const p = points[i]!;
    const before = points[i - 1]!;
    if (p.ready === before.ready) continue;
    out.push(
      historyEntry(ctx, {
        kind: 'node-count',
        time: p.ms - stepMs,
        ready: p.ready,
        nodes: p.nodes,
        previous: before.ready,
        text: `Ready nodes ${before.ready} → ${p.ready}${p.nodes !== p.ready ? ` (${p.nodes} in the cluster)` : ''}`,
      }),
    );
  }
  return out;
}
