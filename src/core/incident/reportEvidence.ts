/**
 * Evidence under the report: the hub DB analyzer's per-version table and a hub-memory-over-time chart as a
 * Mermaid `xychart-beta` block, which GitHub renders.
 */
import type { EntryOf, Offender } from './journalEntry';
import { verdictText } from '../../shared/verdictText';
import { advisesUpgrade } from './reportAdvice';
import { formatBytes, formatCount, plural, toMiB } from '../../shared/format';
import { reportText } from './reportText';
import type { HubFacts, MemorySample } from './reportFacts';
import { ReportClock } from './reportClock';
import { zoned } from './zonedTime';

export const maxChartPoints = 40;

export function draftEvidence(hubs: HubFacts[], clock: ReportClock, multiHub: boolean): string {
  const parts: string[] = [];
  for (const h of hubs) {
    const name = multiHub ? ` (${reportText(h.hub)})` : '';
    if (h.analysis)
      parts.push(
        `### Start-up query cost by JupyterHub version${name}`,
        '',
        analysisTable(h.analysis, { upgradeInActionItems: advisesUpgrade(h.analysis) }),
        '',
      );
    if (h.memory.length > 0) parts.push(`### Hub memory${name}`, '', memoryChart(h, clock), '');
  }
  return parts.join('\n').trimEnd();
}

/**
 * The analyzer's evidence: its verdict in the words the explorer shows, the cost per version, the users
 * with named servers, and its remediation. With `upgradeInActionItems`, the remediation leaves out the
 * sentences that say to upgrade: the Action items say it once.
 */
export function analysisTable(a: EntryOf<'db-analysis'>, options: { upgradeInActionItems?: boolean } = {}): string {
  const out: string[] = [];
  const limit = a.limitBytes ? ` against a ${formatBytes(a.limitBytes)} hub memory limit` : '';
  const version = a.jupyterhubVersion ? ` for JupyterHub ${reportText(a.jupyterhubVersion)}` : '';
  out.push(`Verdict${version}: **${verdictText[a.verdict]}**${limit}.`);
  if (a.table && a.table.length > 0) {
    out.push('', '| JupyterHub | Start-up query rows | Peak memory | CPU |', '| --- | ---: | ---: | ---: |');
    for (const row of a.table) {
      const running = row.version === a.jupyterhubVersion ? ' (running)' : '';
      const over = a.limitBytes && row.peakBytes > a.limitBytes ? ' (over the limit)' : '';
      out.push(
        `| ${reportText(row.version)}${running} | ${formatCount(row.rows)} | ${formatBytes(row.peakBytes)}${over} | ${row.seconds.toFixed(1)} s |`,
      );
    }
  }
  const named = (a.offenders ?? [])
    .filter((o) => o.namedServers > 0)
    .sort((x, y) => y.namedServers - x.namedServers)
    .slice(0, 10);
  if (named.length > 0) {
    out.push('', 'Users with the most named servers:', '');
    for (const o of named) out.push(`- ${reportText(o.user)}: ${servers(o)}`);
  }
  const steps = (a.remediation ?? []).flatMap((r) => {
    const kept = options.upgradeInActionItems ? withoutUpgrade(r) : r;
    return kept ? [kept] : [];
  });
  if (steps.length > 0) {
    const note = options.upgradeInActionItems ? ' (its upgrade advice is in the Action items)' : '';
    out.push('', `The analyzer's remediation${note}:`, '');
    for (const r of steps) out.push(`- ${reportText(r)}`);
  }
  return out.join('\n');
}

/**
 * "stress-test: 1,500 named servers and a default server, 700 running". Running counts every running
 * server, the default one included, so it is said of all the user's servers, never of the named ones.
 */
function servers(o: Offender): string {
  const named = plural(o.namedServers, 'named server');
  if (o.running === undefined) return named;
  if (o.spawners !== undefined) {
    const withDefault = o.spawners > o.namedServers ? ' and a default server' : '';
    return `${named}${withDefault}, ${formatCount(o.running)} running`;
  }
  return o.running > o.namedServers
    ? `${named}; ${plural(o.running, 'server')} running, the default server among them`
    : `${named}, ${formatCount(o.running)} running`;
}

/** A remediation step without its sentences that say to upgrade; '' when nothing else is left. */
function withoutUpgrade(step: string): string {
  return step
    .split(/(?<=\.)\s+(?=[A-Z])/)
    .filter((sentence) => !/\bupgrad/i.test(sentence))
    .join(' ')
    .trim();
}

/** Keeps at most `max` points: equal time buckets, each keeping its highest sample (peaks cause OOM kills). */
export function downsample(samples: readonly MemorySample[], max = maxChartPoints): MemorySample[] {
  const sorted = [...samples].sort((a, b) => a.ms - b.ms);
  if (sorted.length <= max) return sorted;
  const first = sorted[0]!.ms;
  const span = sorted[sorted.length - 1]!.ms - first || 1;
  const buckets = new Map<number, MemorySample>();
  for (const s of sorted) {
    const i = Math.min(max - 1, Math.floor(((s.ms - first) / span) * max));
    const kept = buckets.get(i);
    if (!kept || s.bytes > kept.bytes) buckets.set(i, s);
  }
  return [...buckets.values()].sort((a, b) => a.ms - b.ms);
}

/** Mermaid strings are quoted: keep labels to characters that cannot end the string or the code block. */
const mermaidLabel = (s: string) => s.replace(/[^A-Za-z0-9 :./+-]/g, '').slice(0, 60);

function memoryChart(h: HubFacts, clock: ReportClock): string {
  const points = downsample(h.memory);
  const limits = points.map((p) => p.limitBytes).filter((l): l is number => l !== null);
  const limit = limits.length > 0 ? limits[limits.length - 1]! : null;
  const multiDay = new Set(points.map((p) => zoned(p.ms, clock.timezone).date)).size > 1;
  const label = (ms: number) => {
    const z = zoned(ms, clock.timezone);
    return mermaidLabel(multiDay ? `${z.date.slice(5)} ${z.time}` : z.time);
  };
  const peak = points.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const top = Math.max(peak.bytes, limit ?? 0) * 1.1;
  const yMax = Math.ceil(toMiB(top) / 256) * 256 || 256;
  const zone = mermaidLabel(zoned(points[0]!.ms, clock.timezone).abbreviation);
  const lines = [
    '```mermaid',
    'xychart-beta',
    `    title "Hub memory ${mermaidLabel(h.hub)} (MiB)"`,
    `    x-axis "${zone}" [${points.map((p) => `"${label(p.ms)}"`).join(', ')}]`,
    `    y-axis "MiB" 0 --> ${yMax}`,
    `    line [${points.map((p) => toMiB(p.bytes)).join(', ')}]`,
  ];
  if (limit !== null) lines.push(`    line [${points.map(() => toMiB(limit)).join(', ')}]`);
  lines.push('```');
  const caption =
    `Peak ${formatCount(toMiB(peak.bytes))} MiB at ${clock.at(peak.ms)}` +
    (limit !== null ? `; the flat line is the ${formatCount(toMiB(limit))} MiB limit` : '') +
    ` (${plural(h.memory.length, 'sample')}${h.memory.length > points.length ? `, ${points.length} shown: the highest in each interval` : ''}).`;
  return [...lines, '', caption].join('\n');
}
