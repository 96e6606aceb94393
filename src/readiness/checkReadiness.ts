import * as vscode from 'vscode';
import type { ClustersApi, HubSummary } from '../cluster';
import type { KubeconfigSource } from '../cluster/kubeconfigSource';
import type { JournalEntry } from '../core/incident/journalEntry';
import type { ProfileChoice, ReadinessReport } from '../core/readiness';
import type { SpawnHistorySource } from '../core/readiness/spawnHistory';
import { eventLimits } from '../core/readiness/inputs';
import { err, messageOf, ok, type Result, UserError } from '../core/result';
import { isRecord } from '../shared/guards';
import type { IncidentRecorder } from '../incident/incidentRecorder';
import { showUserError, type Log } from '../vscode/log';
import { pickHub, type HubArgument } from '../snapshot/pickHub';
import type { ReadinessPanels } from './readinessPanels';
import type { ReadinessView } from '../protocol/readinessProtocol';
import { summaryOf } from './readinessView';
import { formatCount } from '../shared/format';

export interface CheckReadinessDeps {
  clusters: ClustersApi;
  kubeconfig: KubeconfigSource;
  recorder: IncidentRecorder;
  panels: ReadinessPanels;
  log: Log;
  /** How long spawns and scale-ups took here before (the context's Prometheus). */
  history: SpawnHistorySource;
}

/** What the event plan may be given as (other features, tests); anything missing is asked for. */
export interface ReadinessRequest {
  context: string;
  namespace: string;
  attendees?: number;
  arrivalMinutes?: number;
  /** A profile's slug or display name. */
  profile?: string;
}

/** What the command did; undefined when the operator cancelled an input. */
export type ReadinessOutcome =
  Result<{ report: ReadinessReport; view: ReadinessView; journalEntry: JournalEntry | null }, UserError> | undefined;

const NAME = 'Check Readiness';
/** How many minutes "spread out" means. */
const SPREAD_MINUTES = 60;

/** A whole number within `limits`, as typed; else the one-line reason (shown under the input as it is typed). */
export function wholeNumberIn(text: string, limits: { min: number; max: number }, unit: string): number | string {
  const t = text.trim();
  const value = /^(0|[1-9][0-9]{0,15})$/.test(t) ? Number(t) : NaN;
  if (Number.isInteger(value) && value >= limits.min && value <= limits.max) return value;
  return `A whole number of ${unit} from ${formatCount(limits.min)} to ${formatCount(limits.max)}.`;
}

/**
 * "Check Readiness for an Event…": the hub (from the row, or picked), the expected attendees, how they
 * arrive and (when the hub has profiles) which profile; then the cluster is read under a cancellable
 * progress, the spawn queue simulated, the result shown in the readiness panel and journaled when an
 * incident is recording. Whatever could not be read is assumed and said so on the page; only a hub that
 * cannot be seen at all fails, in one line.
 */
