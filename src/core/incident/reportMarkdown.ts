/**
 * The report as a Markdown file. The whole output goes through the redactor last, so a token pasted
 * into an operator's edit is caught as well as one in a journaled event.
 */
import { formatDuration } from '../../shared/format';
import { redactText } from '../secrets';
import { inertText } from '../../shared/untrustedText';
import { reportText } from './reportText';
import { sectionIds, sectionTitles, type ReportMeta } from './reportDraft';
import { sectionText, type ReportDocument } from './reportDocument';
import { zoned } from './zonedTime';

export function renderMarkdown(doc: ReportDocument, meta: ReportMeta): string {
  const start = Date.parse(meta.startedAt);
  const end = Date.parse(meta.endedAt);
  const when = (ms: number) => {
    const z = zoned(ms, meta.timezone);
    const utc = meta.timezone === 'UTC' ? '' : ` (${zoned(ms, 'UTC').time} UTC)`;
    return `${z.dayLabel} ${z.time} ${z.abbreviation}${utc}`;
  };
  const hubs = meta.hubs.map((h) => `${reportText(h.namespace)} (context ${reportText(h.context)})`).join(', ');
  const lines = [
    `# ${zoned(start, meta.timezone).date}: ${reportText(meta.title)}`,
    '',
    `- **Hubs:** ${hubs || '_none named_'}`,
    ...(meta.severity ? [`- **Severity:** ${reportText(meta.severity)}`] : []),
    `- **Started:** ${when(start)}`,
    meta.stoppedAt !== null
      ? `- **Ended:** ${when(end)} (${formatDuration(end - start)})`
      : `- **Ended:** not yet (last entry ${when(end)})`,
    `- **Drafted:** ${when(Date.parse(doc.draftedAt))} from the JupyterHub Ops incident journal`,
  ];
  for (const id of sectionIds) lines.push('', `## ${sectionTitles[id]}`, '', sectionText(doc, id).trim());
  if (doc.evidence.trim() !== '') lines.push('', '## Evidence', '', doc.evidence.trim());
  // Every journal string was made inert Markdown where it went in; the operator's own edits were not, so
  // the file as a whole keeps no control or bidi character either (for a terminal, `cat` or `less`).
  return inertText(redactText(lines.join('\n')), 'terminal') + '\n';
}
