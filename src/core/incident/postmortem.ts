/**
 * The second report template: 2i2c's postmortem shape, beside the short form (reportDraft.ts). A header
 * with Owner, Impact time and Duration, then Overview, What Happened, Resolution, Where we got lucky, What
 * Went Well?, What Didn't Go So Well?, Action Items and Timeline.
 *
 * Drafted from the journal as far as it honestly can be: facts and times from the journal (the live
 * watcher's, Prometheus's history from before anyone looked, the analyzer's, the operator's notes), and,
 * when given, when the alert rules would have fired. Where only a person knows (who owns it, what people
 * saw and decided, where luck played a part) the draft says what to write, in italics. Action items can
 * also be rendered as a GitHub issue body.
 */
import type { ReplayedIncident } from './journalReplay';
import { formatDuration } from '../../shared/format';
import { redactText } from '../secrets';
import { inertText } from '../../shared/untrustedText';
import { reportText } from './reportText';
import { draftActionItems, todo } from './reportAdvice';
import { ReportClock } from './reportClock';
import { draftEvidence } from './reportEvidence';
import { draftResolution, draftSummary, draftBasis, type DraftOptions, type ReportMeta } from './reportDraft';
import type { IncidentFacts, Span } from './reportFacts';
import { draftTimeline } from './reportTimeline';
import { zoned } from './zonedTime';

export const postmortemSectionIds = [
  'overview',
  'whatHappened',
  'resolution',
  'lucky',
  'wentWell',
  'wentBadly',
  'actionItems',
  'timeline',
] as const;
export type PostmortemSectionId = (typeof postmortemSectionIds)[number];

export const postmortemTitles: Record<PostmortemSectionId, string> = {
  overview: 'Overview',
  whatHappened: 'What Happened',
  resolution: 'Resolution',
  lucky: 'Where we got lucky',
  wentWell: 'What Went Well?',
  wentBadly: "What Didn't Go So Well?",
  actionItems: 'Action Items',
  timeline: 'Timeline',
};

/** When an alert rule would have fired (from a replay over the incident), as the draft needs it. */
export interface AlertWouldHaveFired {
  alert: string;
  /** null: it would not have fired in the window. */
  firstFiringMs: number | null;
}

export interface PostmortemOptions extends DraftOptions {
  /** The incident's owner; a prompt when not given. */
  owner?: string;
  alerts?: AlertWouldHaveFired[];
}

export interface PostmortemDraft {
  meta: ReportMeta;
  header: { owner: string; impactTime: string; duration: string };
  sections: Record<PostmortemSectionId, string>;
  evidence: string;
  draftedAt: string;
}

/** The first and last symptom any hub had, or null when the journal has none. */
function symptomSpan(facts: IncidentFacts): Span | null {
  const spans = facts.hubs.flatMap((h) =>
    [
      h.hubOomKills,
      h.hubOtherRestarts,
      h.userOomKills,
      h.pendingPods,
      h.throttled,
      h.failedScheduling,
      h.evictions,
    ].filter((s): s is Span => s !== null),
  );
  if (spans.length === 0) return null;
  return {
    count: spans.reduce((n, s) => n + s.count, 0),
    firstMs: Math.min(...spans.map((s) => s.firstMs)),
    lastMs: Math.max(...spans.map((s) => s.lastMs)),
  };
}

const fromPrometheus = (replayed: ReplayedIncident) => replayed.entries.some((e) => e.source === 'prometheus');

