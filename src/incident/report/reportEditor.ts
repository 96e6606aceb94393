/**
 * One incident report being edited: the saved document, the page's messages, re-drafting and export.
 * The panels (reportPanels.ts) give it the page's connection and a `ReportUi`; everything here runs
 * without VS Code, so the unit tests drive it with plain objects.
 *
 * Edits are saved on each `edit` message (the page debounces typing). Re-drafting refreshes the sections
 * the operator left alone; a section they edited, whose draft has changed, is theirs unless they say
 * otherwise (`resolveConflict`).
 */
import { copyFileSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { replay, type ReplayedIncident } from '../../core/incident/journalReplay';
import {
  editSection,
  newReportDocument,
  redraft,
  shownSection,
  type ReportDocument,
} from '../../core/incident/reportDocument';
import {
  draftReport,
  sectionIds,
  sectionTitles,
  type ReportDraft,
  type SectionId,
} from '../../core/incident/reportDraft';
import { defaultReportPath, writeFileAtomic } from '../../core/incident/reportFile';
import { renderMarkdown } from '../../core/incident/reportMarkdown';
import { zoned } from '../../core/incident/zonedTime';
import { actionItemsIssueBody, draftPostmortem, renderPostmortemMarkdown } from '../../core/incident/postmortem';
import { ReportClock } from '../../core/incident/reportClock';
import { prometheusEvidence } from '../../core/prometheus/incidentReport';
import { chartFileName } from '../../core/prometheus/reportSections';
import { formatStep } from '../../core/prometheus/step';
import { formatDuration } from '../../shared/format';
import { err, messageOf, ok, UserError, type Result } from '../../core/result';
import { redactDeep, redactText } from '../../core/secrets';
import type { HistoryView, ReportView, ToHost, ToWebview } from '../../protocol/reportProtocol';
import type { IncidentHistory, LoadHistory } from '../../prometheus/reportHistory';
import type { PageConnection, PageHandler } from '../../vscode/pageConnection';
import { loadSavedReport, saveReport, savedReportFile, type SavedReport } from './savedReport';

export type ConflictAnswer = 'keep' | 'take' | 'cancel';

export type ReportPage = PageConnection<ToHost, ToWebview>;

/** Keys of the page's messages that hold our own file paths (see `outgoing`). */
const PAGE_PATHS = new Set(['journalFile', 'exportPath', 'path']);

/** What a report editor needs from VS Code around it: modals, the clipboard, the workspace. */
export interface ReportUi {
  /** The operator edited `section` and the new draft differs: keep theirs, take the draft, or stop. */
  resolveConflict(section: { id: SectionId; title: string }): Promise<ConflictAnswer>;
  copyText(text: string): Promise<void>;
  /** Where exports go: the first workspace folder, or undefined when none is open. */
  workspaceFolder(): string | undefined;
  /** The file exists: may it be replaced? */
  confirmReplace(file: string): Promise<boolean>;
  /** Opens an exported file in an editor. */
  showFile(file: string): Promise<void>;
}

export interface ReportEditorDeps {
  /** The report timezone setting, checked (an IANA name). */
  timezone(): string;
  /** One line when the setting names no timezone and `timezone()` is this machine's instead. */
  timezoneProblem?(): string | undefined;
  now?: () => Date;
  /** Charts and the alert replay from the hubs' Prometheus; none when not given. */
  history?: LoadHistory;
}

/**
 * The rules whose replay the report states beside when the incident was noticed, in this order of
 * preference: a restart is what any hub incident shows first, whatever its cause.
 */
const headlineRules: Record<string, string> = {
  JupyterHubHubRestarted: 'the hub-restart rule',
  JupyterHubHubOOMKilled: 'the hub OOM-kill rule',
  JupyterHubSpawnsThrottled: 'the throttled-spawns rule',
  JupyterHubUserPodsPending: 'the pending-pods rule',
};

/** One journal's report, with or without a panel showing it (Export and Copy need none). */
export class ReportEditor implements PageHandler<ToHost, ToWebview> {
  private saved: SavedReport | undefined;
  private readonly stateFile: string;
  private history: Promise<IncidentHistory | undefined> | undefined;
  /** The history once it has come (the postmortem's alerts). */
  private historyValue: IncidentHistory | undefined;

  constructor(
    readonly journalFile: string,
    /** The page showing the report; a connection no page ever speaks on when there is no panel. */
    readonly page: ReportPage,
    private readonly ui: ReportUi,
    private readonly deps: ReportEditorDeps,
  ) {
    this.stateFile = savedReportFile(journalFile);
    page.handleWith(this);
  }

  /**
   * Loads the saved report, or drafts one from the journal and saves it. A saved file that cannot be
   * read is kept aside (`.damaged`) before a fresh draft replaces it: the operator's text is never lost
   * silently. Fails when the journal itself cannot be read.
   */
  open(): Result<{ notice?: string }> {
    const loaded = loadSavedReport(this.stateFile);
    if (loaded.ok && loaded.value) {
      this.saved = loaded.value;
      // The setting may have changed since the report was saved: it applies now, not on the next Re-draft.
      const retimed = this.followTimezone();
      return retimed.ok ? ok({}) : retimed;
    }
    let notice: string | undefined;
    if (!loaded.ok) {
      try {
        copyFileSync(this.stateFile, `${this.stateFile}.damaged`);
      } catch {
        // Nothing to keep aside.
      }
      notice = `${loaded.error.userMessage} The unreadable file was kept as ${this.stateFile}.damaged.`;
    }
    const timezone = this.deps.timezone();
    const draft = this.draft(timezone, false);
    if (!draft.ok) return draft;
    const saved: SavedReport = { timezone, utc: false, document: newReportDocument(draft.value) };
    const written = this.save(saved);
    if (!written.ok) return written;
    return ok(notice ? { notice } : {});
  }

  get document(): ReportDocument {
    return this.requireSaved().document;
  }

  async receive(message: ToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.postReport();
        return this.postHistory();
      case 'setTemplate': {
        const saved = this.save({ ...this.requireSaved(), template: message.template });
        if (!saved.ok) return this.notice('error', saved.error.userMessage);
        return this.postReport();
      }
      case 'reloadHistory':
        this.history = undefined;
        return this.postHistory();
      case 'copyActionItems': {
        const body = await this.actionItems();
        if (!body.ok) return this.notice('error', body.error.userMessage);
        await this.ui.copyText(body.value);
        return this.notice('info', 'Copied the action items as a GitHub issue body.');
      }
      case 'edit': {
        const saved = this.edit(message.section, message.text);
        if (!saved.ok) this.notice('error', saved.error.userMessage);
        return;
      }
      case 'revert': {
        const saved = this.edit(message.section, this.document.sections[message.section].drafted);
        if (!saved.ok) this.notice('error', saved.error.userMessage);
        return;
      }
      case 'redraft': {
        const result = await this.redraft();
        this.afterRedraft(result);
        return;
      }
      case 'setUtc': {
        const result = await this.redraft({ utc: message.utc, timezone: this.requireSaved().timezone });
        this.afterRedraft(result);
        return;
      }
      case 'export': {
        // Said before the file opens: opening it may hide this page.
        const result = await this.exportMarkdown({
          beforeOpen: (file) => this.notice('info', `Exported to ${file}`, file),
        });
        if (!result.ok) this.notice('error', result.error.userMessage);
        return;
      }
      case 'copyMarkdown': {
        const markdown = this.markdown(await this.loadHistory());
        if (!markdown.ok) return this.notice('error', markdown.error.userMessage);
        await this.ui.copyText(markdown.value);
        return this.notice('info', 'Copied the report as Markdown (secrets redacted).');
      }
    }
  }

  /**
   * Drafts again in the timezone setting as it is now, when it differs from the report's: the sections the
   * operator left alone take the new times, their edits stay theirs (no question asked: nothing of the
   * journal changed). True when the report changed.
   */
  followTimezone(): Result<boolean> {
    const saved = this.requireSaved();
    const timezone = this.deps.timezone();
    if (timezone === saved.timezone) return ok(false);
    const draft = this.draft(timezone, saved.utc);
    if (!draft.ok) return draft;
    const written = this.save({ ...saved, timezone, document: redraft(saved.document, draft.value).doc });
    if (!written.ok) return written;
    // The charts' clock is the report's: ask for them again in the new zone.
    this.history = undefined;
    this.historyValue = undefined;
    return ok(true);
  }

  /** The timezone setting changed: show the report in it (`ready` posts it again when the page is hidden). */
  async timezoneChanged(): Promise<void> {
    const changed = this.followTimezone();
    if (!changed.ok) return this.notice('error', changed.error.userMessage);
    this.postReport();
    if (!changed.value) return;
    this.notice('info', `Times are now in ${this.requireSaved().timezone}.`);
    await this.postHistory();
  }

  /** Records the operator's text for a section and saves it. */
  edit(id: SectionId, text: string): Result<void> {
    const saved = this.requireSaved();
    // The page shows the draft as `shownSection` makes it: the same text back is no edit.
    const draft = text === shownSection(saved.document, id).drafted ? saved.document.sections[id].drafted : text;
    const next = { ...saved, document: editSection(saved.document, id, draft) };
    const summaryBefore = shownSection(saved.document, 'summary');
    const written = this.save(next);
    if (!written.ok) return written;
    this.page.post({ type: 'saved', section: id, edited: next.document.sections[id].edited });
    const summary = shownSection(next.document, 'summary');
    if (id !== 'summary' && (summary.drafted !== summaryBefore.drafted || summary.edited !== summaryBefore.edited))
      this.page.post({ type: 'section', section: { id: 'summary', title: sectionTitles.summary, ...summary } });
    return written;
  }

  /**
   * Drafts again from the journal (in the timezone setting as it is now, unless given). Sections the
   * operator did not edit take the new text; for each edited section whose draft changed, `resolve` (by
   * default the UI) decides. `cancel` leaves the report as it was.
   */
  async redraft(
    options: { utc?: boolean; timezone?: string; resolve?: (id: SectionId) => Promise<ConflictAnswer> } = {},
  ): Promise<Result<{ conflicts: SectionId[]; taken: SectionId[] } | null>> {
    const saved = this.requireSaved();
    const timezone = options.timezone ?? this.deps.timezone();
    const utc = options.utc ?? saved.utc;
    const draft = this.draft(timezone, utc);
    if (!draft.ok) return draft;
    const merged = redraft(saved.document, draft.value);
    let document = merged.doc;
    const taken: SectionId[] = [];
    const resolve = options.resolve ?? ((id: SectionId) => this.ui.resolveConflict({ id, title: sectionTitles[id] }));
    for (const id of merged.conflicts) {
      const answer = await resolve(id);
      if (answer === 'cancel') return ok(null);
      if (answer === 'take') {
        document = editSection(document, id, document.sections[id].drafted);
        taken.push(id);
      }
    }
    const written = this.save({ timezone, utc, document });
    if (!written.ok) return written;
    return ok({ conflicts: merged.conflicts, taken });
  }

  /**
   * The report as Markdown, secrets redacted (what Export writes and Copy copies). With `history`, the
   * Prometheus evidence follows: where it came from, the charts (`chartBase`: the exported file's name,
   * the SVG files being beside it) and the alert replay.
   */
  markdown(history = this.historyValue, chartBase?: string): Result<string> {
    const saved = this.requireSaved();
    const draft = this.draft(saved.timezone, saved.utc);
    if (!draft.ok) return draft;
    const postmortem = saved.template === 'postmortem' ? this.postmortem(history) : undefined;
    if (postmortem && !postmortem.ok) return postmortem;
    const markdown = postmortem ? postmortem.value : renderMarkdown(saved.document, draft.value.meta);
    if (!history || (history.results.length === 0 && history.problems.length === 0)) return ok(markdown);
    const parts = history.results.map((r) =>
      prometheusEvidence(
        r,
        chartBase === undefined
          ? []
          : r.charts.map((c) => ({ title: c.title, file: chartFileName(chartBase, c.hub, c.chart) })),
        saved.timezone,
      ),
    );
    if (history.results.length === 0)
      parts.push(['### From Prometheus', '', ...history.problems.map((p) => `- ${p}`)].join('\n'));
    return ok(`${markdown.trimEnd()}\n\n## History from Prometheus\n\n${parts.join('\n\n')}\n`);
  }

  /** Asks Prometheus once per editor (again after `reloadHistory`); undefined when there is no source. */
  loadHistory(): Promise<IncidentHistory | undefined> {
    const load = this.deps.history;
    if (!load) return Promise.resolve(undefined);
    this.history ??= (async () => {
      const replayed = replay(this.journalFile);
      if (!replayed.ok) return { results: [], problems: [replayed.error.userMessage] };
      try {
        this.historyValue = await load(replayed.value, this.requireSaved().timezone);
      } catch (error) {
        this.historyValue = { results: [], problems: [`Prometheus: ${messageOf(error)}`] };
      }
      return this.historyValue;
    })();
    return this.history;
  }

  /** What the page shows of the history (charts, replay, one line per problem). */
  historyView(history: IncidentHistory): HistoryView {
    const timezone = this.requireSaved().timezone;
    const lines: string[] = [];
    const replayRows: HistoryView['replay'] = [];
    let headline: { ms: number; name: string; noticedMs: number | null; rank: number } | undefined;
    for (const r of history.results) {
      const noticedMs = r.replay.noticedMs;
      const clock = new ReportClock(timezone, noticedMs ?? r.window.fromMs);
      lines.push(
        `${r.history.source}, ${clock.fromTo(r.history.fromMs, r.history.toMs)}, at ${formatStep(r.history.stepSeconds)} resolution.`,
      );
      for (const rule of r.replay.rules) {
        replayRows.push({
          alert: rule.alert,
          when: rule.problem
            ? `could not be evaluated: ${rule.problem}`
            : rule.firstFiringMs === null
              ? 'would not have fired'
              : `${clock.at(rule.firstFiringMs)}${rule.labels.namespace ? ` (${rule.labels.namespace})` : ''}`,
          lead:
            rule.leadMs === null
              ? ''
              : rule.leadMs < 0
                ? `${formatDuration(-rule.leadMs)} before the incident was noticed`
                : `${formatDuration(rule.leadMs)} after`,
        });
        const name = headlineRules[rule.alert];
        const rank = Object.keys(headlineRules).indexOf(rule.alert);
        if (name && rule.firstFiringMs !== null && (!headline || rank < headline.rank))
          headline = { ms: rule.firstFiringMs, name, noticedMs, rank };
      }
    }
    let summary = '';
    if (headline) {
      const clock = new ReportClock(timezone, headline.noticedMs ?? headline.ms);
      summary = `${headline.name[0]!.toUpperCase()}${headline.name.slice(1)} would have fired at ${clock.at(headline.ms)}${
        headline.noticedMs !== null ? `; the incident was noticed at ${clock.at(headline.noticedMs)}` : ''
      }.`;
    } else if (history.results.length > 0) summary = 'None of the alert rules would have fired in this window.';
    return {
      state: history.results.length > 0 ? 'ready' : 'unavailable',
      lines,
      problems: history.problems,
      charts: history.results.flatMap((r) =>
        r.charts.map((c) => ({ hub: c.hub, chart: c.chart, title: c.title, svg: c.svg })),
      ),
      summary,
      replay: replayRows,
    };
  }

  private async postHistory(): Promise<void> {
    if (!this.deps.history) return;
    const empty = { lines: [], problems: [], charts: [], summary: '', replay: [] };
    this.page.post({ type: 'history', history: { state: 'loading', ...empty } });
    const history = await this.loadHistory();
    if (!history) return;
    this.page.post({ type: 'history', history: this.historyView(history) });
    // The postmortem says when the alerts would have fired: draft it again now they are known.
    if (this.requireSaved().template === 'postmortem') this.postReport();
  }

  /** The action items as a GitHub issue body, drafted in 2i2c's postmortem shape (with the replay's alerts). */
  async actionItems(): Promise<Result<string>> {
    const history = await this.loadHistory();
    const draft = this.postmortemDraft(history);
    return draft.ok ? ok(actionItemsIssueBody(draft.value)) : draft;
  }

  /** 2i2c's postmortem drafted from the journal, with when the replayed alerts would have fired. */
  private postmortemDraft(history = this.historyValue): Result<ReturnType<typeof draftPostmortem>> {
    const saved = this.requireSaved();
    const replayed = replay(this.journalFile);
    if (!replayed.ok) return replayed;
    try {
      return ok(
        draftPostmortem(replayed.value, {
          timezone: saved.timezone,
          utc: saved.utc,
          now: (this.deps.now ?? (() => new Date()))(),
          alerts: (history?.results ?? []).flatMap((r) => r.alerts),
        }),
      );
    } catch (error) {
      return err(new UserError(`The postmortem could not be drafted: ${messageOf(error)}`, 'report-draft-failed'));
    }
  }

  private postmortem(history = this.historyValue): Result<string> {
    const draft = this.postmortemDraft(history);
    return draft.ok ? ok(renderPostmortemMarkdown(draft.value)) : draft;
  }

  /** Where Export writes by default, relative to the workspace folder. */
  defaultExportPath(): Result<string> {
    const saved = this.requireSaved();
    const incident = replay(this.journalFile);
    if (!incident.ok) return incident;
    return ok(
      defaultReportPath({
        startedAt: incident.value.incident.startedAt,
        timezone: saved.timezone,
        title: incident.value.incident.title,
      }),
    );
  }

  /**
   * Writes the Markdown into the workspace (default `incident-reports/YYYY-MM-DD-<slug>.md`, or `target`
   * relative to the workspace folder or absolute), atomically, and opens it. Null when the operator chose
   * not to replace an existing file.
   */
  async exportMarkdown(
    options: { target?: string; overwrite?: boolean; open?: boolean; beforeOpen?: (file: string) => void } = {},
  ): Promise<Result<string | null>> {
    const history = await this.loadHistory();
    const folder = this.ui.workspaceFolder();
    let file: string;
    if (options.target && options.target.startsWith('/')) file = options.target;
    else {
      if (!folder)
        return err(
          new UserError(
            'Open a folder first: the report is exported into the workspace (incident-reports/). Copy as Markdown works without one.',
            'report-no-workspace',
          ),
        );
      const relative = options.target ?? this.defaultExportPath();
      if (typeof relative !== 'string' && !relative.ok) return relative;
      file = join(folder, typeof relative === 'string' ? relative : relative.value);
    }
    if (!options.overwrite && existsSync(file) && !(await this.ui.confirmReplace(file))) return ok(null);
    // The charts as SVG files beside the report, linked from it (the same SVG the page shows).
    const base = basename(file).replace(/\.md$/i, '');
    for (const chart of (history?.results ?? []).flatMap((r) => r.charts)) {
      const svg = writeFileAtomic(
        join(dirname(file), chartFileName(base, chart.hub, chart.chart)),
        redactText(chart.svg),
      );
      if (!svg.ok) return svg;
    }
    const markdown = this.markdown(history, base);
    if (!markdown.ok) return markdown;
    const written = writeFileAtomic(file, markdown.value);
    if (!written.ok) return written;
    options.beforeOpen?.(file);
    if (options.open !== false) await this.ui.showFile(file);
    return ok(file);
  }

  /** Sends the whole report to the page (on `ready`, after a re-draft). */
  postReport(): void {
    const view = this.view();
    if (!view.ok) return this.notice('error', view.error.userMessage);
    this.page.post({ type: 'report', report: view.value });
  }

  /** Tells the page whether the journal has moved on since the draft (call when the journal changes). */
  journalChanged(): void {
    const stale = this.isStale();
    if (stale !== null) this.page.post({ type: 'stale', stale });
  }

  view(): Result<ReportView> {
    const saved = this.requireSaved();
    const replayed = replay(this.journalFile);
    if (!replayed.ok) return replayed;
    const draft = this.draftFrom(replayed.value, saved.timezone, saved.utc);
    if (!draft.ok) return draft;
    const { meta } = draft.value;
    const doc = saved.document;
    const when = (iso: string) => {
      const z = zoned(Date.parse(iso), meta.timezone);
      return `${z.dayLabel} ${z.time} ${z.abbreviation}`;
    };
    const facts: ReportView['facts'] = [
      {
        label: 'Hubs',
        value: meta.hubs.map((h) => `${h.namespace} (context ${h.context})`).join(', ') || 'none named',
      },
      ...(meta.severity ? [{ label: 'Severity', value: meta.severity }] : []),
      { label: 'Started', value: when(meta.startedAt) },
      {
        label: 'Ended',
        value:
          meta.stoppedAt !== null
            ? `${when(meta.endedAt)} (${formatDuration(Date.parse(meta.endedAt) - Date.parse(meta.startedAt))})`
            : `still recording (last entry ${when(meta.endedAt)})`,
      },
      { label: 'Drafted', value: when(doc.draftedAt) },
    ];
    const problem = this.deps.timezoneProblem?.();
    if (problem && meta.timezone === this.deps.timezone())
      facts.push({ label: 'Timezone', value: `${problem[0]!.toUpperCase()}${problem.slice(1)}.` });
    if (replayed.value.warnings.length > 0)
      facts.push({
        label: 'Journal',
        value: `${replayed.value.warnings.length} damaged line(s) skipped: ${replayed.value.warnings
          .slice(0, 3)
          .map((w) => `line ${w.line}: ${w.message}`)
          .join('; ')}`,
      });
    const postmortem = saved.template === 'postmortem' ? this.postmortem() : undefined;
    if (postmortem && !postmortem.ok) return postmortem;
    const exportPath = this.ui.workspaceFolder()
      ? defaultReportPath({ startedAt: meta.startedAt, timezone: meta.timezone, title: meta.title })
      : '';
    return ok({
      journalFile: this.journalFile,
      title: meta.title,
      facts,
      timezone: meta.timezone,
      utc: saved.utc,
      sections: sectionIds.map((id) => ({ id, title: sectionTitles[id], ...shownSection(doc, id) })),
      evidence: doc.evidence,
      stale: sameDraft(doc, draft.value) === false,
      exportPath,
      template: saved.template ?? 'short',
      postmortem: postmortem?.value ?? '',
    });
  }

  /** Whether a re-draft would change anything; null when the journal cannot be read. */
  isStale(): boolean | null {
    const saved = this.requireSaved();
    const draft = this.draft(saved.timezone, saved.utc);
    return draft.ok ? !sameDraft(saved.document, draft.value) : null;
  }

  private afterRedraft(result: Result<{ conflicts: SectionId[]; taken: SectionId[] } | null>): void {
    if (!result.ok) return this.notice('error', result.error.userMessage);
    this.postReport();
    if (result.value === null) return this.notice('info', 'Re-draft cancelled: the report is as it was.');
    const kept = result.value.conflicts.filter((id) => !result.value!.taken.includes(id));
    if (kept.length > 0)
      this.notice('info', `Re-drafted. Your text was kept in: ${kept.map((id) => sectionTitles[id]).join(', ')}.`);
    else this.notice('info', 'Re-drafted from the journal.');
  }

  private draft(timezone: string, utc: boolean): Result<ReportDraft> {
    const replayed = replay(this.journalFile);
    if (!replayed.ok) return replayed;
    return this.draftFrom(replayed.value, timezone, utc);
  }

  private draftFrom(replayed: ReplayedIncident, timezone: string, utc: boolean): Result<ReportDraft> {
    try {
      return ok(draftReport(replayed, { timezone, utc, now: (this.deps.now ?? (() => new Date()))() }));
    } catch (error) {
      if (error instanceof UserError) return err(error);
      return err(
        new UserError(`The report could not be drafted: ${messageOf(error)}`, 'report-draft-failed', { cause: error }),
      );
    }
  }

  private save(saved: SavedReport): Result<void> {
    const written = saveReport(this.stateFile, saved);
    if (written.ok) this.saved = saved;
    return written;
  }

  private requireSaved(): SavedReport {
    if (!this.saved) throw new Error('ReportEditor.open() was not called');
    return this.saved;
  }

  /**
   * Everything for the page passes the one secret detector: titles, facts, drafted and edited sections,
   * evidence and notices carry journal, cluster and hub text. Not redacted: our own file paths (the page
   * sends the journal's back to reopen it) and a `saved` reply, which only echoes the text the page sent.
   */
  outgoing(message: ToWebview): ToWebview {
    return message.type === 'saved' ? message : redactDeep(message, PAGE_PATHS);
  }

  private notice(level: 'info' | 'error', text: string, path?: string): void {
    this.page.post({ type: 'notice', level, text, ...(path ? { path } : {}) });
  }
}

/** True when a new draft would write the same sections and evidence (the draft time aside). */
function sameDraft(doc: ReportDocument, draft: ReportDraft): boolean {
  return doc.evidence === draft.evidence && sectionIds.every((id) => doc.sections[id].drafted === draft.sections[id]);
}
