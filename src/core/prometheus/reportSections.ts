/**
 * What Prometheus adds to an incident report, as Markdown: the charts (SVG files beside the report,
 * linked), where the history came from and what it lacked, and when the alert rules would have fired
 * beside when the incident was noticed.
 */
import { formatDuration } from '../../shared/format';
import { reportText } from '../incident/reportText';
import { ReportClock } from '../incident/reportClock';
import type { History } from './history';
import type { Replay } from './replay';
import { formatStep } from './step';

export interface ChartFile {
  title: string;
  /** Relative to the report (beside it). */
  file: string;
}

/** A file name for a chart beside `reportBase` (the report's name without .md): only safe characters. */
export function chartFileName(reportBase: string, hub: string, chart: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'hub';
  return `${safe(reportBase)}-${safe(hub)}-${safe(chart)}.svg`;
}

/** Markdown links need the target's spaces and brackets escaped; the names above have none. */
const imageLink = (alt: string, file: string) => `![${reportText(alt)}](${encodeURI(file)})`;

/** `referenceMs`: the report's day (its incident's start): other days' times carry their date. */
export function chartsMarkdown(
  history: History,
  files: ChartFile[],
  timezone: string,
  referenceMs = history.fromMs,
): string {
  const clock = new ReportClock(timezone, referenceMs);
  const lines = [
    '### From Prometheus',
    '',
    `${reportText(history.source)}, ${clock.fromTo(history.fromMs, history.toMs)}, at ${formatStep(history.stepSeconds)} resolution.`,
  ];
  if (history.problems.length > 0) {
    lines.push('', 'What the history lacks:', '');
    for (const p of history.problems) lines.push(`- ${reportText(p)}`);
  }
  for (const f of files) lines.push('', imageLink(f.title, f.file));
  return lines.join('\n');
}

export function replayMarkdown(replay: Replay, timezone: string): string {
  const clock = new ReportClock(timezone, replay.noticedMs ?? replay.fromMs);
  const noticed = replay.noticedMs !== null ? ` The incident was started at ${clock.at(replay.noticedMs)}.` : '';
  const lines = [
    '### Alert rules, replayed on this incident',
    '',
    `The JupyterHub Ops rule pack (\`hubops alerts\`), evaluated by Prometheus ${clock.fromTo(replay.fromMs, replay.toMs)} every ${formatStep(replay.stepSeconds)}, \`for:\` included.${noticed}`,
    '',
    '| Alert | Would have fired | Relative to the incident’s start |',
    '| --- | --- | --- |',
  ];
  for (const r of replay.rules) {
    const when = r.problem
      ? `could not be evaluated: ${reportText(r.problem)}`
      : r.firstFiringMs === null
        ? 'no'
        : `${clock.at(r.firstFiringMs)}${r.labels.pod ? ` (${reportText(r.labels.pod)})` : r.labels.namespace ? ` (${reportText(r.labels.namespace)})` : ''}`;
    const lead =
      r.leadMs === null
        ? ''
        : r.leadMs < 0
          ? formatDuration(-r.leadMs) + ' earlier'
          : formatDuration(r.leadMs) + ' later';
    lines.push(`| ${r.alert} | ${when} | ${lead} |`);
  }
  return lines.join('\n');
}
