import { reportText } from '../incident/reportText';
import { redactText } from '../secrets';
import { formatMinutes } from './checks';
import type { ReadinessReport } from './evaluate';

const verdictWord = { ok: 'OK', warn: 'WARN', fail: 'FAIL' } as const;
const minutesOrNever = (m: number | null) => (m === null ? 'never (some get none)' : formatMinutes(m));
const cell = (text: string) => reportText(text);
const code = (text: string) => '`' + text.replace(/`/g, "'").replace(/[\r\n]+/g, ' ') + '`';

/**
 * The readiness report as Markdown, the chart as an image beside it (`chartFile`, written by the caller
 * from `readinessChartSvg`). Untrusted text (names from the cluster and the DB) is escaped; the whole
 * output goes through the redactor last, as the incident report does.
 */
export function readinessMarkdown(report: ReadinessReport, options: { chartFile: string | null }): string {
  const r = report;
  const after = r.valuesDiff.changes.length ? r.valuesDiff.predicted : null;
  const lines: string[] = [
    `# Readiness of ${cell(r.hub.namespace)} for ${r.plan.attendees} attendees`,
    '',
    `Context ${cell(r.hub.context)}, namespace ${cell(r.hub.namespace)}, release ${cell(r.hub.release)}, JupyterHub ${cell(r.hub.jupyterhubVersion ?? 'unknown')}; read ${r.readAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}. Attendees arrive ${r.plan.arrivalMinutes ? `evenly over ${formatMinutes(r.plan.arrivalMinutes)}` : 'all at once'}.`,
    '',
    `**${verdictWord[r.verdict]}:** ${cell(r.headline)}`,
    '',
  ];
  if (options.chartFile)
    lines.push(`![Start-up curve: attendees with a running server by minute](${options.chartFile})`, '');
  lines.push(
    `| | as it is | ${after ? 'with the changes' : ''} |`,
    '|---|---|---|',
    `| last attendee has a server | ${minutesOrNever(r.lastServerMinutes)} | ${after ? minutesOrNever(after.lastServerMinutes) : ''} |`,
    `| attendees who see a 429 | ${r.usersSeeing429} | ${after ? after.usersSeeing429 : ''} |`,
    `| most waiting for a node at once | ${r.peakWaitingForNode} | ${after ? after.peakWaitingForNode : ''} |`,
    `| attendees with a server | ${r.served} of ${r.plan.attendees} | ${after ? `${after.served} of ${r.plan.attendees}` : ''} |`,
    '',
    '## Checks',
    '',
    '| check | verdict | detail | source |',
    '|---|---|---|---|',
    ...r.checks.map((c) => `| ${cell(c.name)} | ${verdictWord[c.verdict]} | ${cell(c.detail)} | ${cell(c.source)} |`),
    '',
    '## Changes that make it fit',
    '',
  );
  if (!r.valuesDiff.changes.length) lines.push('None needed.', '');
  else {
    if (r.valuesDiff.diff)
      lines.push("The hub's values (z2jh `values.yaml`):", '', '```diff', r.valuesDiff.diff.trimEnd(), '```', '');
    if (r.valuesDiff.cluster.length)
      lines.push('Outside the chart:', '', ...r.valuesDiff.cluster.map((c) => `- ${cell(c)}`), '');
    lines.push(
      '| change | from → to | why | last server | see a 429 |',
      '|---|---|---|---|---|',
      ...r.valuesDiff.changes.map(
        (c) =>
          `| ${code(c.key)}${c.alternativeTo ? ` (instead of ${cell(c.alternativeTo)})` : ''} | ${cell(String(c.from ?? 'unset'))} → ${cell(String(c.to))} | ${cell(c.why)}${c.when ? ` When: ${cell(c.when)}.` : ''} | ${minutesOrNever(c.predicted.lastServerMinutes)} | ${c.predicted.usersSeeing429} |`,
      ),
      '',
    );
  }
  const message = (title: string, m: ReadinessReport['userMessage']) => [
    `### ${title} (${cell(m.basis)})`,
    '',
    'Before the event:',
    '',
    `> ${cell(m.before)}`,
    '',
    'During it:',
    '',
    `> ${cell(m.during)}`,
    '',
  ];
  lines.push('## Message for users', '', ...message('As it is', r.userMessage));
  if (r.userMessageAfterChanges) lines.push(...message('With the changes', r.userMessageAfterChanges));
  lines.push(
    '## What this relies on',
    '',
    '| input | value | source |',
    '|---|---|---|',
    ...r.inputs.map(
      (i) => `| ${cell(i.name)} | ${cell(i.value)} | ${i.assumed ? '*assumed:* ' : ''}${cell(i.source)} |`,
    ),
    '',
    "The simulation: attendees arrive evenly over the arrival window; the hub admits spawns up to its concurrent spawn limit and answers 429 beyond it (the user tries again 30–60 s later); an admitted server takes a free node slot, else a placeholder's, else waits for the autoscaler's next node; it runs a spawn time after it has a node. Nobody stops a server during the event, and spawns that outlive the start timeout are not failed (the start-timeout check covers them).",
    '',
  );
  if (r.warnings.length) lines.push('Partly readable:', '', ...r.warnings.map((w) => `- ${cell(w)}`), '');
  return redactText(lines.join('\n'));
}
