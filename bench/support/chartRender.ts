/**
 * The report's four charts for six hours at one minute, every series dense (the renderer's worst case),
 * rendered in a fresh process: `icu` is the process's first time-zone conversion (ICU loads its zone data
 * once per process; the extension host has paid it long before a report), `cold` the first render after
 * that, `warm` the median of the next 20. Prints JSON for bench/history.bench.ts.
 */
import { renderChartSvg } from '../../src/core/chart/timeChart';
import type { History } from '../../src/core/prometheus/history';
import { zoned } from '../../src/core/incident/zonedTime';
import { hubCharts } from '../../src/core/prometheus/incidentCharts';
import { median } from './stats';

/** Six hours at one minute with every chart series dense: the worst case for the renderer. */
export function denseSixHours(from: number): History {
  const points = Array.from({ length: 361 }, (_, i) => from + i * 60_000);
  const GiB = 1024 ** 3;
  return {
    source: 'bench',
    fromMs: from,
    toMs: from + 360 * 60_000,
    stepSeconds: 60,
    nodes: points.map((t, i) => ({ ms: t, nodes: 5 + Math.floor(i / 60), ready: 5 + Math.floor(i / 60) })),
    hubs: [
      {
        hub: 'hub-bench',
        memory: [
          {
            pod: 'hub-1-abcde',
            points: points.map((t, i) => ({ ms: t, bytes: (0.5 + (i % 80) / 60) * GiB, limitBytes: 2 * GiB })),
          },
        ],
        limits: [{ pod: 'hub-1-abcde', points: points.map((t) => [t, 2 * GiB]) }],
        spawns: points.map((t, i) => ({
          ms: t,
          success: i % 9,
          throttled: (i * 7) % 13,
          rejected: i % 17 === 0 ? 2 : 0,
          failure: i % 23 === 0 ? 1 : 0,
          answered429: (i * 7) % 13,
        })),
        pending: points.map((t, i) => [t, (i * 3) % 70]),
        entries: [],
        problems: [],
      },
    ],
    entries: [],
    problems: [],
  };
}

function main() {
  const from = Date.parse('2026-11-22T23:00:00Z');
  const history = denseSixHours(from);
  const marks = {
    startMs: from + 6 * 3600_000,
    notes: [{ ms: from + 5 * 3600_000, text: 'raised the limit' }],
    oomKills: Array.from({ length: 48 }, (_, i) => from + 60_000 + i * 380_000),
  };
  const render = () =>
    hubCharts(history, history.hubs[0]!, marks).map((c) => renderChartSvg(c, { timezone: 'America/New_York' }));
  const tz = performance.now();
  zoned(from, 'America/New_York');
  const icu = performance.now() - tz;
  const t0 = performance.now();
  const svg = render();
  const cold = performance.now() - t0;
  const warm: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    render();
    warm.push(performance.now() - t);
  }
  const bytes = svg.reduce((n, s) => n + s.length, 0);
  process.stdout.write(
    JSON.stringify({ icu, cold, warm: median(warm), bytes, minutes: history.hubs[0]!.spawns.length }) + '\n',
  );
}

if (require.main === module) main();
