/**
 * Charts arrive as SVG text from the host's one chart renderer (src/core/chart/timeChart.ts). The page
 * never inserts that text as markup: it parses it as XML (an SVG document that is only parsed runs
 * nothing), then rebuilds it element by element with createElementNS, keeping only the elements and
 * presentation attributes the renderer writes, and every text as a text node. Anything else (a script,
 * an event handler, a link, a style, a foreign object) is dropped, so a chart is inert whatever it holds.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

const ELEMENTS = new Set(['svg', 'g', 'path', 'line', 'rect', 'circle', 'text', 'title', 'desc']);

const ATTRIBUTES = new Set([
  'viewBox',
  'width',
  'height',
  'role',
  'aria-labelledby',
  'id',
  'font-family',
  'font-size',
  'font-weight',
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
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'text-anchor',
  'dominant-baseline',
  'transform',
]);

/** Paint only as the renderer writes it: a hex colour, currentColor or none (never url(…)). */
const PAINT = /^(#[0-9A-Fa-f]{3,8}|currentColor|none)$/;
const PAINTED = new Set(['fill', 'stroke']);

/** The chart as inert SVG elements; null when the text is not an SVG document. */
export function importSvg(text: string, label: string): SVGSVGElement | null {
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = parsed.documentElement;
  if (root.namespaceURI !== SVG_NS || root.localName !== 'svg' || parsed.querySelector('parsererror')) return null;
  const svg = copy(root) as SVGSVGElement;
  // The page sizes it (CSS): the drawing scales with the panel.
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  svg.setAttribute('aria-label', label);
  return svg;
}

function copy(source: Element): Element {
  const target = document.createElementNS(SVG_NS, source.localName);
  for (const attribute of Array.from(source.attributes)) {
    if (attribute.namespaceURI !== null || !ATTRIBUTES.has(attribute.name)) continue;
    if (PAINTED.has(attribute.name) && !PAINT.test(attribute.value)) continue;
    target.setAttribute(attribute.name, attribute.value);
  }
  for (const child of Array.from(source.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) target.appendChild(document.createTextNode(child.textContent ?? ''));
    else if (child instanceof Element && child.namespaceURI === SVG_NS && ELEMENTS.has(child.localName))
      target.appendChild(copy(child));
  }
  return target;
}
