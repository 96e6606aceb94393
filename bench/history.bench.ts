/**
 * History from Prometheus, timed against the real Prometheus (Debian's 2.42) on the OOM night's history:
 *  - backfilling 6 h for one hub (every query_range of the rebuild, the entries, the collapse), against
 *    `curl` fetching the very same query_range URLs with the same concurrency (4): the ratio is what the
 *    client adds over the server's own answer time (target: ≤ 2 s in all);
 *  - the report's charts for 6 h at 1-minute resolution rendered to SVG without a browser (target ≤ 100 ms),
 *    cold (first render in this process) and warm, beside `node -e 0` (a process start) as a yardstick.
 * Figures only: these machines are shared and noisy.
 *   npx tsx bench/history.bench.ts [--runs 5]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderChartSvg } from '../src/core/chart/timeChart';
import { PrometheusClient } from '../src/core/prometheus/client';
import { collapseHistory, defaultLookbackMs, rebuildHistory, type History } from '../src/core/prometheus/history';
import { hubCharts, marksFrom } from '../src/core/prometheus/incidentCharts';
import { urlTransport, type PrometheusTransport } from '../src/core/prometheus/transport';
import { runScript } from '../test/harness/processes';
import { incidentNight, loadHistories } from '../test/prometheus/histories';
import { median } from './support/stats';

const run = promisify(execFile);
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || fallback : fallback;
};
const runs = arg('--runs', 5);
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;

/** A transport that records every URL it asks for, so curl can ask for exactly the same. */
function recording(inner: PrometheusTransport, base: string, urls: string[]): PrometheusTransport {
  return {
    where: inner.where,
    get(path, params, signal) {
      urls.push(`${base}${path}?${params.toString()}`);
      return inner.get(path, params, signal);
    },
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'hubops-bench-history-'));
  try {
    const t0 = performance.now();
    const loaded = await loadHistories(dir, [incidentNight]);
    console.log(
      `history: ${incidentNight.name} (5 h, OOM loop + healthy hub) loaded by promtool and served in ${ms(performance.now() - t0)}`,
    );
    const url = loaded.prometheus.url;
    const noticed = incidentNight.start.getTime() + 4 * 3600_000;
    const window = { fromMs: noticed - defaultLookbackMs, toMs: noticed };

    // ---- backfill 6 h for one hub vs curl on the same query_range calls ---------------------------------
    const transport = urlTransport(url);
    if (!transport.ok) throw new Error(transport.error.message);
    const rebuildTimes: number[] = [];
    let urls: string[] = [];
    let entries = 0;
    let lines = 0;
    let history: History | undefined;
    for (let i = 0; i < runs; i++) {
      urls = [];
      const client = new PrometheusClient(recording(transport.value, url, urls));
      const start = performance.now();
      const rebuilt = await rebuildHistory(client, ['hub-physics'], window);
      if (!rebuilt.ok) throw new Error(rebuilt.error.message);
      lines = collapseHistory(rebuilt.value.entries).length;
      rebuildTimes.push(performance.now() - start);
      entries = rebuilt.value.entries.length;
      history = rebuilt.value;
    }
    const curlTimes: number[] = [];
    const curlTransfers: number[] = [];
    const list = join(dir, 'urls.txt');
    writeFileSync(list, urls.map((u) => `url = "${u}"\noutput = "/dev/null"\n`).join(''));
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const { stdout } = await run('curl', [
        '--silent',
        '--fail',
        '--parallel',
        '--parallel-max',
        '4',
        '--write-out',
        '%{time_total}\\n',
        '--config',
        list,
      ]);
      curlTimes.push(performance.now() - start);
      // The transfers ran 4 at a time: their longest is a floor under the wall time, without curl's start-up.
      curlTransfers.push(Math.max(...stdout.trim().split('\n').map(Number)) * 1000);
    }
    const rebuild = median(rebuildTimes);
    const curl = median(curlTimes);
    console.log(
      `backfill 6 h of hub-physics (${urls.length} query_range calls at 1m, ${entries} entries, ${lines} lines after collapsing): ` +
        `${ms(rebuild)} median of ${runs} (first, cold: ${ms(rebuildTimes[0]!)}) vs curl on the same calls, 4 at a time: ${ms(curl)} ` +
        `with its process start, longest transfer ${ms(median(curlTransfers))} (${(rebuild / curl).toFixed(2)}× curl); target ≤ 2000 ms: ${rebuild <= 2000 && rebuildTimes[0]! <= 2000 ? 'met' : 'NOT met'}`,
    );

    // ---- charts: 6 h at 1 minute, in a fresh process (cold = the first render of the process) -------------
    const renders: { icu: number; cold: number; warm: number; bytes: number; minutes: number }[] = [];
    for (let i = 0; i < runs; i++) {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', join(__dirname, 'support/chartRender.ts')]);
      renders.push(JSON.parse(stdout) as (typeof renders)[number]);
    }
    const realTimes: number[] = [];
    const marks = marksFrom(history!.entries, 'hub-physics', new Date(noticed).toISOString());
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      for (const c of hubCharts(history!, history!.hubs[0]!, marks))
        renderChartSvg(c, { timezone: 'America/New_York' });
      realTimes.push(performance.now() - start);
    }
    const nodeTimes: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await run(process.execPath, ['-e', '0']);
      nodeTimes.push(performance.now() - start);
    }
    const cold = median(renders.map((r) => r.cold));
    const warm = median(renders.map((r) => r.warm));
    const node = median(nodeTimes);
    console.log(
      `charts, 6 h at 1 min (4 charts, every series dense: ${renders[0]!.minutes} minutes, stacked bars, 48 OOM marks; ${(renders[0]!.bytes / 1024).toFixed(0)} KiB of SVG), in a fresh process: ` +
        `first render ${ms(cold)}, then ${ms(warm)} (medians of ${runs} processes; ICU's time-zone data, loaded once per process before that: ${ms(median(renders.map((r) => r.icu)))}); the OOM night's real history ${ms(median(realTimes))}; ` +
        `node -e 0 ${ms(node)} (first render ${(cold / node).toFixed(2)}× a process start); target ≤ 100 ms: ${cold <= 100 ? 'met' : 'NOT met'}`,
    );
    await loaded.prometheus.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runScript(main);
