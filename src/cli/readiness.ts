import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  evaluateReadiness,
  eventLimits,
  formatMinutes,
  readinessChartSvg,
  readinessMarkdown,
  readReadinessInputs,
  type ReadinessReport,
} from '../core/readiness';
import { inertText, terminalJson } from '../shared/untrustedText';
import { messageOf } from '../core/result';
import { chooseContext, printable } from './clusterContext';
import {
  badArguments,
  numberOption,
  oneLine,
  parseArgs,
  quoteArg,
  table,
  unknownOptions,
  wholeNumber,
  type NumberKind,
  type Subcommand,
} from './io';
import { bundledWasm } from './sqlWasm';
import { tokenVariable } from './prometheusSource';
import { spawnHistoryFrom } from '../core/prometheus/spawnHistory';
import type { SpawnHistorySource } from '../core/readiness/spawnHistory';

const USAGE =
  'usage: hubops readiness --namespace NS --attendees N [--context NAME] [--arrival-minutes M] [--profile NAME] ' +
  '[--snapshot FILE] [--release NAME] [--pool-max NODES] [--scale-up-minutes M] [--spawn-seconds S] ' +
  '[--prometheus URL] [--kubeconfig FILE] [--json] [--markdown FILE.md]';

/** The numeric options and what each takes. */
const numberOptions: [string, NumberKind][] = [
  ['attendees', wholeNumber(eventLimits.attendees.min, eventLimits.attendees.max, 'attendees')],
  ['arrival-minutes', wholeNumber(eventLimits.arrivalMinutes.min, eventLimits.arrivalMinutes.max, 'minutes')],
  ['pool-max', wholeNumber(0, 10_000, 'nodes')],
  ['scale-up-minutes', wholeNumber(1, 240, 'minutes')],
  ['spawn-seconds', wholeNumber(1, 3600, 'seconds')],
];

/**
 * `hubops readiness`: will this hub hold an event of N attendees? Reads the hub's values, the user pool,
 * the autoscaler and (given a snapshot) the hub DB, simulates the spawn queue and prints the verdict,
 * each check, the changes that make it fit and a message for users. Exit 0 when it ran (whatever the
 * verdict), 1 when the hub cannot be read, 2 for bad arguments.
 */
