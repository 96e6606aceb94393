/**
 * The incident report panel's messages between the extension host and its webview: the one module both
 * sides import. Each message is declared once as a runtime schema and its type inferred from it, so what
 * the compiler checks and what the receiver validates cannot drift apart. Both sides validate every
 * message they receive and drop (with the reason) what does not fit: report text carries pod names,
 * event messages and notes, none of which are trusted.
 *
 * Imports nothing at runtime: the webview bundle must not pull in host code.
 */

// ---------------------------------------------------------------------------------------------------
// Schema combinators (the few these messages need)

type Check = (value: unknown, path: string) => string | undefined;

export interface Schema<T> {
  readonly check: Check;
  /** Phantom: carries the inferred type, never set at runtime. */
  readonly type?: T;
}
interface OptionalSchema<T> extends Schema<T> {
  readonly optional: true;
}
export type Infer<S> = S extends Schema<infer T> ? T : never;

const schema = <T>(check: Check): Schema<T> => ({ check });
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The longest section or report text a message may carry; anything bigger is a bug or an attack. */
export const MAX_TEXT = 2 * 1024 * 1024;

const str = (maxLength = MAX_TEXT): Schema<string> =>
  schema((v, p) =>
    typeof v !== 'string' ? `${p} is not a string` : v.length > maxLength ? `${p} is too long` : undefined,
  );
const bool: Schema<boolean> = schema((v, p) => (typeof v !== 'boolean' ? `${p} is not a boolean` : undefined));
const lit = <const T extends string>(...values: T[]): Schema<T> =>
  schema((v, p) =>
    typeof v === 'string' && (values as string[]).includes(v) ? undefined : `${p} is not one of ${values.join('|')}`,
  );
const nullable = <T>(inner: Schema<T>): Schema<T | null> =>
  schema((v, p) => (v === null ? undefined : inner.check(v, p)));
const opt = <T>(inner: Schema<T>): OptionalSchema<T> => ({
  optional: true,
  check: (v, p) => (v === undefined ? undefined : inner.check(v, p)),
});
const arr = <T>(item: Schema<T>, maxItems: number): Schema<T[]> =>
  schema((v, p) => {
    if (!Array.isArray(v)) return `${p} is not an array`;
    if (v.length > maxItems) return `${p} has too many items`;
    for (let i = 0; i < v.length; i++) {
      const problem = item.check(v[i], `${p}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  });

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never }[keyof S];
type Flatten<T> = { [K in keyof T]: T[K] };
type ObjectOf<S extends Shape> = Flatten<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

/** A plain object with exactly these keys: an unknown key is rejected, so nothing rides along unchecked. */
const obj = <S extends Shape>(shape: S): Schema<ObjectOf<S>> =>
  schema((v, p) => {
    if (!isRecord(v)) return `${p} is not an object`;
    for (const key of Object.keys(v)) if (!Object.hasOwn(shape, key)) return `${p}.${key} is not expected`;
    for (const [key, field] of Object.entries(shape)) {
      const problem = field.check(v[key], `${p}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  });

function messages<S extends Schema<{ type: string }>>(byType: Record<string, S>): Schema<Infer<S>> {
  return schema((v, p) => {
    if (!isRecord(v) || typeof v.type !== 'string') return `${p} has no type`;
    const chosen = Object.hasOwn(byType, v.type) ? byType[v.type] : undefined;
    return chosen ? chosen.check(v, p) : `${p}.type '${v.type.slice(0, 40)}' is unknown`;
  });
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function parseWith<T>(s: Schema<T>, value: unknown): Parsed<T> {
  const reason = s.check(value, 'message');
  return reason ? { ok: false, reason } : { ok: true, value: value as T };
}

// ---------------------------------------------------------------------------------------------------
// The report

/** The report's editable sections, in order (the same ids as src/core/incident/reportDraft.ts). */
export const reportSectionIds = ['summary', 'impact', 'timeline', 'resolution', 'learned', 'actionItems'] as const;
const sectionId = lit(...reportSectionIds);
export type ReportSectionId = Infer<typeof sectionId>;

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
  sections: arr(section, reportSectionIds.length),
  /** Markdown evidence (analyzer table, Mermaid memory chart); '' when none. */
  evidence: str(),
  /** The journal has changed since the draft: Re-draft would bring it in. */
  stale: bool,
  /** Where Export writes, relative to the workspace folder ('' when no folder is open). */
  exportPath: str(4096),
});
export type ReportView = Infer<typeof reportView>;

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
  export: obj({ type: lit('export') }),
  copyMarkdown: obj({ type: lit('copyMarkdown') }),
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
  /** The journal changed (or a re-draft caught up with it). */
  stale: obj({ type: lit('stale'), stale: bool }),
  /** Something for the operator: the export's path, a copy, a failure. */
  notice: obj({ type: lit('notice'), level: lit('info', 'error'), text: str(10_000), path: opt(str(4096)) }),
} as const;

const toWebview = messages(toWebviewSchemas);
export type ToWebview = Infer<typeof toWebview>;
export type ToWebviewOf<K extends ToWebview['type']> = Extract<ToWebview, { type: K }>;

/** Validates a message the host received from the webview. */
export const parseToHost = (value: unknown): Parsed<ToHost> => parseWith(toHost, value);
/** Validates a message the webview received from the host. */
export const parseToWebview = (value: unknown): Parsed<ToWebview> => parseWith(toWebview, value);

/** What the page keeps in VS Code's webview state (getState/setState) across hiding and reloads. */
const pageState = obj({
  journalFile: str(4096),
  /** Sections open for editing. */
  editing: arr(sectionId, reportSectionIds.length),
  /** Typed text the host has not confirmed yet: sent again after a reload. */
  unsaved: arr(obj({ section: sectionId, text: str() }), reportSectionIds.length),
});
export type ReportPageState = Infer<typeof pageState>;
/** Validates webview state (written by an older page, or restored by VS Code into a new panel). */
export const parsePageState = (value: unknown): Parsed<ReportPageState> => parseWith(pageState, value);
