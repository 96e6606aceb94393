/**
 * The one chart renderer: series over time as SVG text, without a browser. Time on x is either the clock
 * (Prometheus history: an incident's hours, in the report's timezone) or minutes from a start (the
 * readiness check's start-up curve); lines, steps, stacked bars, areas and marks. The same markup goes
 * into exported reports (SVG files beside the Markdown) and into the webviews. d3-scale computes the scales and nice ticks, d3-shape
 * the line, step and area paths (bars are stacked here: a running sum); the SVG is written here as text with presentation attributes only (no `style`, no script, no
 * event handlers), so it renders under a strict Content-Security-Policy and in GitHub's Markdown. Colours
 * are the Okabe–Ito palette (distinguishable with colour blindness); text and axes use `currentColor`, so
 * an inline chart follows the page's theme.
 */
import { scaleLinear, scaleUtc } from 'd3-scale';
import { area, curveLinear, curveStepAfter, line } from 'd3-shape';
import { zoned, zoneAbbreviation } from '../incident/zonedTime';

/** XML-escapes text for an SVG text node or attribute, dropping characters XML cannot hold. */
export function escapeXml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
  );
}

export type SeriesRole =
  | 'memory'
  | 'limit'
  | 'success'
  | 'throttled'
  | 'rejected'
  | 'failure'
  | 'answered429'
  | 'pending'
  | 'ready'
  | 'nodes'
  /** The readiness check: attendees with a server now and with the suggested changes, attendees waiting. */
  | 'runningNow'
  | 'runningChanged'
  | 'waiting';

export interface ChartSeries {
  label: string;
  role: SeriesRole;
  /** `line` joins points (a gap longer than `gapMs` breaks it), `step` holds each value until the next, `area` fills under a step, `bars` stack per point. */
  kind: 'line' | 'step' | 'area' | 'bars';
  points: readonly (readonly [ms: number, value: number])[];
  dashed?: boolean;
}

/** `milestone`: a labelled moment of the chart's own story (the minute the last attendee has a server). */
export type MarkKind = 'start' | 'note' | 'oom' | 'alert' | 'milestone';

export interface ChartMark {
  ms: number;
  kind: MarkKind;
  /** Shown as a tooltip (`<title>`); start and alert marks also get a short label. */
  label: string;
}

export interface ChartModel {
  /** Used for ids inside the SVG and for file names. */
  id: string;
  title: string;
  unit: 'bytes' | 'count';
  /**
   * What x is: `clock` (default) times in ms since the epoch, labelled in the render's timezone; `minutes`
   * ms from a start, labelled in minutes (fromMs is then usually 0).
   */
  axis?: 'clock' | 'minutes';
  fromMs: number;
  toMs: number;
  series: ChartSeries[];
  marks: ChartMark[];
  /** Points further apart than this break a line (a pod that was gone). Default: 3 steps of the data. */
  gapMs?: number;
  /** Width of one bar (the data's step). */
  barMs?: number;
}

export interface RenderOptions {
  /** IANA timezone for a clock axis (a minutes axis has none). */
  timezone: string;
  width?: number;
  height?: number;
}

