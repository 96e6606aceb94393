/**
 * Drafts an incident report in the shape of 2i2c's: Summary, Impact, Timeline, Resolution, What we
 * learned, Action items (a checklist), plus evidence. Every sentence comes from the journal; where the
 * journal has nothing to say, the section says what to write instead of inventing it.
 */
import { UserError } from '../result';
import type { EntryOf, HubRef } from './journalEntry';
import type { ReplayedIncident } from './journalReplay';
import { formatBytes, formatCount, formatDuration, formatTimes, plural } from '../../shared/format';
import type { SectionId } from '../../shared/reportSections';
import { reportText } from './reportText';
import { ReportClock } from './reportClock';
import { draftEvidence } from './reportEvidence';
import { gatherFacts, hubHadSymptoms, type HubFacts, type IncidentFacts, type Span } from './reportFacts';
import { draftActionItems, draftLearned, todo } from './reportAdvice';
import { draftTimeline } from './reportTimeline';
import { checkTimezone, zoned } from './zonedTime';

export { sectionIds, type SectionId } from '../../shared/reportSections';

export const sectionTitles: Record<SectionId, string> = {
  summary: 'Summary',
  impact: 'Impact',
  timeline: 'Timeline',
  resolution: 'Resolution',
  learned: 'What we learned',
  actionItems: 'Action items',
};

/** What the report's header states; kept apart from the editable sections. */
export interface ReportMeta {
  title: string;
  incidentId: string;
  hubs: HubRef[];
  severity: string | null;
  startedAt: string;
  /** Null while the incident is still being recorded. */
  stoppedAt: string | null;
  /** The last time the journal covers (the stop, else the last entry). */
  endedAt: string;
  timezone: string;
  utc: boolean;
}

export interface ReportDraft {
  meta: ReportMeta;
  /** Markdown body of each section (without its heading). */
  sections: Record<SectionId, string>;
  /** Markdown evidence (analyzer table, memory chart), regenerated on every draft; '' when none. */
  evidence: string;
  draftedAt: string;
}

export interface DraftOptions {
  /** IANA timezone for every time in the report. */
  timezone: string;
  now: Date | number;
  /** Add a UTC column to the timeline. */
  utc?: boolean;
}

/**
 * What every report template starts from: the checked timezone, the facts, their clock, the draft time and
 * the header (the incident's names and times). Throws `UserError` (code `bad-timezone`) for an unknown timezone.
 */
export function draftBasis(replayed: ReplayedIncident, options: DraftOptions) {
  const tz = checkTimezone(options.timezone);
  if (!tz.ok) throw tz.error;
  const timezone = tz.value;
  const facts = gatherFacts(replayed);
  const { incident } = replayed;
  const meta: ReportMeta = {
    title: incident.title,
    incidentId: incident.id,
    hubs: incident.hubs,
    severity: incident.severity ?? null,
    startedAt: incident.startedAt,
    stoppedAt: replayed.stoppedAt,
    endedAt: new Date(facts.endMs).toISOString(),
    timezone,
    utc: options.utc ?? false,
  };
  return {
    timezone,
    facts,
    clock: new ReportClock(timezone, facts.startMs),
    nowMs: typeof options.now === 'number' ? options.now : options.now.getTime(),
    meta,
  };
}

/** Drafts the report. Throws `UserError` (code `bad-timezone`) for an unknown timezone. */
export function draftReport(replayed: ReplayedIncident, options: DraftOptions): ReportDraft {
  const { timezone, facts, clock, nowMs, meta } = draftBasis(replayed, options);
  const multiHub = facts.hubs.length > 1;
  const { incident } = replayed;
  if (Number.isNaN(nowMs)) throw new UserError('The draft time is not a valid date.', 'bad-time');

  return {
    meta,
    sections: {
      summary: draftSummary(facts, clock),
      impact: draftImpact(facts, clock),
      timeline: draftTimeline(incident, facts, { timezone, utc: options.utc ?? false }),
      resolution: draftResolution(facts, clock),
      learned: draftLearned(facts),
      actionItems: draftActionItems(facts),
    },
    evidence: draftEvidence(facts.hubs, clock, multiHub),
    draftedAt: new Date(nowMs).toISOString(),
  };
}

