/**
 * The readiness page's messages between the extension host and its webview: the one module both sides
 * import. The host builds the whole view (figures in words, charts as SVG text from the one chart
 * renderer); the page only renders it and asks for an export or a copy. Every string in the view passed
 * the secret detector in the core; names from the cluster are still untrusted text, and the page treats
 * them so (text nodes only; chart SVG is rebuilt element by element from an allowlist).
 *
 * Imports only ./schema and src/shared: the webview bundle must not pull in host code.
 */

import { arr, lit, messages, nullable, obj, pageProtocol, text, type Infer } from './schema';

export type { Infer, Parsed, Schema } from './schema';

/** The longest text a field may carry; a chart is a few tens of KiB. */
const str = (maxLength = 64 * 1024) => text(maxLength);
const svg = text(1024 * 1024);
const verdict = lit('ok', 'warn', 'fail');

/** One prediction (the hub as it is, or with every suggested change): its figures, chart and message. */
const outcome = obj({
  /** "now" or "with the suggested changes". */
  label: str(200),
  /** The verdict line's figures: the last attendee's minute, how many see a 429, the peak waiting for a node. */
  summary: str(2000),
  /** The same figures as a table: label and value. */
  figures: arr(obj({ label: str(200), value: str(200) }), 12),
  /** The start-up chart for this view (this prediction first, the other to compare). */
  chartSvg: svg,
  /** The message for users, before and during the event. */
  message: obj({ before: str(), during: str(), basis: str(200) }),
});
export type OutcomeView = Infer<typeof outcome>;

const check = obj({ id: str(100), name: str(500), verdict, detail: str(), source: str() });
export type CheckView = Infer<typeof check>;

const change = obj({
  id: str(100),
  key: str(500),
  from: str(500),
  to: str(500),
  why: str(),
  when: nullable(str(500)),
  /** The key of the change this one can replace, when it is an alternative. */
  alternativeTo: nullable(str(500)),
  /** This change alone: the last attendee's minute, the 429s. */
  predicted: str(500),
  chartSvg: svg,
});
export type ChangeView = Infer<typeof change>;

/** Everything the page shows. */
const readinessView = obj({
  /** "hub-classroom in context prod (release …, JupyterHub 5.3.0)". */
  hub: str(2000),
  /** "150 attendees, all at once; profile …; read at …". */
  plan: str(2000),
  verdict,
  headline: str(2000),
  now: outcome,
  /** With every suggested change; null when nothing needs to change. */
  after: nullable(outcome),
  checks: arr(check, 100),
  changes: arr(change, 50),
  /** The z2jh values diff ('' when no values change), and what lies outside the chart. */
  diff: str(),
  cluster: arr(str(2000), 50),
  /** What was assumed because it could not be read, and what was only partly readable. */
  assumptions: arr(str(2000), 100),
  warnings: arr(str(2000), 100),
  /** Where Export proposes to write ('' without a workspace folder). */
  exportName: str(4096),
});
export type ReadinessView = Infer<typeof readinessView>;

// ---------------------------------------------------------------------------------------------------
// Webview → host

const toHostSchemas = {
  /** The page is listening: the host answers with `readiness`. */
  ready: obj({ type: lit('ready') }),
  /** Export as Markdown (with the chart as an SVG file beside it). */
  export: obj({ type: lit('export') }),
  /** Copy the message for users of one view, or the values to merge. */
  copy: obj({ type: lit('copy'), what: lit('message-now', 'message-after', 'values') }),
} as const;

const toHost = messages(toHostSchemas);
export type ToHost = Infer<typeof toHost>;

// ---------------------------------------------------------------------------------------------------
// Host → webview

const toWebviewSchemas = {
  readiness: obj({ type: lit('readiness'), view: readinessView }),
  /** Something for the operator: a copy, an export's path, a failure. */
  notice: obj({ type: lit('notice'), level: lit('info', 'error'), text: str(10_000) }),
} as const;

const toWebview = messages(toWebviewSchemas);
export type ToWebview = Infer<typeof toWebview>;

/** The readiness page's protocol. Whatever failed, the page shows it in its notice line. */
export const readinessPage = pageProtocol<ToHost, ToWebview>('Readiness', toHost, toWebview, (_message, error) => ({
  type: 'notice',
  level: 'error',
  text: error.message,
}));
export const { parseToHost, parseToWebview } = readinessPage;