const colours: Record<SeriesRole, string> = {
  memory: '#0072B2',
  limit: '#D55E00',
  success: '#009E73',
  throttled: '#E69F00',
  rejected: '#CC79A7',
  failure: '#D55E00',
  answered429: '#56B4E9',
  pending: '#56B4E9',
  ready: '#0072B2',
  nodes: '#999999',
  runningNow: '#0072B2',
  runningChanged: '#009E73',
  waiting: '#E69F00',
};
const markColours: Record<MarkKind, string> = {
  start: 'currentColor',
  note: '#CC79A7',
  oom: '#D55E00',
  alert: '#E69F00',
  milestone: 'currentColor',
};

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** How the y axis counts: bytes in GiB or MiB (binary, as Kubernetes limits are), counts as they are. */
function yUnit(unit: ChartModel['unit'], max: number): { divisor: number; suffix: string } {
  if (unit === 'count') return { divisor: 1, suffix: '' };
  return max >= GiB ? { divisor: GiB, suffix: ' GiB' } : { divisor: MiB, suffix: ' MiB' };
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Renders one chart as a standalone SVG document (also valid inline in HTML). */
export function renderChartSvg(chart: ChartModel, options: RenderOptions): string {
  const width = options.width ?? 760;
  const height = options.height ?? 240;
  const margin = { top: 34, right: 16, bottom: 30, left: 62 };
  // The legend sits right-aligned on the title's line, or on a line of its own below a long title.
  const legendSeries = chart.series.filter((s, i) => chart.series.findIndex((t) => t.label === s.label) === i);
  const legendWidth = legendSeries.reduce((w, s) => w + 18 + s.label.length * 6, 0);
  const legendBelow = margin.left + chart.title.length * 7.5 + 12 > width - margin.right - legendWidth;
  if (legendBelow) margin.top += 16;
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const id = chart.id.replace(/[^A-Za-z0-9_-]/g, '-');
  // scaleUtc for nice time ticks; the same mapping on plain numbers for the thousands of points.
  const xNumeric = scaleLinear()
    .domain([chart.fromMs, chart.toMs])
    .range([margin.left, margin.left + plotW]);
  const xs = (ms: number) => round(xNumeric(ms));

  // The y extent: bars stack, the rest stand alone.
  const bars = chart.series.filter((s) => s.kind === 'bars');
  const stacked = stackBars(bars);
  const maxStack = Math.max(0, ...stacked.flatMap((layer) => layer.map((d) => d[2])));
  const maxOther = Math.max(
    0,
    ...chart.series.filter((s) => s.kind !== 'bars').flatMap((s) => s.points.map((p) => p[1])),
  );
  const max = Math.max(maxStack, maxOther);
  const { divisor, suffix } = yUnit(chart.unit, max);
  const y = scaleLinear()
    .domain([0, Math.max(max / divisor, chart.unit === 'count' ? 4 : 1) * 1.05])
    .nice()
    .range([margin.top + plotH, margin.top]);
  const yBytes = scaleLinear()
    .domain(y.domain().map((d) => d * divisor))
    .range(y.range());
  const ys = (v: number) => round(yBytes(v));

  const out: string[] = [];
  const title = escapeXml(chart.title);
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="11">`,
    `<title id="${id}-title">${title}</title>`,
    `<desc id="${id}-desc">${escapeXml(describe(chart, options.timezone))}</desc>`,
    `<text x="${margin.left}" y="14" font-size="13" font-weight="600" fill="currentColor">${title}</text>`,
  );

  let lx = width - margin.right;
  const ly = legendBelow ? 22 : 6;
  const legend: string[] = [];
  for (const s of [...legendSeries].reverse()) {
    lx -= 24 + Math.ceil(s.label.length * labelCharPx);
    legend.push(
      `<rect x="${lx}" y="${ly}" width="10" height="10" fill="${colours[s.role]}"${s.kind === 'line' || s.kind === 'step' ? ' fill-opacity="0.9"' : ''}/>`,
      `<text x="${lx + 13}" y="${ly + 9}" fill="currentColor">${escapeXml(s.label)}</text>`,
    );
  }
  out.push(...legend.reverse());

  // Grid and axes.
  for (const tick of y.ticks(4)) {
    const ty = round(y(tick));
    out.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${ty}" y2="${ty}" stroke="currentColor" stroke-opacity="0.12"/>`,
      `<text x="${margin.left - 6}" y="${ty + 3.5}" text-anchor="end" fill="currentColor" fill-opacity="0.8">${escapeXml(formatTick(tick, suffix))}</text>`,
    );
  }
  for (const tick of xTicks(chart, options.timezone, plotW)) {
    const tx = xs(tick.ms);
    out.push(
      `<line x1="${tx}" x2="${tx}" y1="${margin.top + plotH}" y2="${margin.top + plotH + 4}" stroke="currentColor" stroke-opacity="0.5"/>`,
      `<text x="${tx}" y="${margin.top + plotH + 16}" text-anchor="middle" fill="currentColor" fill-opacity="0.8">${escapeXml(tick.label)}</text>`,
    );
  }
  const axisNote = chart.axis === 'minutes' ? 'minutes from the start' : zoneAbbreviation(chart.toMs, options.timezone);
  out.push(
    `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" stroke="currentColor" stroke-opacity="0.5"/>`,
    `<text x="${margin.left + plotW}" y="${height - 2}" text-anchor="end" fill="currentColor" fill-opacity="0.6">${escapeXml(axisNote)}</text>`,
  );

  const hasData = chart.series.some((s) => s.points.length > 0);
  if (!hasData)
    out.push(
      `<text x="${margin.left + plotW / 2}" y="${margin.top + plotH / 2}" text-anchor="middle" fill="currentColor" fill-opacity="0.6">No data in this window</text>`,
    );

  // Bars, stacked per point: one path per series (a rectangle per bar as a subpath), not an element per bar.
  const barMs = chart.barMs ?? 60_000;
  const barW = Math.max(0.6, round(xs(chart.fromMs + barMs) - xs(chart.fromMs) - 0.4));
  stacked.forEach((layer, i) => {
    const s = bars[i]!;
    const d: string[] = [];
    for (const [ms, y0, y1] of layer) {
      if (y1 <= y0) continue;
      const top = ys(y1);
      d.push(`M${xs(ms)},${top}h${barW}V${ys(y0)}h${-barW}Z`);
    }
    if (d.length) out.push(`<path d="${d.join('')}" fill="${colours[s.role]}"/>`);
  });

  // Areas, steps and lines, broken at gaps.
  const gapMs = chart.gapMs ?? barMs * 3;
  for (const s of chart.series) {
    if (s.kind === 'bars') continue;
    const colour = colours[s.role];
    const dash = s.dashed ? ' stroke-dasharray="5 3"' : '';
    for (const run of runs(s.points, gapMs)) {
      if (run.length === 1 && s.kind !== 'area') {
        // A lone point (a crash-looping container scraped once per run) is a dot, not an empty path.
        out.push(`<circle cx="${xs(run[0]![0])}" cy="${ys(run[0]![1])}" r="2" fill="${colour}"/>`);
        continue;
      }
      if (s.kind === 'area') {
        const d = area<readonly [number, number]>()
          .x((p) => xs(p[0]))
          .y0(ys(0))
          .y1((p) => ys(p[1]))
          .curve(curveStepAfter)
          .digits(null)(run);
        if (d) out.push(`<path d="${d}" fill="${colour}" fill-opacity="0.35" stroke="${colour}" stroke-width="1.2"/>`);
      } else {
        const d = line<readonly [number, number]>()
          .x((p) => xs(p[0]))
          .y((p) => ys(p[1]))
          .curve(s.kind === 'step' ? curveStepAfter : curveLinear)
          .digits(null)(run);
        if (d) out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.6"${dash}/>`);
      }
    }
  }

  // Marks: the incident's start, notes, OOM kills, alerts, milestones.
  let milestones = 0;
  const labels: { mx: number; text: string }[] = [];
  for (const m of chart.marks) {
    if (m.ms < chart.fromMs || m.ms > chart.toMs) continue;
    const mx = xs(m.ms);
    const colour = markColours[m.kind];
    const tip = `<title>${escapeXml(m.label)}</title>`;
    if (m.kind === 'oom') {
      out.push(
        `<path d="M${mx},${margin.top + 7}l-4,-7h8z" fill="${colour}">${tip}</path>`,
        `<line x1="${mx}" x2="${mx}" y1="${margin.top + 7}" y2="${margin.top + plotH}" stroke="${colour}" stroke-opacity="0.25"/>`,
      );
    } else if (m.kind === 'milestone') {
      // Its label in full, a line lower than the one before; it grows leftwards near the right edge.
      const y = margin.top + 11 + 13 * milestones++;
      const leftwards = mx > margin.left + plotW * 0.6;
      out.push(
        `<g><line x1="${mx}" x2="${mx}" y1="${margin.top - 4}" y2="${margin.top + plotH}" stroke="${colour}" stroke-opacity="0.7" stroke-dasharray="2 3"/>${tip}</g>`,
        `<text x="${leftwards ? mx - 4 : mx + 4}" y="${y}"${leftwards ? ' text-anchor="end"' : ''} fill="currentColor" fill-opacity="0.85">${escapeXml(m.label.slice(0, 60))}</text>`,
      );
    } else {
      const dash = m.kind === 'start' ? '' : ' stroke-dasharray="3 3"';
      out.push(
        `<g><line x1="${mx}" x2="${mx}" y1="${margin.top - 4}" y2="${margin.top + plotH}" stroke="${colour}" stroke-width="1.2"${dash}/>${tip}</g>`,
      );
      if (m.kind === 'start' || m.kind === 'alert')
        labels.push({ mx, text: (m.kind === 'start' ? 'incident start' : m.label.split(':')[0]!).slice(0, 40) });
    }
  }
  out.push(...markLabels(labels, margin.left, margin.left + plotW, margin.top + 19));
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** An average character's width at the chart's 11 px font, for laying out text without a browser. */
const labelCharPx = 6.4;
/** Mark labels stack in up to this many rows; a label that fits in none keeps only its tooltip. */
const labelRows = 3;