function hubName(h: HubFacts): string {
  return `**${reportText(h.hub)}**${h.context ? ` (context ${reportText(h.context)})` : ''}`;
}

/** Symptoms of one hub as clauses: "the hub was OOMKilled 4 times between 14:02 and 14:31 EDT". */
function symptoms(h: HubFacts, clock: ReportClock): string[] {
  const c: string[] = [];
  const when = (s: Span) => clock.between(s.firstMs, s.lastMs);
  if (h.hubOomKills) c.push(`the hub was OOMKilled ${formatTimes(h.hubOomKills.count)} ${when(h.hubOomKills)}`);
  if (h.hubOtherRestarts)
    c.push(`the hub restarted ${formatTimes(h.hubOtherRestarts.count)} for other reasons ${when(h.hubOtherRestarts)}`);
  const unjournaled = unjournaledRestarts(h);
  if (unjournaled) c[c.length - 1] += unjournaled;
  if (h.pendingPods) c.push(`${plural(h.pendingPods.count, 'user pod')} went Pending ${when(h.pendingPods)}`);
  if (h.peakPressure && h.peakPressure.limit !== null && h.peakPressure.pending >= h.peakPressure.limit)
    c.push(`spawns in progress reached the concurrent spawn limit of ${formatCount(h.peakPressure.limit)}`);
  if (h.throttled)
    c.push(
      `${plural(h.throttled.count, 'spawn request')} ${h.throttled.count === 1 ? 'was' : 'were'} refused with HTTP 429 ${when(h.throttled)}`,
    );
  if (h.failedScheduling) {
    let s = `the scheduler found no room for user pods (${plural(h.failedScheduling.count, 'FailedScheduling event')})`;
    if (h.nodesArrivedAfterMs !== null)
      s += ` until new nodes arrived ${formatDuration(h.nodesArrivedAfterMs)} after the autoscaler's first scale-up`;
    c.push(s);
  }
  if (h.scaleUpFailures)
    c.push(`the cluster autoscaler could not scale up: ${reportText(h.scaleUpFailures.latestMessage)}`);
  if (h.userOomKills) c.push(`${plural(h.userOomKills.count, 'user pod')} OOMKilled`);
  if (h.evictions) c.push(`${plural(h.evictions.count, 'pod')} evicted`);
  return c;
}

/**
 * When the hub pods' restart counts say more restarts than the journal has entries for (recording began
 * while the hub was already crash-looping): "; its pod's restart count reached 5: the 3 restarts before
 * were not journaled, so their cause is not known". The kills stay counted as journaled, never guessed.
 */
function unjournaledRestarts(h: HubFacts): string {
  const r = h.hubRestarts;
  if (!r || r.unjournaled <= 0 || (!h.hubOomKills && !h.hubOtherRestarts)) return '';
  const which =
    r.before === r.unjournaled
      ? `the ${plural(r.before, 'restart')} before ${r.before === 1 ? 'was' : 'were'}`
      : `${plural(r.unjournaled, 'restart')} ${r.unjournaled === 1 ? 'was' : 'were'}`;
  return `; its pod's restart count reached ${formatCount(r.total)}: ${which} not journaled, so ${r.unjournaled === 1 ? 'its cause is' : 'their cause is'} not known`;
}

function joinClauses(clauses: string[]): string {
  if (clauses.length <= 1) return clauses.join('');
  return `${clauses.slice(0, -1).join('; ')}; and ${clauses[clauses.length - 1]}`;
}

