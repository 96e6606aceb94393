/**
 * The incident report panel's messages between the extension host and its webview: the one module both
 * sides import. Each message is declared once as a runtime schema and its type inferred from it, so what
 * the compiler checks and what the receiver validates cannot drift apart. Both sides validate every
 * message they receive and drop (with the reason) what does not fit: report text carries pod names,
 * event messages and notes, none of which are trusted.
 *
 * Imports only ./schema and src/shared: the webview bundle must not pull in host code.
 */

import { sectionIds } from '../shared/reportSections';
import { arr, bool, lit, messages, nullable, obj, opt, pageProtocol, parseWith, text, type Infer } from './schema';

export type { Infer, Parsed, Schema } from './schema';

/** The longest section or report text a message may carry; anything bigger is a bug or an attack. */
export const MAX_TEXT = 2 * 1024 * 1024;
const str = (maxLength = MAX_TEXT) => text(maxLength);

// ---------------------------------------------------------------------------------------------------
// The report

/** The report's editable sections, in order (src/shared/reportSections.ts). */
const sectionId = lit(...sectionIds);

const section = obj({
  id: sectionId,
  title: str(200),
  /** Markdown the journal drafted. */
  drafted: str(),
  /** The operator's Markdown, or null while they have not changed the draft. */
  edited: nullable(str()),
});
export type ReportSectionView = Infer<typeof section>;

/** Everything the page shows; the host builds it, the page only renders it. */
const reportView = obj({
  /** Which journal this report is of: the page keeps it so a reloaded window can reopen the panel. */
  journalFile: str(4096),
  title: str(2000),
  /** Header facts, in order: Hubs, Severity, Started, Ended, Drafted. */
  facts: arr(obj({ label: str(100), value: str(10_000) }), 20),
  timezone: str(200),
  /** Whether the timeline has a UTC column. */
  utc: bool,
  sections: arr(section, sectionIds.length),
  /** Markdown evidence (analyzer table, Mermaid memory chart); '' when none. */
  evidence: str(),
  /** The journal has changed since the draft: Re-draft would bring it in. */
  stale: bool,
  /** Where Export writes, relative to the workspace folder ('' when no folder is open). */
  exportPath: str(4096),
  /** The short form (editable sections) or 2i2c's postmortem shape. */
  template: lit('short', 'postmortem'),
  /** The postmortem drafted from the journal, as Markdown ('' with the short form). */
  postmortem: str(),
});
export type ReportView = Infer<typeof reportView>;

// ---------------------------------------------------------------------------------------------------
// History from Prometheus

/** One chart: SVG text rendered by the host (src/core/chart/timeChart.ts); the page parses and checks it. */
const chart = obj({ hub: str(300), chart: str(50), title: str(500), svg: str() });
export type ChartView = Infer<typeof chart>;

/** What Prometheus adds to the report; sent after the report, when it has been asked. */
const historyView = obj({
  /** `loading` while asking; `ready` with charts; `unavailable` when no context gave history. */
  state: lit('loading', 'ready', 'unavailable'),
  /** Where it came from, then one line per problem (no Prometheus, 403, missing series). */
  lines: arr(str(2000), 100),
  problems: arr(str(2000), 100),
  charts: arr(chart, 200),
  /** "The hub-restart rule would have fired at 01:02; the incident was noticed at 05:00." */
  summary: str(4000),
  /** Each rule replayed: when it would have fired, and how long before or after the incident's start. */
  replay: arr(obj({ alert: str(200), when: str(1000), lead: str(200) }), 100),
});
export type HistoryView = Infer<typeof historyView>;

// ---------------------------------------------------------------------------------------------------
// Webview → host

const toHostSchemas = {
  /** The page is listening: the host answers with `report`. */
  ready: obj({ type: lit('ready') }),
  /** The operator's text for a section (the page debounces typing); the host saves it at once. */
  edit: obj({ type: lit('edit'), section: sectionId, text: str() }),
  /** Throw away the operator's text for a section and use the draft. */
  revert: obj({ type: lit('revert'), section: sectionId }),
  /** Draft again from the journal; edited sections are kept unless the operator says otherwise. */
  redraft: obj({ type: lit('redraft') }),
  setUtc: obj({ type: lit('setUtc'), utc: bool }),
  setTemplate: obj({ type: lit('setTemplate'), template: lit('short', 'postmortem') }),
  export: obj({ type: lit('export') }),
  copyMarkdown: obj({ type: lit('copyMarkdown') }),
  /** The action items as a GitHub issue body (2i2c's postmortem shape), to the clipboard. */
  copyActionItems: obj({ type: lit('copyActionItems') }),
  /** Ask Prometheus again (after a failure, or for newer history). */
  reloadHistory: obj({ type: lit('reloadHistory') }),
} as const;

const toHost = messages(toHostSchemas);
export type ToHost = Infer<typeof toHost>;
export type ToHostOf<K extends ToHost['type']> = Extract<ToHost, { type: K }>;

// ---------------------------------------------------------------------------------------------------
// Host → webview

const toWebviewSchemas = {
  report: obj({ type: lit('report'), report: reportView }),
  /** A section's edit is on disk. */
  saved: obj({ type: lit('saved'), section: sectionId, edited: nullable(str()) }),
  /** Another section's edit changed what this one shows (the Summary, once the Resolution is written). */
  section: obj({ type: lit('section'), section }),
  /** The journal changed (or a re-draft caught up with it). */
  stale: obj({ type: lit('stale'), stale: bool }),
  history: obj({ type: lit('history'), history: historyView }),
  /** Something for the operator: the export's path, a copy, a failure. */
  notice: obj({ type: lit('notice'), level: lit('info', 'error'), text: str(10_000), path: opt(str(4096)) }),
} as const;

const toWebview = messages(toWebviewSchemas);
export type ToWebview = Infer<typeof toWebview>;
export type ToWebviewOf<K extends ToWebview['type']> = Extract<ToWebview, { type: K }>;

/** The report page's protocol. Whatever failed, the page shows it in its notice line. */
export const reportPage = pageProtocol<ToHost, ToWebview>('Incident report', toHost, toWebview, (_message, error) => ({
  type: 'notice',
  level: 'error',
  text: error.message,
}));
/** Validate a message each side received (the host's from the webview, the webview's from the host). */
export const { parseToHost, parseToWebview } = reportPage;

/** What the page keeps in VS Code's webview state (getState/setState) across hiding and reloads. */
const pageState = obj({
  journalFile: str(4096),
  /** Sections open for editing. */
  editing: arr(sectionId, sectionIds.length),
  /** Typed text the host has not confirmed yet: sent again after a reload. */
  unsaved: arr(obj({ section: sectionId, text: str() }), sectionIds.length),
});
export type ReportPageState = Infer<typeof pageState>;
/** Validates webview state (written by an older page, or restored by VS Code into a new panel). */
export const parsePageState = (value: unknown) => parseWith<ReportPageState>(pageState, value);