/**
 * Mark labels that neither overlap one another nor run out of the plot: each goes right of its line, or
 * left of it (anchored at its end) near the right edge, in the first row where it has room.
 */
function markLabels(labels: { mx: number; text: string }[], left: number, right: number, top: number): string[] {
  const taken: [number, number][][] = Array.from({ length: labelRows }, () => []);
  const out: string[] = [];
  for (const { mx, text } of [...labels].sort((a, b) => a.mx - b.mx)) {
    const w = Math.ceil(text.length * labelCharPx);
    const toEnd = mx + 3 + w > right;
    const x0 = toEnd ? mx - 3 - w : mx + 3;
    if (x0 < left - 40) continue;
    const row = taken.findIndex((spans) => spans.every(([a, b]) => x0 + w + 4 <= a || x0 >= b + 4));
    if (row < 0) continue;
    taken[row]!.push([x0, x0 + w]);
    out.push(
      `<text x="${toEnd ? mx - 3 : mx + 3}" y="${top + row * 13}"${toEnd ? ' text-anchor="end"' : ''} fill="currentColor" fill-opacity="0.85">${escapeXml(text)}</text>`,
    );
  }
  return out;
}

/** Stacks bar series per time: for each series, [ms, bottom, top] of each of its bars, in series order. */
function stackBars(bars: readonly ChartSeries[]): [ms: number, y0: number, y1: number][][] {
  const base = new Map<number, number>();
  return bars.map((s) =>
    s.points.map(([ms, v]) => {
      const y0 = base.get(ms) ?? 0;
      const y1 = y0 + Math.max(0, v);
      base.set(ms, y1);
      return [ms, y0, y1] as [number, number, number];
    }),
  );
}