/** The analyzer's finding as a cause sentence, or null when it has none to offer. */
function causeSentence(a: EntryOf<'db-analysis'>): string | null {
  const version = a.jupyterhubVersion ? `JupyterHub ${reportText(a.jupyterhubVersion)}'s` : 'The hub’s';
  const row = a.table?.find((r) => r.version === a.jupyterhubVersion);
  const limit = a.limitBytes ? ` against a ${formatBytes(a.limitBytes)} limit` : '';
  if (a.verdict === 'fits') {
    const cost = row ? ` (${formatCount(row.rows)} rows ≈ ${formatBytes(row.peakBytes)}${limit})` : '';
    return `The hub DB analyzer found that ${version.replace(/^The/, 'the')} start-up query fits in memory${cost}: the database is not the cause.`;
  }
  const cost = row
    ? `would fetch ${formatCount(row.rows)} rows ≈ ${formatBytes(row.peakBytes)}${limit}`
    : a.verdict === 'oom'
      ? `would not fit in memory${limit}`
      : a.verdict === 'unknown'
        ? 'could not be compared with a memory limit (none was known)'
        : `would come close to the memory limit${limit}`;
  // Name the users who drive the cost, not everyone with a couple of named servers.
  const top = Math.max(0, ...(a.offenders ?? []).map((o) => o.namedServers));
  const drivers = (a.offenders ?? [])
    .filter((o) => o.namedServers >= Math.max(10, top / 10))
    .sort((x, y) => y.namedServers - x.namedServers)
    .slice(0, 3);
  const driven =
    drivers.length === 0
      ? ''
      : `, driven by ${drivers
          .map((o) => `user ${reportText(o.user)}'s ${formatCount(o.namedServers)} named servers`)
          .join(' and ')}`;
  return `${version} start-up query ${cost}${driven}.`;
}

function doneSentence(facts: IncidentFacts): string | null {
  const notes = facts.notes.resolution.length > 0 ? facts.notes.resolution : facts.notes.untagged.slice(-1);
  if (notes.length === 0) return null;
  return `What was done: ${notes.map((n) => reportText(n.text.trim()).replace(/\.?$/, '.')).join(' ')}`;
}

/**
 * The Summary's last paragraph while the journal says nothing of the resolution. Once the operator has
 * written the Resolution section, `summaryText` leaves it out (the draft itself does not change, so a
 * re-draft does not take it for an edit).
 */
export const resolutionPrompt = todo('Say what was done to resolve it (notes tagged "resolution" appear here).');

/** The Resolution section's prompt while the journal says nothing of it. */
export const resolutionSectionPrompt = todo('How was the incident resolved? (Notes tagged "resolution" appear here.)');

export function draftSummary(facts: IncidentFacts, clock: ReportClock): string {
  const day = zoned(facts.startMs, clock.timezone).dayLabel;
  const paragraphs: string[] = [];
  const affected = facts.hubs.filter(hubHadSymptoms);
  for (const h of affected.length > 0 ? affected : facts.hubs) {
    const clauses = symptoms(h, clock);
    const sentence =
      clauses.length > 0
        ? `On ${day}, on hub ${hubName(h)}, ${joinClauses(clauses)}.`
        : `On ${day}, hub ${hubName(h)} was watched; no symptoms were journaled.`;
    const cause = h.analysis ? causeSentence(h.analysis) : null;
    paragraphs.push(cause ? `${sentence} ${cause}` : sentence);
  }
  if (facts.hubs.length === 0)
    paragraphs.push(`On ${day}: ${todo('no hub was named in the journal; describe what happened.')}`);
  if (facts.nodeOoms)
    paragraphs.push(
      `Nodes ran out of memory ${formatTimes(facts.nodeOoms.count)} ${clock.between(facts.nodeOoms.firstMs, facts.nodeOoms.lastMs)}.`,
    );
  for (const n of facts.notes.cause) paragraphs.push(`Cause (operator): ${reportText(n.text)}`);
  const done = doneSentence(facts);
  paragraphs.push(done ?? resolutionPrompt);
  return paragraphs.join('\n\n');
}

export function draftImpact(facts: IncidentFacts, clock: ReportClock): string {
  const lines: string[] = [];
  const duration = formatDuration(facts.endMs - facts.startMs);
  lines.push(
    facts.ongoing
      ? `- Journaled ${clock.between(facts.startMs, facts.endMs)} (${duration}); the incident had not been stopped when this was drafted.`
      : `- Duration: ${clock.fromTo(facts.startMs, facts.endMs)} (${duration}).`,
  );
  for (const h of facts.hubs) {
    const prefix = facts.hubs.length > 1 ? `${reportText(h.hub)}: ` : '';
    if (h.hubOomKills || h.hubOtherRestarts) {
      const first = Math.min(h.hubOomKills?.firstMs ?? Infinity, h.hubOtherRestarts?.firstMs ?? Infinity);
      const since = (h.hubRestarts?.before ?? 0) > 0 ? 'from before' : 'from';
      lines.push(
        `- ${prefix}While the hub was crash-looping (${since} ${clock.at(first)}), nobody could log in or start a server; servers already running kept running.`,
      );
    }
    if (h.pendingPods) {
      const until =
        h.scheduledPods && h.scheduledPods.lastMs > h.pendingPods.firstMs
          ? `; the last was scheduled at ${clock.at(h.scheduledPods.lastMs)}`
          : '';
      lines.push(
        `- ${prefix}${plural(h.pendingPods.count, 'user server')} waited in Pending from ${clock.at(h.pendingPods.firstMs)}${until}.`,
      );
    }
    if (h.peakPressure) {
      const limit =
        h.peakPressure.limit !== null ? ` (concurrent spawn limit ${formatCount(h.peakPressure.limit)})` : '';
      lines.push(
        `- ${prefix}Up to ${plural(h.peakPressure.pending, 'spawn')} in progress at once${limit}, at ${clock.at(h.peakPressure.ms)}.`,
      );
    }
    if (h.throttled)
      lines.push(
        `- ${prefix}${plural(h.throttled.count, 'spawn request')} got HTTP 429 ("Too many users trying to log in right now") and had to be retried.`,
      );
    if (h.userOomKills)
      lines.push(`- ${prefix}${plural(h.userOomKills.count, 'user server')} OOMKilled: unsaved work in them was lost.`);
    if (h.evictions)
      lines.push(
        `- ${prefix}${plural(h.evictions.count, 'pod')} evicted: unsaved work in user servers among them was lost.`,
      );
    const snap = h.snapshot;
    if (snap && (typeof snap.users === 'number' || typeof snap.running === 'number')) {
      const parts = [
        typeof snap.users === 'number' ? plural(snap.users, 'user') : null,
        typeof snap.running === 'number' ? plural(snap.running, 'running server') : null,
      ].filter((p) => p !== null);
      lines.push(
        `- ${prefix}The hub database had ${parts.join(' and ')} when it was snapshotted at ${clock.at(Date.parse(snap.time))}.`,
      );
    }
  }
  if (facts.nodeOoms)
    lines.push(`- ${plural(facts.nodeOoms.count, 'node OOM kill')}: processes on those nodes were killed.`);
  if (lines.length === 1)
    lines.push(`- ${todo('Who was affected, and how? (No user-facing symptoms were journaled.)')}`);
  return lines.join('\n');
}

export function draftResolution(facts: IncidentFacts, clock: ReportClock): string {
  const lines: string[] = [];
  const lastSymptomMs = Math.max(
    -Infinity,
    ...facts.hubs.flatMap((h) =>
      [h.hubOomKills, h.hubOtherRestarts, h.pendingPods, h.throttled, h.failedScheduling, h.evictions, h.userOomKills]
        .filter((s): s is Span => s !== null)
        .map((s) => s.lastMs),
    ),
  );
  const notes =
    facts.notes.resolution.length > 0
      ? facts.notes.resolution
      : facts.notes.untagged.filter((n) => Date.parse(n.time) >= lastSymptomMs).slice(-3);
  for (const n of notes) lines.push(`- ${clock.at(Date.parse(n.time))}: ${reportText(n.text)}`);
  if (lines.length === 0) lines.push(resolutionSectionPrompt);
  lines.push(
    '',
    facts.ongoing
      ? 'The incident had not been stopped when this was drafted.'
      : `The incident was stopped at ${clock.at(facts.endMs)}.`,
  );
  return lines.join('\n');
}
