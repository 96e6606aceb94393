import assert from 'node:assert/strict';
import { renderChartSvg, type ChartModel } from '../../../src/core/chart/timeChart';
import type { History } from '../../../src/core/prometheus/history';
import { hubCharts, marksFrom } from '../../../src/core/prometheus/incidentCharts';

const t0 = Date.parse('2026-11-23T01:00:00Z');
const minute = 60_000;
const GiB = 1024 ** 3;

/** Six hours at one minute, as the rebuild returns them for a crash-looping hub and a class start. */
function sixHours(): History {
  const points = Array.from({ length: 361 }, (_, i) => t0 + i * minute);
  return {
    source: 'Prometheus at http://127.0.0.1:9090',
    fromMs: t0,
    toMs: t0 + 360 * minute,
    stepSeconds: 60,
    nodes: points.map((ms, i) => ({ ms, nodes: 5 + Math.floor(i / 120), ready: 5 + Math.floor(i / 120) })),
    hubs: [
      {
        hub: 'hub-physics',
        memory: [
          {
            pod: 'hub-7d9f-abcde',
            points: points
              .filter((_, i) => i % 6 < 2)
              .map((ms, i) => ({ ms, bytes: (i % 2 ? 1.9 : 0.9) * GiB, limitBytes: 2 * GiB })),
          },
        ],
        limits: [{ pod: 'hub-7d9f-abcde', points: points.map((ms) => [ms, 2 * GiB]) }],
        spawns: points.map((ms, i) => ({
          ms,
          success: i % 7,
          throttled: i % 5,
          rejected: 0,
          failure: i % 11 === 0 ? 1 : 0,
          answered429: i % 5,
        })),
        pending: points.map((ms, i) => [ms, i % 64]),
        entries: [],
        problems: [],
      },
    ],
    entries: [],
    problems: [],
  };
}

const allowedTags = new Set(['svg', 'title', 'desc', 'text', 'rect', 'line', 'path', 'g', 'circle']);

describe('charts: SVG without a browser', () => {
  const history = sixHours();
  const marks = marksFrom(
    [
      {
        id: 'n1',
        time: new Date(t0 + 200 * minute).toISOString(),
        kind: 'note',
        hub: null,
        source: 'operator',
        text: '<script>alert(1)</script> & "raised" the limit',
      },
      {
        id: 'k1',
        time: new Date(t0 + 2 * minute).toISOString(),
        kind: 'pod-oomkilled',
        hub: 'hub-physics',
        source: 'prometheus',
        text: 'k',
        pod: 'hub-7d9f-abcde',
        component: 'hub',
      },
      {
        id: 'k2',
        time: new Date(t0 + 9 * minute).toISOString(),
        kind: 'pod-oomkilled',
        hub: 'hub-other',
        source: 'cluster',
        text: 'k',
        pod: 'hub-1-abcde',
        component: 'hub',
      },
    ],
    'hub-physics',
    new Date(t0 + 240 * minute).toISOString(),
  );
  const charts = hubCharts(history, history.hubs[0]!, marks);

  it('draws the four charts of a hub, each with the incident’s marks', () => {
    assert.deepEqual(
      charts.map((c) => c.title),
      [
        'Hub memory vs limit: hub-physics',
        'Spawns by outcome per minute: hub-physics',
        'User pods Pending: hub-physics',
        'Ready nodes',
      ],
    );
    for (const chart of charts) {
      assert.deepEqual(
        chart.marks.map((m) => m.kind).sort(),
        ['note', 'oom', 'start'],
        'the start, the note, and this hub’s OOM kill only',
      );
      const svg = renderChartSvg(chart, { timezone: 'America/New_York' });
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 760 240"/);
      assert.match(svg, />incident start</);
      assert.match(svg, /<title>OOM kill at 2026-11-23T01:02:00\.000Z<\/title>/);
    }
  });

  it('is safe under a strict CSP and in Markdown: no style, no script, no handlers, text escaped', () => {
    for (const chart of charts) {
      const svg = renderChartSvg(chart, { timezone: 'UTC' });
      assert.doesNotMatch(svg, /\sstyle=/i);
      assert.doesNotMatch(svg, /\son[a-z]+=/i);
      assert.doesNotMatch(svg, /<script|javascript:|href=/i);
      for (const [, tag] of svg.matchAll(/<\/?([a-zA-Z]+)/g)) assert.ok(allowedTags.has(tag!), `unexpected <${tag}>`);
      assert.match(svg, /Note: &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;raised&quot; the limit/);
    }
  });

  it('labels time in the report’s timezone, bytes in GiB, and says what it shows in words', () => {
    const svg = renderChartSvg(charts[0]!, { timezone: 'America/New_York' });
    assert.match(svg, />20:00</, '01:00 UTC is 20:00 EST');
    assert.match(svg, />EST</);
    assert.match(svg, />2 GiB</);
    assert.match(
      svg,
      /<desc id="hub-physics-memory-desc">Hub memory vs limit: hub-physics, from 20:00 EST to 02:00 EST\. hub working set: highest 1\.90 GiB at 20:01 EST\. limit: highest 2\.00 GiB at 20:00 EST\. 1 OOM kills marked\.<\/desc>/,
    );
  });

  it('stacks spawns by outcome, one bar per minute, and draws a lone point as a dot', () => {
    const spawns = renderChartSvg(charts[1]!, { timezone: 'UTC' });
    // One path per outcome, one closed rectangle (M…h…V…h…Z) per bar.
    const rects = [...spawns.matchAll(/M[\d.]+,[\d.]+h[\d.]+V[\d.]+h-[\d.]+Z/g)].length;
    const nonZero = history.hubs[0]!.spawns.reduce(
      (n, s) => n + [s.success, s.throttled, s.failure].filter((v) => v > 0).length,
      0,
    );
    assert.equal(rects, nonZero);
    const lone: ChartModel = {
      id: 'lone',
      title: 'one sample',
      unit: 'bytes',
      fromMs: t0,
      toMs: t0 + 10 * minute,
      series: [{ label: 'hub working set', role: 'memory', kind: 'line', points: [[t0 + 5 * minute, GiB]] }],
      marks: [],
    };
    assert.match(renderChartSvg(lone, { timezone: 'UTC' }), /<circle cx="[\d.]+" cy="[\d.]+" r="2" fill="#0072B2"\/>/);
  });

  it('says so when the window has no data', () => {
    const empty: ChartModel = {
      id: 'e',
      title: 'Spawns',
      unit: 'count',
      fromMs: t0,
      toMs: t0 + minute,
      series: [],
      marks: [],
    };
    assert.match(renderChartSvg(empty, { timezone: 'UTC' }), />No data in this window</);
  });
});
