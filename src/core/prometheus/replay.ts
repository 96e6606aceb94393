/**
 * Replaying the rule pack against an incident: each rule's expression is evaluated by the cluster's own
 * Prometheus over the incident window (`query_range` at the rule group's interval: the real PromQL engine,
 * not a re-implementation), and `for:` is applied the way Prometheus's rule manager does — an alert fires
 * once its expression has returned the same label set at every evaluation for that long. The answer is
 * when each rule would have fired, beside when the incident was noticed.
 */
import type { Result } from '../result';
import type { PrometheusClient, RangeSeries } from './client';
import type { HistoryWindow } from './history';
import type { AlertRule, RulePack } from './alertRules';
import type { PrometheusProblem } from './problem';
import { alignDown, chooseStep, parseDuration } from './step';

export interface RuleReplay {
  alert: string;
  severity: string;
  for: string | null;
  /** When it would first have fired in the window, or null. */
  firstFiringMs: number | null;
  /** The labels it would have fired with first (namespace, pod…). */
  labels: Record<string, string>;
  /** How many distinct label sets would have fired. */
  firing: number;
  /** The first firing minus the noticed time: negative = before anyone noticed. */
  leadMs: number | null;
  /** The query failed: why (the other rules still replay). */
  problem?: string;
}

export interface Replay {
  fromMs: number;
  toMs: number;
  stepSeconds: number;
  noticedMs: number | null;
  rules: RuleReplay[];
}

/**
 * When the alert would have fired, per label set: the evaluation at which the expression had answered that
 * label set at every evaluation for `forMs` (0: at once). A missed evaluation resets it, as in Prometheus.
 */
export function firingTimes(
  series: readonly RangeSeries[],
  stepMs: number,
  forMs: number,
): { labels: Record<string, string>; ms: number }[] {
  const out: { labels: Record<string, string>; ms: number }[] = [];
  for (const s of series) {
    let activeAt: number | null = null;
    let previous = -Infinity;
    for (const [t] of s.points) {
      if (activeAt === null || t - previous > stepMs * 1.5) activeAt = t;
      previous = t;
      if (t - activeAt >= forMs) {
        out.push({ labels: s.labels, ms: t });
        break;
      }
    }
  }
  return out.sort((a, b) => a.ms - b.ms);
}

async function replayRule(
  client: PrometheusClient,
  rule: AlertRule,
  range: { startMs: number; endMs: number; stepSeconds: number },
  noticedMs: number | null,
  signal: AbortSignal | undefined,
): Promise<Result<RuleReplay, PrometheusProblem>> {
  const base = { alert: rule.alert, severity: rule.labels.severity, for: rule.for ?? null };
  const answer = await client.queryRange(rule.expr, range, signal);
  if (!answer.ok) {
    if (answer.error.code !== 'bad-query') return answer;
    return {
      ok: true,
      value: { ...base, firstFiringMs: null, labels: {}, firing: 0, leadMs: null, problem: answer.error.message },
    };
  }
  const fired = firingTimes(answer.value, range.stepSeconds * 1000, parseDuration(rule.for ?? '0s'));
  const first = fired[0];
  return {
    ok: true,
    value: {
      ...base,
      firstFiringMs: first?.ms ?? null,
      labels: first?.labels ?? {},
      firing: fired.length,
      leadMs: first && noticedMs !== null ? first.ms - noticedMs : null,
    },
  };
}

/**
 * Replays every rule of `pack` over `window`. `noticedMs` is when the incident was noticed (its start).
 * A rule whose query Prometheus refuses is reported with its problem; one that cannot be asked at all
 * (unreachable, timeout, cancelled) stops the replay.
 */
export async function replayRules(
  client: PrometheusClient,
  pack: RulePack,
  window: HistoryWindow,
  noticedMs: number | null,
  options: { signal?: AbortSignal } = {},
): Promise<Result<Replay, PrometheusProblem>> {
  // The group's interval, unless the window is so long that would exceed the point limit.
  const stepSeconds = chooseStep(window.fromMs, window.toMs, parseDuration(pack.interval) / 1000);
  const range = { startMs: alignDown(window.fromMs, stepSeconds), endMs: window.toMs, stepSeconds };
  const rules: RuleReplay[] = [];
  for (const rule of pack.rules) {
    const replayed = await replayRule(client, rule, range, noticedMs, options.signal);
    if (!replayed.ok) return replayed;
    rules.push(replayed.value);
  }
  return { ok: true, value: { fromMs: range.startMs, toMs: range.endMs, stepSeconds, noticedMs, rules } };
}
