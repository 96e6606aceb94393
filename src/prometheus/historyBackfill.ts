/**
 * History in the incident: the hours before anyone looked, rebuilt from each hub's Prometheus and appended
 * to the journal (src/core/prometheus/history.ts rebuilds, IncidentStore.backfill leaves out what the
 * journal already states). Runs when an incident starts and on "Backfill from Prometheus…", for the
 * current incident or any past one, under a cancellable progress notification. A failure (no Prometheus,
 * 403 on the service proxy, timeout, not Prometheus, missing series) is one line; nothing wrong is
 * journaled and the rest of the extension carries on.
 */
import * as vscode from 'vscode';
import type { HubRef } from '../core/incident/journalEntry';
import { replay } from '../core/incident/journalReplay';
import { zoned } from '../core/incident/zonedTime';
import { defaultLookbackMs, rebuildHistory, type HistoryWindow } from '../core/prometheus/history';
import { incidentWindow } from '../core/prometheus/incidentReport';
import { formatStep } from '../core/prometheus/step';
import { err, ok, UserError, type Result } from '../core/result';
import type { IncidentStore } from '../incident/incidentStore';
import type { Log } from '../vscode/log';
import type { PrometheusSources } from './prometheusSources';

export interface BackfillDeps {
  store: IncidentStore;
  sources: PrometheusSources;
  log: Log;
  timezone(): string;
}

/** What a backfill did, per context, and the one line for each thing that went wrong. */
export interface BackfillReport {
  file: string;
  window: HistoryWindow;
  written: number;
  skipped: number;
  /** "Prometheus 2.42.0, service support/… at 1m resolution" per context that answered. */
  sources: string[];
  /** One line each: a context without history, a series Prometheus does not have. */
  problems: string[];
  cancelled: boolean;
}

/** The default window of an incident: the 6 h before its start, to its end (its stop, else its last entry). */
export function defaultWindow(file: string): Result<HistoryWindow> {
  const replayed = replay(file);
  if (!replayed.ok) return replayed;
  return ok(incidentWindow(replayed.value, defaultLookbackMs));
}

/** Last night in `timezone`: yesterday 18:00 to today 08:00 (wall-clock). */
export function lastNight(timezone: string, now = Date.now()): HistoryWindow {
  const today = zoned(now, timezone);
  const [h, m] = today.time.split(':').map(Number) as [number, number];
  // Local midnight, then walk in whole hours (DST nights are an hour off at most, fine for a window).
  const midnight = now - (h * 60 + m) * 60_000 - (now % 60_000);
  return { fromMs: midnight - 6 * 3600_000, toMs: midnight + 8 * 3600_000 };
}

/** Hubs grouped by context. */
function byContext(hubs: readonly HubRef[]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const h of hubs) grouped.set(h.context, [...new Set([...(grouped.get(h.context) ?? []), h.namespace])]);
  return grouped;
}

/**
 * Rebuilds the incident's hubs over `window` and appends what its journal lacks. Without `signal`, runs
 * under a cancellable progress notification.
 */
export async function backfill(
  deps: BackfillDeps,
  file: string,
  window: HistoryWindow,
  options: { signal?: AbortSignal } = {},
): Promise<Result<BackfillReport>> {
  const replayed = replay(file);
  if (!replayed.ok) return replayed;
  const hubs = replayed.value.incident.hubs;
  if (hubs.length === 0)
    return err(
      new UserError('The incident names no hub, so there is no history to ask Prometheus for.', 'prometheus-no-hubs'),
    );
  if (!(window.fromMs < window.toMs))
    return err(new UserError('The window ends before it starts.', 'prometheus-bad-window'));
  const run = async (signal: AbortSignal, progress?: (message: string) => void): Promise<BackfillReport> => {
    const report: BackfillReport = {
      file,
      window,
      written: 0,
      skipped: 0,
      sources: [],
      problems: [],
      cancelled: false,
    };
    for (const [context, namespaces] of byContext(hubs)) {
      if (signal.aborted) break;
      progress?.(`${context}: finding Prometheus…`);
      const found = await deps.sources.open(context, { signal, namespaces });
      if (!found.ok) {
        if (found.error.code === 'cancelled') break;
        report.problems.push(found.error.message);
        continue;
      }
      try {
        progress?.(`${context}: reading ${namespaces.join(', ')}…`);
        const rebuilt = await rebuildHistory(found.value.client, namespaces, window, { signal });
        if (!rebuilt.ok) {
          if (rebuilt.error.code === 'cancelled') break;
          report.problems.push(rebuilt.error.message);
          continue;
        }
        report.sources.push(`${found.value.description} at ${formatStep(rebuilt.value.stepSeconds)} resolution`);
        report.problems.push(...rebuilt.value.problems);
        const written = deps.store.backfill(file, rebuilt.value.entries);
        if (!written.ok) {
          report.problems.push(written.error.userMessage);
          continue;
        }
        report.written += written.value.written;
        report.skipped += written.value.skipped;
      } finally {
        found.value.dispose();
      }
    }
    report.cancelled = signal.aborted;
    return report;
  };
  if (options.signal) return ok(await run(options.signal));
  return ok(
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Backfilling from Prometheus', cancellable: true },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return run(controller.signal, (message) => progress.report({ message }));
      },
    ),
  );
}

/** Says what a backfill did: one line, and one more per problem. */
export function announce(deps: BackfillDeps, report: BackfillReport): void {
  const tz = deps.timezone();
  const at = (ms: number) => {
    const z = zoned(ms, tz);
    return `${z.date} ${z.time} ${z.abbreviation}`;
  };
  const span = `${at(report.window.fromMs)} to ${at(report.window.toMs)}`;
  for (const s of report.sources) deps.log.info(`Prometheus: history ${span} from ${s}`);
  for (const p of report.problems) deps.log.warn(`Prometheus: ${p}`);
  if (report.cancelled) {
    void vscode.window.showInformationMessage(
      `JupyterHub Ops: backfill cancelled; ${report.written} entries from Prometheus were added before it stopped.`,
    );
    return;
  }
  if (report.sources.length > 0)
    void vscode.window.showInformationMessage(
      `JupyterHub Ops: added ${report.written} entries from Prometheus (${span}); ${report.skipped} the journal already had.`,
    );
  // One line: the first problem (which context, what is wrong, what to do); the rest are in the log.
  const [first, ...more] = report.problems;
  if (first)
    void vscode.window.showWarningMessage(
      `JupyterHub Ops: history from Prometheus: ${first}${more.length ? ` (${more.length} more in the log)` : ''}`,
    );
}