/** Splits points where they are further apart than `gapMs`. */
function runs(points: ChartSeries['points'], gapMs: number): (readonly [number, number])[][] {
  const out: (readonly [number, number])[][] = [];
  let current: (readonly [number, number])[] = [];
  let previous = -Infinity;
  const sorted = points.every((p, i) => i === 0 || p[0] >= points[i - 1]![0]);
  for (const p of sorted ? points : [...points].sort((a, b) => a[0] - b[0])) {
    if (p[0] - previous > gapMs && current.length) {
      out.push(current);
      current = [];
    }
    current.push(p);
    previous = p[0];
  }
  if (current.length) out.push(current);
  return out;
}

/** Where the x ticks go and what they say: round clock times, or round minutes from the start. */
function xTicks(chart: ChartModel, timezone: string, plotW: number): { ms: number; label: string }[] {
  const count = Math.max(2, Math.floor(plotW / 90));
  if (chart.axis === 'minutes') {
    const minutes = scaleLinear().domain([chart.fromMs / 60_000, chart.toMs / 60_000]);
    return minutes.ticks(count).map((m) => ({ ms: m * 60_000, label: formatMinuteTick(m) }));
  }
  const x = scaleUtc().domain([new Date(chart.fromMs), new Date(chart.toMs)]);
  const multiDay = zoned(chart.fromMs, timezone).date !== zoned(chart.toMs, timezone).date;
  return x.ticks(count).map((tick) => {
    const z = zoned(tick.getTime(), timezone);
    return { ms: tick.getTime(), label: multiDay && z.time === '00:00' ? z.date.slice(5) : z.time };
  });
}

/** 0, 30 s, 1, 1.5, 10 … (minutes; under one minute in seconds). */
function formatMinuteTick(minutes: number): string {
  if (minutes > 0 && minutes < 1) return `${Math.round(minutes * 60)} s`;
  return Number.isInteger(minutes) ? String(minutes) : String(Math.round(minutes * 100) / 100);
}

function formatTick(value: number, suffix: string): string {
  const text = Number.isInteger(value) ? String(value) : value.toFixed(value < 1 ? 2 : 1).replace(/0$/, '');
  return `${text}${suffix}`;
}

/** The chart in words, for screen readers (and as a check that the chart says what it shows). */
function describe(chart: ChartModel, timezone: string): string {
  const at = (ms: number) =>
    chart.axis === 'minutes'
      ? `minute ${formatMinuteTick(ms / 60_000)}`
      : `${zoned(ms, timezone).time} ${zoneAbbreviation(ms, timezone)}`;
  const parts = [`${chart.title}, from ${at(chart.fromMs)} to ${at(chart.toMs)}.`];
  for (const s of chart.series) {
    if (s.points.length === 0) continue;
    const peak = s.points.reduce((a, b) => (b[1] > a[1] ? b : a));
    const { divisor, suffix } = yUnit(chart.unit, peak[1]);
    const value = chart.unit === 'bytes' ? (peak[1] / divisor).toFixed(2) : String(Math.round(peak[1]));
    parts.push(`${s.label}: highest ${value}${suffix} at ${at(peak[0])}.`);
  }
  const ooms = chart.marks.filter((m) => m.kind === 'oom').length;
  if (ooms) parts.push(`${ooms} OOM kills marked.`);
  return parts.join(' ');
}