export const readiness: Subcommand = async (args, io) => {
  const { options, positional, unknown } = parseArgs(args, {
    values: [
      'kubeconfig',
      'context',
      'namespace',
      'release',
      'attendees',
      'arrival-minutes',
      'profile',
      'snapshot',
      'pool-max',
      'scale-up-minutes',
      'spawn-seconds',
      'markdown',
      'prometheus',
    ],
    switches: ['json'],
  });
  if (unknown.length || positional.length)
    return badArguments(io, 'readiness', `${unknownOptions([...unknown, ...positional])}; ${USAGE}`);
  const value = (name: string) => {
    const v = options.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const numbers: Record<string, number | undefined> = {};
  for (const [name, kind] of numberOptions) {
    const read = numberOption(options, name, kind);
    if (!read.ok) return badArguments(io, 'readiness', read.message);
    numbers[name] = read.value;
  }
  const namespace = value('namespace');
  const attendees = numbers.attendees;
  if (!namespace || attendees === undefined)
    return badArguments(io, 'readiness', `give --namespace and --attendees; ${USAGE}`);
  const [arrival, poolMax, scaleUp, spawn] = ['arrival-minutes', 'pool-max', 'scale-up-minutes', 'spawn-seconds'].map(
    (name) => numbers[name],
  );

  let snapshot: { bytes: Uint8Array; walBytes?: Uint8Array; source: string; wasmPath?: string } | undefined;
  const file = value('snapshot');
  if (file) {
    try {
      const wal = `${file}-wal`;
      const wasmPath = bundledWasm();
      snapshot = {
        bytes: readFileSync(file),
        ...(existsSync(wal) ? { walBytes: readFileSync(wal) } : {}),
        source: `snapshot ${basename(file)}`,
        ...(wasmPath ? { wasmPath } : {}),
      };
    } catch (error) {
      return badArguments(io, 'readiness', `cannot read --snapshot ${quoteArg(file)}: ${oneLine(messageOf(error))}`);
    }
  }

  const chosen = chooseContext('readiness', { kubeconfig: value('kubeconfig'), context: value('context') }, io);
  if (chosen === 1) return 1;
  const { kubeConfig, context } = chosen;
  const overrides = {
    ...(poolMax !== undefined ? { poolMaxNodes: poolMax } : {}),
    ...(scaleUp !== undefined ? { scaleUpSeconds: scaleUp * 60 } : {}),
    ...(spawn !== undefined ? { spawnSeconds: spawn } : {}),
  };
  const release = value('release');
  const profile = value('profile');
  // Spawn and scale-up times from Prometheus: at --prometheus URL (token from HUBOPS_PROMETHEUS_TOKEN), else
  // the one found in the context; without it the check assumes defaults and says why.
  const prometheusUrl = value('prometheus');
  const historySource: SpawnHistorySource = {
    async spawnHistory(hub) {
      const token = process.env[tokenVariable];
      const finding =
        prometheusUrl !== undefined
          ? import('../core/prometheus/source').then(({ connectUrl }) =>
              connectUrl(prometheusUrl, { timeoutMs: 15_000, ...(token ? { bearerToken: token } : {}) }),
            )
          : import('../core/prometheus/discover').then(({ findPrometheus }) =>
              findPrometheus(kubeConfig, context, { timeoutMs: 15_000, namespaces: [hub.namespace] }),
            );
      return spawnHistoryFrom(finding, hub.namespace);
    },
  };
  const read = await readReadinessInputs(kubeConfig, {
    context,
    namespace,
    historySource,
    ...(release ? { release } : {}),
    ...(profile ? { profile } : {}),
    ...(snapshot ? { snapshot } : {}),
    overrides,
  });
  if (!read.ok) {
    io.err(`hubops readiness: ${printable(read.error.userMessage)}\n`);
    return 1;
  }
  const report = evaluateReadiness(read.value, { attendees, arrivalMinutes: arrival ?? 0 });

  const markdown = value('markdown');
  if (markdown) {
    const chart = `${basename(markdown).replace(/\.md$/i, '')}.svg`;
    try {
      writeFileSync(join(dirname(markdown), chart), readinessChartSvg(report));
      writeFileSync(markdown, readinessMarkdown(report, { chartFile: chart }));
    } catch (error) {
      io.err(`hubops readiness: cannot write ${markdown}: ${messageOf(error)}\n`);
      return 1;
    }
  }
  if (options.has('json')) io.out(terminalJson(report) + '\n');
  else io.out(inertText(text(report), 'terminal'));
  return 0;
};

const verdictWord = { ok: 'OK  ', warn: 'WARN', fail: 'FAIL' } as const;
const minutesOrNever = (m: number | null) => (m === null ? 'never' : formatMinutes(m));

function text(r: ReadinessReport): string {
  const out: string[] = [`${verdictWord[r.verdict].trim()}: ${r.headline}`, ''];
  out.push(
    `last server ${minutesOrNever(r.lastServerMinutes)} · ${r.usersSeeing429} see a 429 · peak ${r.peakWaitingForNode} waiting for a node · ${r.served}/${r.plan.attendees} served`,
    '',
    sparkline(r),
    '',
  );
  for (const c of r.checks) out.push(`${verdictWord[c.verdict]}  ${c.name}: ${c.detail}`, `      source: ${c.source}`);
  out.push('', 'Changes that make it fit:');
  if (!r.valuesDiff.changes.length) out.push('  none needed');
  if (r.valuesDiff.diff)
    out.push(
      '',
      ...r.valuesDiff.diff
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
    );
  for (const c of r.valuesDiff.cluster) out.push(`  outside the chart: ${c}`);
  if (r.valuesDiff.changes.length) {
    out.push('');
    out.push(
      table(
        ['CHANGE', 'FROM → TO', 'LAST SERVER', '429s', 'WAITING FOR NODE'],
        r.valuesDiff.changes.map((c) => [
          `${c.key}${c.alternativeTo ? ` (instead of ${c.alternativeTo})` : ''}`,
          `${c.from ?? 'unset'} → ${c.to}`,
          minutesOrNever(c.predicted.lastServerMinutes),
          String(c.predicted.usersSeeing429),
          String(c.predicted.peakWaitingForNode),
        ]),
      )
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
    out.push(
      `  all together: last server ${minutesOrNever(r.valuesDiff.predicted.lastServerMinutes)}, ${r.valuesDiff.predicted.usersSeeing429} see a 429`,
    );
  }
  const m = r.userMessageAfterChanges ?? r.userMessage;
  out.push('', `Message for users (${m.basis}):`, '', `  Before: ${m.before}`, '', `  During: ${m.during}`);
  if (r.assumptions.length) out.push('', 'Assumed:', ...r.assumptions.map((a) => `  - ${a}`));
  if (r.warnings.length) out.push('', 'Partly readable:', ...r.warnings.map((w) => `  - ${w}`));
  return (
    out
      .flatMap((l) => l.split('\n'))
      .map(printable)
      .join('\n') + '\n'
  );
}

/** The running curve in one line of block characters (at most 80), for a terminal. */
function sparkline(r: ReadinessReport): string {
  const blocks = ' ▁▂▃▄▅▆▇█';
  const width = Math.min(80, r.curve.length);
  const points = Array.from(
    { length: width },
    (_, i) => r.curve[Math.round((i * (r.curve.length - 1)) / Math.max(width - 1, 1))]!,
  );
  const line = points.map((p) => blocks[Math.round((p.running / Math.max(r.plan.attendees, 1)) * 8)]).join('');
  return `  running |${line}| 0–${formatMinutes(r.curve.at(-1)?.minute ?? 0)}`;
}