export async function checkReadiness(deps: CheckReadinessDeps, argument?: unknown): Promise<ReadinessOutcome> {
  const request = isRecord(argument) && !('kind' in argument) ? (argument as Partial<ReadinessRequest>) : {};
  let hub: HubSummary | undefined;
  try {
    hub = await pickHub(deps, argument as HubArgument | undefined, NAME);
  } catch (error) {
    return fail(deps.log, new UserError(messageOf(error), 'no-hub', { cause: error }));
  }
  if (!hub) return undefined;
  const where = { context: hub.context, namespace: hub.namespace, release: hub.release };
  // Loaded on first use: it brings @kubernetes/client-node, which activation should not pay for.
  const core = await import('../core/readiness');
  const kubeConfig = deps.kubeconfig.get().kubeConfig;
  // Read while the operator types: the profile question comes last.
  const profiles = request.profile !== undefined ? undefined : core.readHubProfiles(kubeConfig, where);

  const step = (n: number) => `${NAME}: ${hub.namespace} (${n}/3)`;
  const attendees = request.attendees ?? (await askAttendees(step(1)));
  if (attendees === undefined) return undefined;
  const arrivalMinutes = request.arrivalMinutes ?? (await askArrival(step(2)));
  if (arrivalMinutes === undefined) return undefined;
  const planCheck = [
    wholeNumberIn(String(attendees), eventLimits.attendees, 'attendees'),
    wholeNumberIn(String(arrivalMinutes), eventLimits.arrivalMinutes, 'minutes'),
  ].find((v) => typeof v === 'string');
  if (planCheck) return fail(deps.log, new UserError(planCheck, 'readiness.bad-plan'));
  const profile = request.profile ?? (await askProfile(step(3), (await profiles) ?? []));
  if (profile === null) return undefined;

  deps.log.info(
    `${NAME}: reading ${hub.namespace} (context ${hub.context}) for ${attendees} attendees${arrivalMinutes ? ` over ${arrivalMinutes} min` : ' at once'}${profile ? `, profile ${profile}` : ''}`,
  );
  const read = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Reading ${hub.namespace} for the readiness check`,
      cancellable: true,
    },
    (progress, token) => {
      progress.report({ message: 'values, user nodes, autoscaler, spawn history…' });
      const cancelled = new Promise<'cancelled'>((resolve) =>
        token.onCancellationRequested(() => resolve('cancelled')),
      );
      // The read finishes on its own (its client is closed when it does); a cancelled one is not shown.
      return Promise.race([
        core.readReadinessInputs(kubeConfig, {
          ...where,
          ...(profile ? { profile } : {}),
          historySource: deps.history,
        }),
        cancelled,
      ]);
    },
  );
  if (read === 'cancelled') {
    deps.log.info(`${NAME}: cancelled`);
    return undefined;
  }
  if (!read.ok) return fail(deps.log, read.error);

  const report = core.evaluateReadiness(read.value, { attendees, arrivalMinutes });
  const summary = summaryOf(report, attendees);
  deps.log.info(`${NAME}: ${hub.namespace}: ${report.verdict.toUpperCase()}: ${summary}`);
  for (const warning of report.warnings) deps.log.warn(`${NAME}: ${hub.namespace}: ${warning}`);
  const session = deps.panels.show(report, read.value.profile.value);
  const recorded = deps.recorder.recordReadiness(report, summary);
  if (!recorded.ok) deps.log.warn(`${NAME}: not journaled: ${recorded.error.userMessage}`);
  return ok({ report, view: session.view, journalEntry: recorded.ok ? recorded.value : null });
}

/** A whole number typed into an input box, checked as it is typed; undefined when the operator cancels. */
async function askWholeNumber(
  title: string,
  prompt: string,
  limits: { min: number; max: number },
  unit: string,
  value?: string,
): Promise<number | undefined> {
  const parse = (text: string) => wholeNumberIn(text, limits, unit);
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    ...(value !== undefined ? { value } : { placeHolder: 'e.g. 150' }),
    ignoreFocusOut: true,
    validateInput: (typed) => {
      const parsed = parse(typed);
      return typeof parsed === 'string' ? parsed : undefined;
    },
  });
  const parsed = text === undefined ? undefined : parse(text);
  return typeof parsed === 'number' ? parsed : undefined;
}

const askAttendees = (title: string) =>
  askWholeNumber(title, 'How many attendees do you expect?', eventLimits.attendees, 'attendees');

async function askArrival(title: string): Promise<number | undefined> {
  const within = { label: 'All within N minutes…', detail: '0 = all at the same moment, as hubops readiness assumes' };
  const spread = {
    label: 'Spread out',
    detail: `Evenly over ${SPREAD_MINUTES} minutes (people drift in over the first hour)`,
  };
  const picked = await vscode.window.showQuickPick([within, spread], {
    title,
    placeHolder: 'How do they arrive?',
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked === spread) return SPREAD_MINUTES;
  return askWholeNumber(
    title,
    'Within how many minutes do they all arrive? (0: all at once)',
    eventLimits.arrivalMinutes,
    'minutes',
    '0',
  );
}

/** The profile's slug; '' for none (no profiles, or the hub's default); null when the operator cancelled. */
async function askProfile(title: string, profiles: ProfileChoice[]): Promise<string | null> {
  if (profiles.length < 2) return '';
  const ordered = [...profiles].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  const picked = await vscode.window.showQuickPick(
    ordered.map((p) => ({ label: p.displayName, description: p.isDefault ? `${p.slug} · default` : p.slug, p })),
    { title, placeHolder: 'Which profile do attendees use?', ignoreFocusOut: true },
  );
  return picked ? picked.p.slug : null;
}

function fail(log: Log, error: UserError): ReadinessOutcome {
  showUserError(log, error, NAME);
  return err(error);
}
