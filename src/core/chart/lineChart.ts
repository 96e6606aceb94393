/**
 * Line charts as standalone SVG text, for exports (Markdown beside an .svg) and webviews alike. Callers
 * describe the chart (`LineChartSpec`) and hand it to a `ChartRenderer`, so the drawing can be swapped
 * without touching them. No DOM, no dependencies: every text is XML-escaped, nothing is executable.
 */

export interface ChartPoint {
  x: number;
  y: number;
}

export interface ChartSeries {
  label: string;
  points: readonly ChartPoint[];
  /** A dashed line (a second scenario, a secondary quantity). */
  dashed?: boolean;
  /** Draw as steps (the value holds until the next point), as counts over time do. */
  steps?: boolean;
}

export interface ChartMarker {
  x: number;
  label: string;
}

export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  /** Vertical lines with a label (e.g. "last server"). */
  markers?: readonly ChartMarker[];
  width?: number;
  height?: number;
}

export interface ChartRenderer {
  /** The chart as a complete SVG document. */
  render(spec: LineChartSpec): string;
}

const palette = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#57606a'];

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

/** Round tick steps (1, 2, 5 × 10^k) giving about `count` ticks over [0, max]. */
export function niceTicks(max: number, count = 6): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, ''));

/** The project's SVG renderer: axes with round ticks, a legend, optional step lines and markers. */
export const svgLineChart: ChartRenderer = {
  render(spec) {
    const width = spec.width ?? 720;
    const height = spec.height ?? 360;
    const margin = { left: 56, right: 16, top: 40, bottom: 64 };
    const plotW = width - margin.left - margin.right;
    const plotH = height - margin.top - margin.bottom;
    const all = spec.series.flatMap((s) => s.points);
    const xTicks = niceTicks(Math.max(...all.map((p) => p.x), ...(spec.markers ?? []).map((m) => m.x), 1));
    const yTicks = niceTicks(Math.max(...all.map((p) => p.y), 1), 5);
    const xMax = xTicks[xTicks.length - 1]!;
    const yMax = yTicks[yTicks.length - 1]!;
    const X = (x: number) => margin.left + (x / xMax) * plotW;
    const Y = (y: number) => margin.top + plotH - (y / yMax) * plotH;
    const out: string[] = [];
    out.push(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
      `<title>${escapeXml(spec.title)}</title>`,
      `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
      `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(spec.title)}</text>`,
    );
    for (const t of yTicks) {
      const y = Y(t).toFixed(1);
      out.push(
        `<line x1="${margin.left}" y1="${y}" x2="${margin.left + plotW}" y2="${y}" stroke="#d0d7de" stroke-width="1"/>`,
        `<text x="${margin.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${fmt(t)}</text>`,
      );
    }
    for (const t of xTicks) {
      const x = X(t).toFixed(1);
      out.push(
        `<line x1="${x}" y1="${margin.top + plotH}" x2="${x}" y2="${margin.top + plotH + 4}" stroke="#57606a"/>`,
        `<text x="${x}" y="${margin.top + plotH + 16}" text-anchor="middle">${fmt(t)}</text>`,
      );
    }
    out.push(
      `<line x1="${margin.left}" y1="${margin.top + plotH}" x2="${margin.left + plotW}" y2="${margin.top + plotH}" stroke="#57606a"/>`,
      `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotH}" stroke="#57606a"/>`,
      `<text x="${margin.left + plotW / 2}" y="${margin.top + plotH + 34}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
      `<text x="14" y="${margin.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 14 ${margin.top + plotH / 2})">${escapeXml(spec.yLabel)}</text>`,
    );
    spec.series.forEach((series, i) => {
      const color = palette[i % palette.length]!;
      const points: string[] = [];
      series.points.forEach((p, k) => {
        if (series.steps && k > 0) points.push(`${X(p.x).toFixed(1)},${Y(series.points[k - 1]!.y).toFixed(1)}`);
        points.push(`${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`);
      });
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 4"' : ''} points="${points.join(' ')}"/>`,
      );
    });
    (spec.markers ?? []).forEach((m, i) => {
      const x = X(m.x);
      // Labels near an edge grow inwards; a second marker's label sits a line lower.
      const anchor = x < margin.left + 60 ? 'start' : x > width - margin.right - 60 ? 'end' : 'middle';
      out.push(
        `<line x1="${x.toFixed(1)}" y1="${margin.top}" x2="${x.toFixed(1)}" y2="${margin.top + plotH}" stroke="#57606a" stroke-dasharray="2 3"/>`,
        `<text x="${(anchor === 'start' ? x + 4 : anchor === 'end' ? x - 4 : x).toFixed(1)}" y="${margin.top + 12 + i * 14}" text-anchor="${anchor}" fill="#57606a">${escapeXml(m.label)}</text>`,
      );
    });
    let lx = margin.left;
    const ly = height - 14;
    spec.series.forEach((series, i) => {
      const color = palette[i % palette.length]!;
      out.push(
        `<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
        `<text x="${lx + 28}" y="${ly}" dominant-baseline="middle">${escapeXml(series.label)}</text>`,
      );
      lx += 40 + series.label.length * 6.5;
    });
    out.push('</svg>');
    return out.join('\n') + '\n';
  },
};