export function draftPostmortem(replayed: ReplayedIncident, options: PostmortemOptions): PostmortemDraft {
  const { timezone, facts, clock, nowMs, meta } = draftBasis(replayed, options);
  const { incident } = replayed;
  const symptoms = symptomSpan(facts);
  const impactFrom = Math.min(symptoms?.firstMs ?? facts.startMs, facts.startMs);
  const impactTo = facts.endMs;
  const fired = (options.alerts ?? [])
    .filter((a) => a.firstFiringMs !== null)
    .sort((a, b) => a.firstFiringMs! - b.firstFiringMs!);
  return {
    meta,
    header: {
      owner: options.owner?.trim() ? reportText(options.owner.trim()) : todo('Who owns this incident?'),
      impactTime: facts.ongoing ? `${clock.at(impactFrom)} – ongoing` : clock.fromTo(impactFrom, impactTo),
      duration: `${formatDuration(impactTo - impactFrom)}${facts.ongoing ? ' so far' : ''}`,
    },
    sections: {
      overview: draftSummary(facts, clock),
      whatHappened: draftWhatHappened(facts, clock, symptoms, fired, fromPrometheus(replayed)),
      resolution: draftResolution(facts, clock),
      lucky: todo('Where did we get lucky? What could have made this worse, and did not happen?'),
      wentWell: draftWentWell(facts, replayed),
      wentBadly: draftWentBadly(facts, clock, symptoms, fired),
      actionItems: draftPostmortemActions(facts, fired),
      timeline: draftTimeline(incident, facts, { timezone, utc: options.utc ?? false }),
    },
    evidence: draftEvidence(facts.hubs, clock, facts.hubs.length > 1),
    draftedAt: new Date(nowMs).toISOString(),
  };
}

function draftWhatHappened(
  facts: IncidentFacts,
  clock: ReportClock,
  symptoms: Span | null,
  fired: AlertWouldHaveFired[],
  rebuilt: boolean,
): string {
  const lines: string[] = [];
  if (symptoms && symptoms.firstMs < facts.startMs) {
    const gap = formatDuration(facts.startMs - symptoms.firstMs);
    lines.push(
      `The first symptom was at ${clock.at(symptoms.firstMs)}; the incident was started at ${clock.at(facts.startMs)}, ${gap} later.${rebuilt ? ' What happened before then was rebuilt from the cluster’s Prometheus.' : ''}`,
    );
  } else if (symptoms) {
    lines.push(
      `The incident was started at ${clock.at(facts.startMs)}; the first symptom was journaled at ${clock.at(symptoms.firstMs)}.`,
    );
  } else {
    lines.push(`The incident was started at ${clock.at(facts.startMs)}.`);
  }
  const first = fired[0];
  if (first)
    lines.push(
      `With the JupyterHub Ops alert rules, ${first.alert} would have fired at ${clock.at(first.firstFiringMs!)}${first.firstFiringMs! < facts.startMs ? `, ${formatDuration(facts.startMs - first.firstFiringMs!)} before the incident was started` : ''}.`,
    );
  const causes = facts.notes.cause.map((n) => reportText(n.text));
  if (causes.length > 0) lines.push(`Cause (operator): ${causes.join(' ')}`);
  lines.push(
    '',
    todo(
      'What did users see? How was it noticed, by whom, and what did people try, in what order? (The Timeline below has the times.)',
    ),
  );
  return lines.join('\n');
}

function draftWentWell(facts: IncidentFacts, replayed: ReplayedIncident): string {
  const items: string[] = [];
  if (facts.hubs.some((h) => h.analysis))
    items.push('The hub database was snapshotted and analyzed during the incident, which named the cause.');
  if (fromPrometheus(replayed))
    items.push('Prometheus kept the hours before anyone looked, so the timeline starts where the incident did.');
  for (const n of facts.notes.learned) items.push(reportText(n.text));
  items.push(todo('What else went well? (Communication, tools, people who helped.)'));
  return items.map((i) => `- ${i}`).join('\n');
}

