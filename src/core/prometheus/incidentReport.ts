/**
 * Everything Prometheus adds to an incident's report, in one call, for the CLI's `report --prometheus` and
 * the report panel alike: the history the journal lacks (merged into the incident for drafting, the journal
 * file untouched), each hub's charts as SVG, the alert rules replayed over the incident, and one line for
 * each thing the history lacks. Writing files, or sending the SVG to a webview, is the caller's part.
 */
import { renderChartSvg } from '../chart/timeChart';
import type { ReplayedIncident } from '../incident/journalReplay';
import type { AlertWouldHaveFired } from '../incident/postmortem';
import type { Result } from '../result';
import { rulePack } from './alertRules';
import { notYetJournaled } from './backfill';
import type { PrometheusClient } from './client';
import { collapseHistory, defaultLookbackMs, rebuildHistory, type History, type HistoryWindow } from './history';
import { hubCharts, marksFrom, type ChartId } from './incidentCharts';
import { problem, type PrometheusProblem } from './problem';
import { replayRules, type Replay } from './replay';
import { chartsMarkdown, replayMarkdown, type ChartFile } from './reportSections';

export interface RenderedChart {
  hub: string;
  chart: ChartId;
  title: string;
  svg: string;
}

export interface IncidentFromPrometheus {
  /** The incident with the history it lacked, for drafting (bursts collapsed, nothing repeated). */
  incident: ReplayedIncident;
  window: HistoryWindow;
  history: History;
  replay: Replay;
  /** Four charts per hub (the nodes chart once: nodes are the cluster's). */
  charts: RenderedChart[];
  /** For the postmortem's What Happened and Action Items. */
  alerts: AlertWouldHaveFired[];
}

export interface IncidentOptions {
  /** IANA timezone of the charts' time axis. */
  timezone: string;
  signal?: AbortSignal;
  /** How far before the incident's start to look (default 6 h). */
  lookbackMs?: number;
  /** The JupyterHub version, for the rule pack's labels (unknown: both). */
  jupyterhubVersion?: string;
}

/** The window for an incident: from `lookbackMs` before its start to its end (its stop, else its last entry). */
export function incidentWindow(incident: ReplayedIncident, lookbackMs = defaultLookbackMs): HistoryWindow {
  const startedMs = Date.parse(incident.incident.startedAt);
  const lastMs = Math.max(
    startedMs,
    ...incident.entries.map((e) => Date.parse(typeof e.until === 'string' ? e.until : e.time)),
  );
  const endMs = incident.stoppedAt ? Date.parse(incident.stoppedAt) : lastMs;
  return { fromMs: startedMs - lookbackMs, toMs: Math.max(endMs, startedMs + 60_000) };
}

export async function incidentFromPrometheus(
  client: PrometheusClient,
  incident: ReplayedIncident,
  options: IncidentOptions,
): Promise<Result<IncidentFromPrometheus, PrometheusProblem>> {
  const namespaces = [...new Set(incident.incident.hubs.map((h) => h.namespace))];
  if (namespaces.length === 0)
    return {
      ok: false,
      error: problem('not-found', 'The incident names no hub, so there is no history to ask Prometheus for.'),
    };
  const window = incidentWindow(incident, options.lookbackMs);
  const startedMs = Date.parse(incident.incident.startedAt);
  const signal = options.signal ? { signal: options.signal } : {};
  const rebuilt = await rebuildHistory(client, namespaces, window, signal);
  if (!rebuilt.ok) return rebuilt;
  const history = rebuilt.value;
  const pack = rulePack({
    namespaces,
    ...(options.jupyterhubVersion ? { jupyterhubVersion: options.jupyterhubVersion } : {}),
  });
  const replayed = await replayRules(client, pack, window, startedMs, signal);
  if (!replayed.ok) return replayed;

  const fresh = collapseHistory(notYetJournaled(history.entries, [...incident.entries, ...incident.hidden]));
  const entries = [...incident.entries, ...fresh].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const fired = replayed.value.rules
    .filter((r) => r.firstFiringMs !== null)
    .map((r) => ({ ms: r.firstFiringMs!, name: r.alert }));
  const charts: RenderedChart[] = [];
  history.hubs.forEach((hub, i) => {
    const marks = { ...marksFrom(entries, hub.hub, incident.incident.startedAt), alerts: fired };
    for (const model of hubCharts(history, hub, marks)) {
      const chart = model.id.slice(hub.hub.length + 1) as ChartId;
      if (chart === 'nodes' && i > 0) continue;
      charts.push({
        hub: hub.hub,
        chart,
        title: model.title,
        svg: renderChartSvg(model, { timezone: options.timezone }),
      });
    }
  });
  return {
    ok: true,
    value: {
      incident: { ...incident, entries },
      window,
      history,
      replay: replayed.value,
      charts,
      alerts: replayed.value.rules.map((r) => ({ alert: r.alert, firstFiringMs: r.firstFiringMs })),
    },
  };
}

/** The report's Prometheus evidence: where it came from, what it lacks, the charts (as `files`), the replay. */
export function prometheusEvidence(extras: IncidentFromPrometheus, files: ChartFile[], timezone: string): string {
  const startedMs = Date.parse(extras.incident.incident.startedAt);
  return [chartsMarkdown(extras.history, files, timezone, startedMs), replayMarkdown(extras.replay, timezone)].join(
    '\n\n',
  );
}
