/**
 * What Prometheus adds to an incident's report, per context of its hubs: the charts (the core's SVG), the
 * alert rules replayed over the incident, and one line for each thing that could not be had. The report
 * editor (src/incident/report/reportEditor.ts) asks for it and shows it; the drafting itself stays on the
 * journal (Backfill brings history into it).
 */
import type { ReplayedIncident } from '../core/incident/journalReplay';
import { incidentFromPrometheus, type IncidentFromPrometheus } from '../core/prometheus/incidentReport';
import type { PrometheusSources } from './prometheusSources';

export interface IncidentHistory {
  /** One per context that answered. */
  results: IncidentFromPrometheus[];
  /** One line each: a context without history, a series Prometheus lacks. */
  problems: string[];
}

/** How the report gets its history (a test can give its own). */
export type LoadHistory = (
  incident: ReplayedIncident,
  timezone: string,
  signal?: AbortSignal,
) => Promise<IncidentHistory>;

export function historyLoader(sources: PrometheusSources): LoadHistory {
  return async (incident, timezone, signal) => {
    const byContext = new Map<string, ReplayedIncident['incident']['hubs']>();
    for (const hub of incident.incident.hubs) byContext.set(hub.context, [...(byContext.get(hub.context) ?? []), hub]);
    const out: IncidentHistory = { results: [], problems: [] };
    if (byContext.size === 0)
      out.problems.push('The incident names no hub, so there is no history to ask Prometheus for.');
    for (const [context, hubs] of byContext) {
      const found = await sources.open(context, {
        namespaces: hubs.map((h) => h.namespace),
        ...(signal ? { signal } : {}),
      });
      if (!found.ok) {
        out.problems.push(found.error.message);
        continue;
      }
      try {
        const one = await incidentFromPrometheus(
          found.value.client,
          { ...incident, incident: { ...incident.incident, hubs } },
          { timezone, ...(signal ? { signal } : {}) },
        );
        if (!one.ok) out.problems.push(one.error.message);
        else {
          out.results.push(one.value);
          out.problems.push(...one.value.history.problems);
        }
      } finally {
        found.value.dispose();
      }
    }
    return out;
  };
}
