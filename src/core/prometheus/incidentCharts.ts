/**
 * The report's charts for one hub, from its rebuilt history: hub memory against its limit, spawns by
 * outcome per minute, user pods Pending, and Ready nodes, each carrying the incident's marks (its start,
 * the operator's notes, the OOM kills). Pure: chart models in, SVG out via src/core/charts.
 */
import type { ChartMark, ChartModel, ChartSeries } from '../chart/timeChart';
import { isHubPod, isKind, type JournalEntry } from '../incident/journalEntry';
import type { History, HubHistory } from './history';

export interface IncidentMarks {
  /** When the incident was started (noticed). */
  startMs: number | null;
  notes: { ms: number; text: string }[];
  /** Hub OOM kills, from the journal and from history. */
  oomKills: number[];
  /** Alerts the replay says would have fired. */
  alerts?: { ms: number; name: string }[];
}

/** The marks a journal gives: its start, its notes, its hub's OOM kills (from any source). */
export function marksFrom(entries: readonly JournalEntry[], hub: string, startedAt: string | null): IncidentMarks {
  const oomKills = new Set<number>();
  const notes: IncidentMarks['notes'] = [];
  for (const e of entries) {
    if (isKind(e, 'note')) notes.push({ ms: Date.parse(e.time), text: e.text });
    else if (isKind(e, 'pod-oomkilled') && e.hub === hub && isHubPod(e)) oomKills.add(Date.parse(e.time));
  }
  return {
    startMs: startedAt ? Date.parse(startedAt) : null,
    notes,
    oomKills: [...oomKills].sort((a, b) => a - b),
  };
}

function chartMarks(marks: IncidentMarks): ChartMark[] {
  const out: ChartMark[] = [];
  for (const ms of marks.oomKills) out.push({ ms, kind: 'oom', label: `OOM kill at ${new Date(ms).toISOString()}` });
  for (const a of marks.alerts ?? []) out.push({ ms: a.ms, kind: 'alert', label: `${a.name}: would have fired` });
  for (const n of marks.notes) out.push({ ms: n.ms, kind: 'note', label: `Note: ${n.text}` });
  if (marks.startMs !== null) out.push({ ms: marks.startMs, kind: 'start', label: 'Incident started' });
  return out;
}

export type ChartId = 'memory' | 'spawns' | 'pending' | 'nodes';
export const chartTitles: Record<ChartId, string> = {
  memory: 'Hub memory vs limit',
  spawns: 'Spawns by outcome per minute',
  pending: 'User pods Pending',
  nodes: 'Ready nodes',
};

/** The four charts of one hub over the history's window. */
export function hubCharts(history: History, hub: HubHistory, marks: IncidentMarks): ChartModel[] {
  const common = {
    fromMs: history.fromMs,
    toMs: history.toMs,
    marks: chartMarks(marks),
    barMs: history.stepSeconds * 1000,
    gapMs: history.stepSeconds * 1000 * 2.5,
  };
  const id = (what: ChartId) => `${hub.hub}-${what}`;
  const memory: ChartModel = {
    ...common,
    id: id('memory'),
    title: `${chartTitles.memory}: ${hub.hub}`,
    unit: 'bytes',
    series: [
      ...hub.memory.map((m) => ({
        // Pods replace one another (a restart with a new limit is a new pod): one colour, one legend entry.
        label: 'hub working set',
        role: 'memory' as const,
        kind: 'line' as const,
        points: m.points.map((p) => [p.ms, p.bytes] as const),
      })),
      ...(hub.limits.length > 0
        ? [{ label: 'limit', role: 'limit' as const, kind: 'step' as const, dashed: true, points: limitLine(hub) }]
        : []),
    ],
  };
  const spawns: ChartModel = {
    ...common,
    id: id('spawns'),
    title: `${chartTitles.spawns}: ${hub.hub}`,
    unit: 'count',
    series: (
      [
        { label: 'started', role: 'success', kind: 'bars', points: hub.spawns.map((s) => [s.ms, s.success] as const) },
        {
          label: 'throttled',
          role: 'throttled',
          kind: 'bars',
          points: hub.spawns.map((s) => [s.ms, s.throttled] as const),
        },
        {
          label: 'rejected',
          role: 'rejected',
          kind: 'bars',
          points: hub.spawns.map((s) => [s.ms, s.rejected] as const),
        },
        { label: 'failed', role: 'failure', kind: 'bars', points: hub.spawns.map((s) => [s.ms, s.failure] as const) },
        ...(hub.spawns.some((s) => s.answered429 > 0)
          ? [
              {
                label: 'HTTP 429',
                role: 'answered429' as const,
                kind: 'line' as const,
                points: hub.spawns.map((s) => [s.ms, s.answered429] as const),
              },
            ]
          : []),
      ] as ChartSeries[]
    ).filter((s) => s.points.some((p) => p[1] > 0)),
  };
  const pending: ChartModel = {
    ...common,
    id: id('pending'),
    title: `${chartTitles.pending}: ${hub.hub}`,
    unit: 'count',
    series: [{ label: 'Pending', role: 'pending', kind: 'area', points: hub.pending }],
  };
  const nodes: ChartModel = {
    ...common,
    id: id('nodes'),
    title: chartTitles.nodes,
    unit: 'count',
    series: [
      { label: 'Ready', role: 'ready', kind: 'step', points: history.nodes.map((n) => [n.ms, n.ready] as const) },
      {
        label: 'all nodes',
        role: 'nodes',
        kind: 'step',
        dashed: true,
        points: history.nodes.map((n) => [n.ms, n.nodes] as const),
      },
    ],
  };
  return [memory, spawns, pending, nodes];
}

/** One limit line across hub pods: where two overlap (a new pod replacing the old), the newer one's. */
function limitLine(hub: HubHistory): (readonly [number, number])[] {
  const byMs = new Map<number, number>();
  const firstSeen = (l: HubHistory['limits'][number]) => l.points[0]?.[0] ?? Infinity;
  for (const l of [...hub.limits].sort((a, b) => firstSeen(a) - firstSeen(b)))
    for (const [ms, bytes] of l.points) byMs.set(ms, bytes);
  return [...byMs].sort((a, b) => a[0] - b[0]);
}
