/**
 * Prometheus in the extension: where each context's history comes from (a URL per context, its token in
 * SecretStorage, or the service proxy), the backfill of incidents (on start and on demand), and the export
 * of alert rules. The report's charts and replay use the same sources (src/incident/report/).
 */
import * as vscode from 'vscode';
import { parseNoteTime } from '../core/incident/noteTime';
import type { HistoryWindow } from '../core/prometheus/history';
import { UserError } from '../core/result';
import type { KubeconfigSource } from '../cluster/kubeconfigSource';
import type { IncidentStore } from '../incident/incidentStore';
import { isRecord, isString } from '../shared/guards';
import { commands } from '../vscode/contributes';
import { showUserError, type Log } from '../vscode/log';
import { registerAlertRulesCommand, type HubChoice } from './alertRulesCommand';
import { announce, backfill, defaultWindow, lastNight, type BackfillReport } from './historyBackfill';
import { PrometheusSources, tokenKey } from './prometheusSources';

export { PrometheusSources } from './prometheusSources';
export type { BackfillReport } from './historyBackfill';

export interface PrometheusDeps {
  kubeconfig: KubeconfigSource;
  store: IncidentStore;
  log: Log;
  timezone(): string;
  /** Hubs the Clusters view knows, for Export Alert Rules. */
  hubs(): HubChoice[];
}

export interface PrometheusApi extends vscode.Disposable {
  sources: PrometheusSources;
  /** The backfill started with the last incident (tests wait for it). */
  lastStartBackfill(): Promise<BackfillReport | undefined> | undefined;
}

