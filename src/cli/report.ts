import { basename, dirname, join } from 'node:path';
import type { ReplayedIncident } from '../core/incident/journalReplay';
import { replay } from '../core/incident/journalReplay';
import { actionItemsIssueBody, draftPostmortem, renderPostmortemMarkdown } from '../core/incident/postmortem';
import { draftReport } from '../core/incident/reportDraft';
import { newReportDocument } from '../core/incident/reportDocument';
import { writeFileAtomic } from '../core/incident/reportFile';
import { renderMarkdown } from '../core/incident/reportMarkdown';
import { checkTimezone, localTimezone } from '../core/incident/zonedTime';
import { inertText } from '../shared/untrustedText';
import { badArguments, parseArgs, quoteArg, unknownOptions, type CliIo, type Subcommand } from './io';
import { interruptible, openSource } from './prometheusSource';

const inertLine = (text: string) => inertText(text, 'line');

const usage =
  'usage: hubops report JOURNAL_FILE [--timezone America/New_York] [--utc] [--out FILE] [--template short|postmortem] [--owner NAME] [--prometheus URL [--timeout 30s]] [--action-items]';

/**
 * `hubops report JOURNAL_FILE …`: the Markdown report the extension exports, drafted from a journal
 * (stdout unless --out), in the short form or 2i2c's postmortem shape (--template postmortem). With
 * --prometheus URL (and --out), the hours before the incident are rebuilt from Prometheus into the
 * timeline, the charts are written as SVG files beside the report and linked from it, and the alert rules
 * are replayed over the incident. --action-items prints the action items as a GitHub issue body instead.
 * Damaged journal lines are warnings on stderr.
 */
export const report: Subcommand = async (args, io) => {
  const { options, positional, unknown } = parseArgs(args, {
    values: ['timezone', 'out', 'template', 'owner', 'prometheus', 'timeout'],
    switches: ['utc', 'action-items'],
  });
  if (unknown.length > 0 || positional.length !== 1) {
    const why = unknown.length > 0 ? unknownOptions(unknown) : 'give exactly one journal file';
    return badArguments(io, 'report', `${why} (${usage})`);
  }
  const value = (name: string) => {
    const v = options.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const file = positional[0]!;
  const timezone = checkTimezone(value('timezone') ?? localTimezone());
  if (!timezone.ok) {
    io.err(`hubops report: ${timezone.error.userMessage}\n`);
    return 2;
  }
  const template = value('template') ?? 'short';
  if (template !== 'short' && template !== 'postmortem')
    return badArguments(io, 'report', `--template must be short or postmortem, not ${quoteArg(template)}`);
  const out = value('out');
  const actionItems = options.has('action-items');
  const prometheus = value('prometheus');
  if (prometheus !== undefined && out === undefined && !actionItems)
    return badArguments(
      io,
      'report',
      '--prometheus needs --out FILE: the charts are SVG files written beside the report.',
    );
  const replayed = replay(file);
  if (!replayed.ok) {
    io.err(`hubops report: ${replayed.error.userMessage}\n`);
    return 2;
  }
  for (const w of replayed.value.warnings) io.err(`${inertText(`${file}:${w.line}: ${w.message}`, 'line')}\n`);

  let incident = replayed.value;
  let evidence = '';
  let alerts: { alert: string; firstFiringMs: number | null }[] = [];
  if (prometheus !== undefined) {
    const added = await fromPrometheus(incident, {
      url: prometheus,
      timezone: timezone.value,
      reportFile: out ?? 'report.md',
      writeCharts: out !== undefined,
      ...(value('timeout') !== undefined ? { timeout: value('timeout')! } : {}),
      io,
    });
    if (added === null) return 1;
    ({ incident, evidence, alerts } = added);
  }

  const common = { timezone: timezone.value, now: new Date(), utc: options.has('utc') };
  let markdown: string;
  if (template === 'postmortem' || actionItems) {
    const draft = draftPostmortem(incident, {
      ...common,
      alerts,
      ...(value('owner') !== undefined ? { owner: value('owner')! } : {}),
    });
    draft.evidence = [draft.evidence, evidence].filter((s) => s.trim() !== '').join('\n\n');
    if (actionItems) {
      io.out(actionItemsIssueBody(draft, out));
      return 0;
    }
    markdown = renderPostmortemMarkdown(draft);
  } else {
    const draft = draftReport(incident, common);
    draft.evidence = [draft.evidence, evidence].filter((s) => s.trim() !== '').join('\n\n');
    markdown = renderMarkdown(newReportDocument(draft), draft.meta);
  }
  if (out !== undefined) {
    const written = writeFileAtomic(out, markdown);
    if (!written.ok) {
      io.err(`hubops report: ${written.error.userMessage}\n`);
      return 1;
    }
    io.err(`Wrote ${out}\n`);
  } else {
    io.out(markdown);
  }
  return 0;
};

/**
 * The journal with the history it lacks from Prometheus (not written to the journal file), the charts
 * (written beside the report when `writeCharts`) and the replay, as Markdown evidence. null after printing
 * why not.
 */
async function fromPrometheus(
  incident: ReplayedIncident,
  o: { url: string; timezone: string; reportFile: string; writeCharts: boolean; timeout?: string; io: CliIo },
): Promise<{
  incident: ReplayedIncident;
  evidence: string;
  alerts: { alert: string; firstFiringMs: number | null }[];
} | null> {
  const { incidentFromPrometheus, prometheusEvidence } = await import('../core/prometheus/incidentReport');
  const { chartFileName } = await import('../core/prometheus/reportSections');
  const namespaces = [...new Set(incident.incident.hubs.map((h) => h.namespace))];
  return interruptible(async (signal) => {
    const source = await openSource(
      'report',
      { prometheus: o.url, namespaces, signal, ...(o.timeout !== undefined ? { timeout: o.timeout } : {}) },
      o.io,
    );
    if (!source) return null;
    try {
      const extras = await incidentFromPrometheus(source.client, incident, { timezone: o.timezone, signal });
      if (!extras.ok) {
        o.io.err(`hubops report: ${inertLine(extras.error.message)}\n`);
        return null;
      }
      const base = basename(o.reportFile).replace(/\.md$/i, '');
      const files: { title: string; file: string }[] = [];
      for (const chart of extras.value.charts) {
        const name = chartFileName(base, chart.hub, chart.chart);
        if (o.writeCharts) {
          const written = writeFileAtomic(join(dirname(o.reportFile), name), chart.svg);
          if (!written.ok) {
            o.io.err(`hubops report: ${written.error.userMessage}\n`);
            return null;
          }
        }
        files.push({ title: chart.title, file: name });
      }
      for (const p of extras.value.history.problems) o.io.err(`${inertLine(p)}\n`);
      return {
        incident: extras.value.incident,
        evidence: prometheusEvidence(extras.value, files, o.timezone),
        alerts: extras.value.alerts,
      };
    } finally {
      source.dispose();
    }
  });
}
