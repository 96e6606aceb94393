/**
 * The report's history from Prometheus: where it came from, one line per problem, the charts and the alert
 * replay. The charts are SVG text rendered in the host (src/core/chart/timeChart.ts, d3-scale/d3-shape,
 * presentation attributes only). They are parsed as XML with DOMParser (which runs nothing) and copied
 * into the page element by element through an allow-list: only the drawing elements and attributes the
 * chart uses, no scripts, no `style`, no links, no event handlers, so nothing the CSP forbids is ever
 * inserted and a hostile note in a mark's tooltip stays text. Text and axes use `currentColor`, so the
 * charts follow the theme.
 */
import type { ChartView, HistoryView } from '../../src/protocol/reportProtocol';
import { el } from '../shared/dom';
import { button } from '../shared/toolkit';

const SVG_NS = 'http://www.w3.org/2000/svg';

const allowedElements = new Set(['svg', 'g', 'path', 'line', 'rect', 'circle', 'text', 'tspan', 'title', 'desc']);
const allowedAttributes = new Set([
  'viewBox',
  'width',
  'height',
  'role',
  'aria-labelledby',
  'aria-label',
  'font-family',
  'font-size',
  'font-weight',
  'id',
  'x',
  'y',
  'x1',
  'x2',
  'y1',
  'y2',
  'cx',
  'cy',
  'r',
  'd',
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-opacity',
  'stroke-width',
  'stroke-dasharray',
  'text-anchor',
]);
/** Colours are names, `#hex` or `currentColor`; never `url(…)` (a reference could fetch). */
const safeValue = /^[-#.,\s\w%]*$/;

/** The chart as an SVG element of this document, or null when the text is not an SVG chart. */
export function chartElement(svgText: string): SVGSVGElement | null {
  const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const root = parsed.documentElement;
  if (root.namespaceURI !== SVG_NS || root.localName !== 'svg' || parsed.getElementsByTagName('parsererror').length)
    return null;
  return copy(root) as SVGSVGElement | null;
}

function copy(node: Element): Element | null {
  if (node.namespaceURI !== SVG_NS || !allowedElements.has(node.localName)) return null;
  const out = document.createElementNS(SVG_NS, node.localName);
  for (const attr of Array.from(node.attributes)) {
    if (attr.namespaceURI !== null || !allowedAttributes.has(attr.name) || !safeValue.test(attr.value)) continue;
    out.setAttribute(attr.name, attr.value);
  }
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) out.appendChild(document.createTextNode(child.textContent ?? ''));
    else if (child.nodeType === Node.ELEMENT_NODE) {
      const copied = copy(child as Element);
      if (copied) out.appendChild(copied);
    }
  }
  return out;
}

function figure(chart: ChartView): HTMLElement {
  const svg = chartElement(chart.svg);
  const box = el('figure', { className: 'chart', attrs: { 'data-chart': chart.chart, 'data-hub': chart.hub } });
  if (svg) {
    // Scales with the page; the viewBox keeps the drawing's proportions.
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    box.appendChild(svg);
  } else box.appendChild(el('p', { className: 'muted' }, `${chart.title}: the chart could not be shown.`));
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
  body.push(...history.charts.map(figure));
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