export function registerPrometheus(context: vscode.ExtensionContext, deps: PrometheusDeps): PrometheusApi {
  const { store, log } = deps;
  const sources = new PrometheusSources(deps.kubeconfig, context.secrets, log);
  const backfillDeps = { store, sources, log, timezone: deps.timezone };
  let onStart: Promise<BackfillReport | undefined> | undefined;

  // A new incident gets the hours before its start, from its hubs' Prometheus.
  const starting = store.onDidChange((change) => {
    if (change.kind !== 'started') return;
    onStart = (async () => {
      const window = defaultWindow(change.file);
      if (!window.ok) return undefined;
      const done = await backfill(backfillDeps, change.file, window.value);
      if (!done.ok) {
        // An incident without hubs has nothing to backfill: not worth a message.
        if (done.error.code !== 'prometheus-no-hubs') showUserError(log, done.error, 'Backfill from Prometheus');
        return undefined;
      }
      announce(backfillDeps, done.value);
      return done.value;
    })().catch((error: unknown) => showUserError(log, error, 'Backfill from Prometheus'));
  });

  /** `{ file?, window?: 'incident' | 'last-night' | { from, to } }`, or asks. */
  const backfillCommand = async (arg?: unknown): Promise<BackfillReport | undefined> => {
    const file = isRecord(arg) && isString(arg.file) ? arg.file : store.current?.file;
    if (!file)
      return showUserError(
        log,
        new UserError('No incident is open: start one, or make one current in the Incident view.', 'incident-none'),
        'Backfill from Prometheus',
      );
    const asked = isRecord(arg) ? arg.window : undefined;
    const window = asked !== undefined ? windowFrom(asked, file) : await pickWindow(file);
    if (!window) return undefined;
    const done = await backfill(backfillDeps, file, window);
    if (!done.ok) return showUserError(log, done.error, 'Backfill from Prometheus');
    announce(backfillDeps, done.value);
    return done.value;
  };

  const windowFrom = (asked: unknown, file: string): HistoryWindow | undefined => {
    if (asked === 'incident') {
      const w = defaultWindow(file);
      return w.ok ? w.value : showUserError(log, w.error, 'Backfill from Prometheus');
    }
    if (asked === 'last-night') return lastNight(deps.timezone());
    if (isRecord(asked) && isString(asked.from) && isString(asked.to)) {
      const from = parseNoteTime(asked.from, deps.timezone());
      const to = parseNoteTime(asked.to, deps.timezone());
      if (!from.ok) return showUserError(log, from.error, 'Backfill from Prometheus');
      if (!to.ok) return showUserError(log, to.error, 'Backfill from Prometheus');
      return { fromMs: from.value.getTime(), toMs: to.value.getTime() };
    }
    return undefined;
  };

  const pickWindow = async (file: string): Promise<HistoryWindow | undefined> => {
    const tz = deps.timezone();
    const choice = await vscode.window.showQuickPick(
      [
        {
          label: '6 h before the start',
          detail: 'From 6 hours before the incident started to its end',
          id: 'incident',
        },
        { label: 'Last night', detail: `Yesterday 18:00 to today 08:00 (${tz})`, id: 'last-night' },
        { label: 'Custom…', detail: 'Give the from and to times', id: 'custom' },
      ],
      { title: 'Backfill from Prometheus', placeHolder: 'Which window of history?' },
    );
    if (!choice) return undefined;
    if (choice.id !== 'custom') return windowFrom(choice.id, file);
    const ask = (what: string) =>
      vscode.window.showInputBox({
        title: `Backfill from Prometheus: ${what}`,
        prompt: `2026-11-23 01:00 (${tz}), or an ISO time such as 2026-11-23T06:00:00Z`,
        ignoreFocusOut: true,
        validateInput: (v) => {
          const t = parseNoteTime(v, tz);
          return t.ok ? undefined : t.error.userMessage;
        },
      });
    const from = await ask('from');
    if (from === undefined) return undefined;
    const to = await ask('to');
    if (to === undefined) return undefined;
    return windowFrom({ from, to }, file);
  };

  /** `{ context, token? }`, or asks; an empty token removes it. */
  const setToken = async (arg?: unknown): Promise<boolean | undefined> => {
    let name = isRecord(arg) && isString(arg.context) ? arg.context : undefined;
    if (!name) {
      const contexts = deps.kubeconfig.get().contexts.map((c) => c.name);
      name = await vscode.window.showQuickPick(contexts, {
        title: 'Set Prometheus Token for Context',
        placeHolder: 'Which context’s Prometheus URL needs a bearer token?',
      });
      if (!name) return undefined;
    }
    let token = isRecord(arg) && isString(arg.token) ? arg.token : undefined;
    if (token === undefined) {
      token = await vscode.window.showInputBox({
        title: `Prometheus bearer token for ${name}`,
        prompt:
          'Sent as Authorization: Bearer to the URL set for this context. Stored in VS Code’s secret storage. Empty removes it.',
        password: true,
        ignoreFocusOut: true,
      });
      if (token === undefined) return undefined;
    }
    if (token.trim() === '') await context.secrets.delete(tokenKey(name));
    else await context.secrets.store(tokenKey(name), token.trim());
    sources.forget(name);
    log.info(`Prometheus: bearer token for ${name} ${token.trim() === '' ? 'removed' : 'stored in secret storage'}.`);
    return true;
  };

  const guarded =
    <R>(name: string, run: (arg?: unknown) => Promise<R | undefined>) =>
    async (arg?: unknown): Promise<R | undefined> => {
      try {
        return await run(arg);
      } catch (error) {
        return showUserError(log, error, name);
      }
    };

  const disposables = vscode.Disposable.from(
    sources,
    new vscode.Disposable(() => starting.dispose()),
    vscode.commands.registerCommand(
      commands.backfillFromPrometheus,
      guarded('Backfill from Prometheus', backfillCommand),
    ),
    vscode.commands.registerCommand(commands.setPrometheusToken, guarded('Set Prometheus Token', setToken)),
    registerAlertRulesCommand({ log, hubs: deps.hubs }),
  );
  return { sources, lastStartBackfill: () => onStart, dispose: () => disposables.dispose() };
}
