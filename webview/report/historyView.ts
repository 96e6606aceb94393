/**
 * The report's history from Prometheus: where it came from, one line per problem, the charts and the alert
 * replay. The charts are SVG text rendered in the host (src/core/chart/timeChart.ts) and rebuilt inert in
 * the page by the one SVG importer (webview/shared/svg.ts); text and axes use `currentColor`, so the charts
 * follow the theme.
 */
import type { ChartView, HistoryView } from '../../src/protocol/reportProtocol';
import { el } from '../shared/dom';
import { importSvg } from '../shared/svg';
import { button } from '../shared/toolkit';

function figure(chart: ChartView): HTMLElement {
  const svg = importSvg(chart.svg, chart.title);
  const box = el('figure', { className: 'chart', attrs: { 'data-chart': chart.chart, 'data-hub': chart.hub } });
  if (svg) box.appendChild(svg);
  else box.appendChild(el('p', { className: 'muted' }, `${chart.title}: the chart could not be shown.`));
  return box;
}

export function historySection(history: HistoryView, reload: () => void): HTMLElement {
  const body: (Node | string | null)[] = [];
  if (history.state === 'loading') body.push(el('p', { className: 'muted' }, 'Asking Prometheus…'));
  for (const line of history.lines) body.push(el('p', { className: 'muted small history-source' }, line));
  if (history.problems.length > 0)
    body.push(
      el(
        'ul',
        { className: 'history-problems' },
        ...history.problems.map((p) => el('li', { className: 'history-problem' }, p)),
      ),
    );
  if (history.summary) body.push(el('p', { className: 'replay-summary' }, history.summary));
  // Timed (User Timing, read by the UI test): rebuilding the host's SVG text as inert DOM, every chart.
  const chartsStart = performance.now();
  body.push(...history.charts.map(figure));
  if (history.charts.length > 0)
    performance.measure('hubops:charts', {
      start: chartsStart,
      detail: { charts: history.charts.length, svgChars: history.charts.reduce((n, c) => n + c.svg.length, 0) },
    });
  if (history.replay.length > 0)
    body.push(
      el(
        'table',
        { className: 'replay' },
        el('caption', {}, 'Alert rules replayed on this incident (hubops alerts, evaluated by Prometheus)'),
        el('thead', {}, el('tr', {}, el('th', {}, 'Alert'), el('th', {}, 'Would have fired'), el('th', {}, ''))),
        el(
          'tbody',
          {},
          ...history.replay.map((r) => el('tr', {}, el('td', {}, r.alert), el('td', {}, r.when), el('td', {}, r.lead))),
        ),
      ),
    );
  return el(
    'section',
    { className: 'report-section history', attrs: { 'aria-label': 'History from Prometheus', id: 'history' } },
    el(
      'header',
      { className: 'section-header' },
      el('h2', {}, 'History from Prometheus'),
      el('span', { className: 'spacer' }),
      history.state === 'loading' ? null : button('Ask Again', reload, { title: 'Ask Prometheus again' }),
    ),
    ...body,
  );
}
