import { renderChartSvg, type ChartMark, type ChartModel, type ChartSeries } from '../chart/timeChart';
import type { SuggestedChange } from './changes';
import { formatMinutes } from './checks';
import type { ReadinessReport } from './evaluate';
import type { CurvePoint } from './simulate';

/**
 * Which prediction a chart puts first: `now` (the hub as it is, the suggested changes as the comparison)
 * or `after` (with every suggested change, the hub as it is as the comparison).
 */
export type ReadinessChartView = 'now' | 'after';

const describePlan = (r: ReadinessReport) =>
  `${r.plan.attendees} attendees${r.plan.arrivalMinutes ? ` over ${formatMinutes(r.plan.arrivalMinutes)}` : ' at once'}`;

/** Points of a curve as the renderer takes them (ms from the start), held flat to `endMinute`. */
function points(curve: readonly CurvePoint[], y: (c: CurvePoint) => number, endMinute: number) {
  const out = curve.map((c) => [c.minute * 60_000, y(c)] as const);
  const last = out.at(-1);
  if (last && last[0] < endMinute * 60_000) out.push([endMinute * 60_000, last[1]]);
  return out;
}

const endOf = (...curves: (readonly CurvePoint[])[]) => Math.max(1, ...curves.map((c) => c.at(-1)?.minute ?? 0));

/**
 * The start-up curve as the one chart renderer draws it (src/core/chart/timeChart.ts, minutes on x):
 * attendees with a running server and attendees waiting, for one prediction, with the other prediction's
 * running curve to compare (when the report suggests changes), and the minute each has everyone served.
 */
export function readinessChart(report: ReadinessReport, view: ReadinessChartView = 'now'): ChartModel {
  const after = report.valuesDiff.changes.length ? report.valuesDiff.predicted : null;
  const shown = view === 'after' && after ? after : report;
  const other = view === 'after' ? report : after;
  const end = endOf(report.curve, after?.curve ?? []);
  const shownName = shown === report ? 'now' : 'with the changes';
  const otherName = other === report ? 'now' : 'with the changes';
  const role = (which: unknown) => (which === report ? 'runningNow' : 'runningChanged');
  const series: ChartSeries[] = [
    {
      label: `running ${shownName}`,
      role: role(shown),
      kind: 'step',
      points: points(shown.curve, (c) => c.running, end),
    },
    {
      label: `waiting ${shownName}`,
      role: 'waiting',
      kind: 'step',
      dashed: true,
      points: points(shown.curve, (c) => c.waiting, end),
    },
  ];
  if (other)
    series.push({
      label: `running ${otherName}`,
      role: role(other),
      kind: 'step',
      dashed: true,
      points: points(other.curve, (c) => c.running, end),
    });
  const marks: ChartMark[] = [];
  const milestone = (minutes: number | null, name: string) => {
    if (minutes !== null)
      marks.push({ ms: minutes * 60_000, kind: 'milestone', label: `last server ${name}: ${formatMinutes(minutes)}` });
  };
  milestone(shown.lastServerMinutes, shownName);
  if (other) milestone(other.lastServerMinutes, otherName);
  return {
    id: `readiness-${view}`,
    title: `${report.hub.namespace}: ${describePlan(report)}, ${shownName}`,
    unit: 'count',
    axis: 'minutes',
    fromMs: 0,
    toMs: end * 60_000,
    // A simulated curve has no gaps: its points are only where something changed.
    gapMs: Number.POSITIVE_INFINITY,
    series,
    marks,
  };
}

/** One suggested change alone against the hub as it is: its predicted running curve. */
export function changeChart(report: ReadinessReport, change: SuggestedChange): ChartModel {
  const end = endOf(report.curve, change.predicted.curve);
  return {
    id: `readiness-change-${change.id}`,
    title: 'This change alone',
    unit: 'count',
    axis: 'minutes',
    fromMs: 0,
    toMs: end * 60_000,
    gapMs: Number.POSITIVE_INFINITY,
    series: [
      {
        label: 'with this change',
        role: 'runningChanged',
        kind: 'step',
        points: points(change.predicted.curve, (c) => c.running, end),
      },
      {
        label: 'now',
        role: 'runningNow',
        kind: 'step',
        dashed: true,
        points: points(report.curve, (c) => c.running, end),
      },
    ],
    marks: [],
  };
}

/** The start-up chart as a standalone SVG document (the Markdown export's image, the webview's chart). */
export function readinessChartSvg(report: ReadinessReport, view: ReadinessChartView = 'now'): string {
  return renderChartSvg(readinessChart(report, view), { timezone: 'UTC', width: 760, height: 300 });
}

/** A suggested change's own curve, small. */
export function changeChartSvg(report: ReadinessReport, change: SuggestedChange): string {
  return renderChartSvg(changeChart(report, change), { timezone: 'UTC', width: 420, height: 170 });
}
