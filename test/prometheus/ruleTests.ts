/**
 * `promtool test rules` files generated from the scenarios: each scenario is played from the Unix epoch
 * (promtool's tests start at time 0, and rules such as "Pending for 10 minutes" compare `time()` with
 * timestamps the scenario wrote), scraped every 30 s as for the histories, and written as `input_series`
 * for the series the rules read. Expectations name the scenario's own pods.
 */
import { dump } from 'js-yaml';
import type { AlertRule, RulePack } from '../../src/core/prometheus/alertRules';
import type { Step } from '../k8s-server/scenarios/timeline';
import { recordScenario } from './scenarioHistory';

export interface ScenarioInput {
  name: string;
  steps: Step[];
  durationMs: number;
}

/** Metric names the rules read (the rest of a scrape is left out of the inputs). */
export function metricsOf(pack: RulePack): Set<string> {
  const names = new Set<string>();
  for (const rule of pack.rules) for (const [, name] of rule.expr.matchAll(/([a-z_:][a-z0-9_:]*)\{/g)) names.add(name!);
  return names;
}

/** The scenario's series as promtool input: one value per 30 s from time 0, `_` where a series was absent. */
export async function inputSeries(
  scenario: ScenarioInput,
  names: ReadonlySet<string>,
): Promise<{ series: string; values: string }[]> {
  const table = new Map<string, (string | undefined)[]>();
  let index = 0;
  await recordScenario(
    scenario.steps,
    { start: new Date(0), durationMs: scenario.durationMs, scrapeOffsetMs: 0 },
    (_ms, lines) => {
      for (const line of lines) {
        const cut = line.lastIndexOf(' ');
        const series = line.slice(0, cut);
        const name = series.slice(0, series.indexOf('{'));
        if (!names.has(name)) continue;
        let values = table.get(series);
        if (!values) table.set(series, (values = []));
        values[index] = line.slice(cut + 1);
      }
      index++;
    },
  );
  return [...table].map(([series, values]) => ({
    series,
    values: Array.from({ length: index }, (_, i) => values[i] ?? '_').join(' '),
  }));
}

export interface Expectation {
  alert: string;
  evalTime: string;
  /** The labels each firing alert has beyond the rule's (severity); [] = it must stay quiet. */
  firing: Record<string, string>[];
}

/** `{{ $labels.x }}` in a rule's annotations, as Prometheus renders them for `labels`. */
function rendered(rule: AlertRule, labels: Record<string, string>): Record<string, string> {
  const fill = (text: string) =>
    text.replace(/\{\{ \$labels\.([a-z_]+) \}\}/g, (_m, name: string) => labels[name] ?? '');
  return { summary: fill(rule.annotations.summary), description: fill(rule.annotations.description) };
}

/** One `tests:` item: the scenario's series and the alerts expected at given times. */
export async function ruleTest(pack: RulePack, scenario: ScenarioInput, expectations: Expectation[]) {
  const rules = new Map(pack.rules.map((r) => [r.alert, r]));
  return {
    name: scenario.name,
    interval: '30s',
    input_series: await inputSeries(scenario, metricsOf(pack)),
    alert_rule_test: expectations.map((e) => {
      const rule = rules.get(e.alert);
      if (!rule) throw new Error(`no rule ${e.alert}`);
      return {
        eval_time: e.evalTime,
        alertname: e.alert,
        exp_alerts: e.firing.map((labels) => ({
          exp_labels: { ...labels, severity: rule.labels.severity },
          exp_annotations: rendered(rule, labels),
        })),
      };
    }),
  };
}

/** A promtool test file for `rulesFile`, with `tests` from ruleTest(). */
export function ruleTestFile(rulesFile: string, tests: unknown[]): string {
  return dump({ rule_files: [rulesFile], evaluation_interval: '1m', tests }, { lineWidth: -1, noRefs: true });
}
