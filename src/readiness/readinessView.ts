import {
  changeChartSvg,
  formatMinutes,
  readinessChartSvg,
  type ReadinessReport,
  type ReadinessChartView,
} from '../core/readiness';
import type { PredictedCurve } from '../core/readiness/changes';
import type { UserMessage } from '../core/readiness/userMessage';
import type { OutcomeView, ReadinessView } from '../protocol/readinessProtocol';

/** The figures of one prediction, as the report (now) and the values diff (after) both carry them. */
type Figures = Pick<PredictedCurve, 'lastServerMinutes' | 'usersSeeing429' | 'peakWaitingForNode' | 'served'>;

const lastServer = (f: Figures, attendees: number) =>
  f.lastServerMinutes === null
    ? `${attendees - f.served} of ${attendees} never get a server`
    : `the last attendee gets a server at minute ${Number(f.lastServerMinutes.toFixed(1))}`;

/** The verdict line's figures: when the last attendee has a server, the 429s, the peak waiting for a node. */
export function summaryOf(f: Figures, attendees: number): string {
  return `${lastServer(f, attendees)}; ${f.usersSeeing429} see a 429; at most ${f.peakWaitingForNode} wait for a node at once`;
}

function outcome(
  report: ReadinessReport,
  f: Figures,
  view: ReadinessChartView,
  label: string,
  message: UserMessage,
): OutcomeView {
  const attendees = report.plan.attendees;
  return {
    label,
    summary: summaryOf(f, attendees),
    figures: [
      {
        label: 'last attendee has a server',
        value: f.lastServerMinutes === null ? 'never (some get none)' : formatMinutes(f.lastServerMinutes),
      },
      { label: 'attendees who see a 429', value: String(f.usersSeeing429) },
      { label: 'most waiting for a node at once', value: String(f.peakWaitingForNode) },
      { label: 'attendees with a server', value: `${f.served} of ${attendees}` },
    ],
    chartSvg: readinessChartSvg(report, view),
    message,
  };
}

/** What the readiness page shows, built from the core's report (which passed the secret detector). */
export function readinessView(report: ReadinessReport, options: { profile: string | null; exportName: string }) {
  const r = report;
  const changed = r.valuesDiff.changes.length > 0;
  const view: ReadinessView = {
    hub: `${r.hub.namespace} in context ${r.hub.context} (release ${r.hub.release}, JupyterHub ${r.hub.jupyterhubVersion ?? 'version unknown'})`,
    plan: [
      `${r.plan.attendees} attendees, ${r.plan.arrivalMinutes ? `arriving evenly over ${formatMinutes(r.plan.arrivalMinutes)}` : 'all at once'}`,
      options.profile ? `profile ${options.profile}` : null,
      `read ${r.readAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}`,
    ]
      .filter(Boolean)
      .join(' · '),
    verdict: r.verdict,
    headline: r.headline,
    now: outcome(r, r, 'now', 'now', r.userMessage),
    after: changed
      ? outcome(
          r,
          r.valuesDiff.predicted,
          'after',
          'with the suggested changes',
          r.userMessageAfterChanges ?? r.userMessage,
        )
      : null,
    checks: r.checks.map((c) => ({ id: c.id, name: c.name, verdict: c.verdict, detail: c.detail, source: c.source })),
    changes: r.valuesDiff.changes.map((c) => ({
      id: c.id,
      key: c.key,
      from: String(c.from ?? 'unset'),
      to: String(c.to),
      why: c.why,
      when: c.when,
      alternativeTo: c.alternativeTo,
      predicted: `alone: ${summaryOf(c.predicted, r.plan.attendees)}`,
      chartSvg: changeChartSvg(r, c),
    })),
    diff: r.valuesDiff.diff,
    cluster: r.valuesDiff.cluster,
    assumptions: r.assumptions,
    warnings: r.warnings,
    exportName: options.exportName,
  };
  return view;
}