function draftWentBadly(
  facts: IncidentFacts,
  clock: ReportClock,
  symptoms: Span | null,
  fired: AlertWouldHaveFired[],
): string {
  const items: string[] = [];
  if (symptoms && facts.startMs - symptoms.firstMs > 10 * 60_000) {
    const gap = formatDuration(facts.startMs - symptoms.firstMs);
    const alert = fired[0];
    items.push(
      alert
        ? `Nobody was alerted for ${gap} after the first symptom (${clock.at(symptoms.firstMs)}): ${alert.alert} would have fired at ${clock.at(alert.firstFiringMs!)}, but no such rule was in place.`
        : `Nobody noticed for ${gap} after the first symptom (${clock.at(symptoms.firstMs)}).`,
    );
  }
  for (const h of facts.hubs) {
    if (h.throttled)
      items.push(
        `${reportText(h.hub)}: users were refused by the concurrent spawn limit (${h.throttled.count} throttled spawn requests), which reads to them as the hub being down.`,
      );
    if (h.hubOomKills && h.hubOomKills.count > 1)
      items.push(
        `${reportText(h.hub)}: the hub was OOMKilled ${h.hubOomKills.count} times before the limit or the cause was dealt with.`,
      );
  }
  items.push(todo('What else did not go well? (Slow diagnosis, missing access, unclear ownership.)'));
  return items.map((i) => `- ${i}`).join('\n');
}

function draftPostmortemActions(facts: IncidentFacts, fired: AlertWouldHaveFired[]): string {
  const advice = draftActionItems(facts);
  const items = advice.startsWith('- [ ]') ? advice.split('\n') : [];
  if (fired.length > 0) {
    const names = [...new Set(fired.map((a) => a.alert))].join(', ');
    items.push(
      `- [ ] Deploy the JupyterHub Ops alert rules (\`hubops alerts\`): ${names} would have fired during this incident.`,
    );
  }
  for (const n of facts.notes.action) {
    const line = `- [ ] ${reportText(n.text)}`;
    if (!items.includes(line)) items.push(line);
  }
  if (items.length === 0) return todo('What will we change? (Notes tagged "action" appear here as checklist items.)');
  return items.join('\n');
}

/** The postmortem as Markdown: the header, then each section. Redacted as a whole, last. */
export function renderPostmortemMarkdown(
  draft: PostmortemDraft,
  edited: Partial<Record<PostmortemSectionId, string>> = {},
): string {
  const { meta, header } = draft;
  const hubs = meta.hubs.map((h) => `${reportText(h.namespace)} (context ${reportText(h.context)})`).join(', ');
  const lines = [
    `# ${zoned(Date.parse(meta.startedAt), meta.timezone).date}: ${reportText(meta.title)}`,
    '',
    `- **Owner:** ${header.owner}`,
    `- **Impact time:** ${header.impactTime}`,
    `- **Duration:** ${header.duration}`,
    `- **Hubs:** ${hubs || todo('none named')}`,
    ...(meta.severity ? [`- **Severity:** ${reportText(meta.severity)}`] : []),
  ];
  for (const id of postmortemSectionIds)
    lines.push('', `## ${postmortemTitles[id]}`, '', (edited[id] ?? draft.sections[id]).trim());
  if (draft.evidence.trim() !== '') lines.push('', '## Evidence', '', draft.evidence.trim());
  return inertText(redactText(lines.join('\n')), 'terminal') + '\n';
}

/**
 * The Action Items as a GitHub issue body (for an "incident action item" issue): the checklist, and where
 * it comes from.
 */
export function actionItemsIssueBody(draft: PostmortemDraft, reportLink?: string): string {
  const day = zoned(Date.parse(draft.meta.startedAt), draft.meta.timezone).date;
  const lines = [
    `Follow-up from the incident **${reportText(draft.meta.title)}** (${day}; impact ${draft.header.impactTime}).`,
    '',
    '### Action items',
    '',
    draft.sections.actionItems.trim(),
    '',
    reportLink ? `Postmortem: ${reportLink}` : todo('Link the postmortem here.'),
  ];
  return inertText(redactText(lines.join('\n')), 'terminal') + '\n';
}
