/**
 * JupyterHub's spawn metrics across versions. `jupyterhub_server_spawn_duration_seconds` counts every
 * spawn request by outcome, but the labels changed:
 *
 * - 5.x: `status` = success, failure, already-pending, throttled, too-many-users;
 * - 6.0: `status` = success, failure (a rejection) or error (unhandled), with `reason` = throttled,
 *   too-many-users, already-pending, … — so anything grouped by `status` alone folds throttled spawns
 *   into "failure".
 *
 * Before 5.4.0 a throttled spawn requested by GET answered HTTP 200, so `request_duration{code="429"}`
 * undercounts throttling on those hubs: the spawn counter is the one that always counts it.
 */
import { parseJupyterHubVersion } from '../hubdb/analyzer/versionFamilies';
import { quote, regexLiteral, selector } from './promql';

export type SpawnOutcome = 'success' | 'throttled' | 'too-many-users' | 'already-pending' | 'failure';

export const spawnCount = 'jupyterhub_server_spawn_duration_seconds_count';
export const requestCount = 'jupyterhub_request_duration_seconds_count';
/** The handlers that answer a spawn request (the spawn page, and the REST API's server endpoint). */
export const spawnHandlers = [
  'jupyterhub.handlers.pages.SpawnHandler',
  'jupyterhub.apihandlers.users.UserServerAPIHandler',
];

const rejections = new Set(['throttled', 'too-many-users', 'already-pending']);

/** The outcome a spawn series counts, from its labels, whichever JupyterHub wrote them; null if unknown. */
export function spawnOutcome(labels: Record<string, string>): SpawnOutcome | null {
  const status = labels.status ?? '';
  const reason = labels.reason ?? '';
  if (status === 'success') return 'success';
  if (rejections.has(status)) return status as SpawnOutcome;
  if (status === 'failure' && rejections.has(reason)) return reason as SpawnOutcome;
  if (status === 'failure' || status === 'error') return 'failure';
  return null;
}

/** Which label scheme to write rules and queries for: 5 (5.x `status`), 6 (`status` + `reason`), or both. */
export type LabelScheme = '5' | '6' | 'both';

/** The label scheme of a JupyterHub version ("5.3.0", "6.0.0b1"); `both` when unknown. */
export function labelScheme(version: string | undefined): LabelScheme {
  const parsed = version ? parseJupyterHubVersion(version) : null;
  if (!parsed) return 'both';
  return parsed.major >= 6 ? '6' : '5';
}

/** Selectors of throttled spawns for a scheme (two for `both`, to be joined with `or`). */
export function throttledSelectors(scheme: LabelScheme, namespace: string): string[] {
  const five = selector(spawnCount, namespace, 'status="throttled"');
  const six = selector(spawnCount, namespace, 'status="failure"', 'reason="throttled"');
  return scheme === '5' ? [five] : scheme === '6' ? [six] : [five, six];
}

/**
 * Failed spawns, one selector for every version: 5.x failures carry no `reason`, and `!~` matches an
 * absent label, so rejections (6.0's failures with a rejection reason) are the only ones left out.
 */
export function failureSelector(namespace: string): string {
  return selector(
    spawnCount,
    namespace,
    'status=~"failure|error"',
    'reason!~"throttled|too-many-users|already-pending"',
  );
}

/** 429 answers to spawn requests. */
export function throttled429Selector(namespace: string): string {
  return selector(
    requestCount,
    namespace,
    'code="429"',
    `handler=~${quote(spawnHandlers.map(regexLiteral).join('|'))}`,
  );
}
