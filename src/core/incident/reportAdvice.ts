/**
 * The forward-looking sections: What we learned and Action items. Advice follows from the findings
 * (analyzer verdict, hub OOM kills, spawn throttling, scheduling waits) and the operator's tagged notes;
 * versions and settings are those in docs/jupyterhub-startup.md (5.0–5.3 quadratic start-up, fixed in 5.4.3 / z2jh 4.3.2).
 */
import { startupProblem, type EntryOf } from './journalEntry';
import { formatBytes, formatCount, formatDuration } from '../../shared/format';
import { reportText } from './reportText';
import { verdictText } from '../../shared/verdictText';
import type { IncidentFacts } from './reportFacts';

/** A prompt in the draft where the journal has nothing to say: italic, for the operator to replace. */
export const todo = (what: string) => `_${what}_`;

/** JupyterHub versions as numbers, for the ranges in docs/jupyterhub-startup.md: 5.0–5.3 quadratic, fixed in 5.4.3. */
function versionNumber(v: string | undefined): number | null {
  const m = v ? /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(v) : null;
  return m ? Number(m[1]) * 10_000 + Number(m[2]) * 100 + Number(m[3] ?? 0) : null;
}
const quadraticStartup = (n: number | null) => n !== null && n >= 50_000 && n < 50_400;
const beforeStartupFix = (n: number | null) => n !== null && n >= 50_000 && n < 50_403;

export function draftLearned(facts: IncidentFacts): string {
  const items: string[] = [];
  for (const h of facts.hubs) {
    const a = h.analysis;
    if (a && startupProblem(a.verdict)) {
      const v = versionNumber(a.jupyterhubVersion);
      const fixed = a.table?.find((r) => (versionNumber(r.version) ?? 0) >= 50_403);
      if (quadraticStartup(v) || v === null) {
        const compare = fixed ? ` (${formatCount(fixed.rows)} rows with JupyterHub ${reportText(fixed.version)})` : '';
        items.push(
          `JupyterHub 5.0–5.3 load running servers at start-up with a query whose rows grow as running × total servers of each user${compare}. One user with many named servers can make the hub need more memory than its limit every time it starts, so it crash-loops: each restart runs the same query again.`,
        );
      } else {
        items.push(
          `The hub's start-up needs more memory than its limit allows (analyzer verdict: ${verdictText[a.verdict]}).`,
        );
      }
    } else if (h.hubOomKills && !a) {
      items.push(
        'The hub ran out of memory, and no hub DB analysis was journaled: snapshot the hub database and analyze it to see whether the start-up query is the cause.',
      );
    }
    if (
      h.throttled ||
      (h.peakPressure && h.peakPressure.limit !== null && h.peakPressure.pending >= h.peakPressure.limit)
    ) {
      const limit = h.peakPressure?.limit ?? null;
      items.push(
        `The concurrent spawn limit${limit !== null ? ` (${formatCount(limit)})` : ''} caps spawns in progress: when a class logs in together, the rest get HTTP 429 and must retry, which reads to users as the hub being down.`,
      );
    }
    if (h.failedScheduling && h.scaleUps)
      items.push(
        `There was no spare room for user pods; the cluster autoscaler needed ${h.nodesArrivedAfterMs !== null ? formatDuration(h.nodesArrivedAfterMs) : 'several minutes'} to add nodes. Placeholder pods keep room free so the first users of a rush start at once.`,
      );
    if (h.scaleUpFailures)
      items.push(`The cluster autoscaler could not add nodes: ${reportText(h.scaleUpFailures.latestMessage)}`);
  }
  for (const n of facts.notes.learned) items.push(reportText(n.text));
  if (items.length === 0) return todo('What did we learn? (Notes tagged "learned" appear here.)');
  return items.map((i) => `- ${i}`).join('\n');
}

/** Whether the Action items say to upgrade because of this analysis (a start-up too big, before 5.4.3). */
export function advisesUpgrade(a: EntryOf<'db-analysis'>): boolean {
  const v = versionNumber(a.jupyterhubVersion);
  return startupProblem(a.verdict) && (beforeStartupFix(v) || v === null);
}

export function draftActionItems(facts: IncidentFacts): string {
  const items: string[] = [];
  const add = (item: string) => {
    if (!items.includes(item)) items.push(item);
  };
  for (const h of facts.hubs) {
    const a = h.analysis;
    const startupTooBig = a !== null && startupProblem(a.verdict);
    if (a && advisesUpgrade(a))
      add('Upgrade to JupyterHub 5.4.3+ (z2jh 4.3.2+), whose start-up query grows only with running servers.');
    const big = (a?.offenders ?? [])
      .filter((o) => o.namedServers >= 10)
      .sort((x, y) => y.namedServers - x.namedServers);
    if (startupTooBig && big.length > 0)
      add(
        `Set \`c.JupyterHub.named_server_limit_per_user\` (z2jh: \`hub.config.JupyterHub.named_server_limit_per_user\`); user ${reportText(big[0]!.user)} had ${formatCount(big[0]!.namedServers)} named servers.`,
      );
    if (h.hubOomKills || startupTooBig) {
      const limit = a?.limitBytes ?? h.memory.map((m) => m.limitBytes).find((l) => l !== null) ?? null;
      const peak = a?.table?.find((r) => r.version === a.jupyterhubVersion)?.peakBytes;
      const now = limit !== null ? `, now ${formatBytes(limit)}` : '';
      const target = peak ? ` above the start-up peak (≈ ${formatBytes(peak)} plus the hub's own baseline)` : '';
      add(`Raise the hub memory limit (\`hub.resources.limits.memory\`${now})${target} until the root cause is fixed.`);
      add('Add an alert on hub pod restarts, so a crash-looping hub pages someone.');
    }
    const atLimit = h.peakPressure && h.peakPressure.limit !== null && h.peakPressure.pending >= h.peakPressure.limit;
    if (h.throttled || atLimit) {
      const limit = h.peakPressure?.limit ?? null;
      add(
        `Raise the concurrent spawn limit (\`hub.concurrentSpawnLimit\`${limit !== null ? `, now ${formatCount(limit)}` : ''}) ahead of class starts, or stagger class logins.`,
      );
    }
    if (h.throttled)
      add(
        'Add an alert on HTTP 429s from the hub (`jupyterhub_request_duration_seconds_count{code="429"}` or `jupyterhub_server_spawn_duration_seconds_count{status="throttled"}`).',
      );
    if (h.failedScheduling || h.scaleUps)
      add(
        'Add user placeholders (`scheduling.userPlaceholder.replicas`) or scale the user node pool up before class starts, so users do not wait for new nodes.',
      );
    if (h.scaleUpFailures) add("Raise the user node pool's maximum size, or ask the cloud provider for more quota.");
    if (h.userOomKills || h.evictions)
      add('Review user memory limits and guarantees (`singleuser.memory.limit` / `.guarantee`) against node sizes.');
  }
  if (facts.nodeOoms) add('Review node sizes and memory guarantees: nodes ran out of memory.');
  for (const n of facts.notes.action) add(reportText(n.text));
  if (items.length === 0) return todo('What will we change? (Notes tagged "action" appear here as checklist items.)');
  return items.map((i) => `- [ ] ${i}`).join('\n');
}
