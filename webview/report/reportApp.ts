import type { ReportView, ToWebview, ToHost } from '../../src/protocol/reportProtocol';
import { el, replaceChildren } from '../shared/dom';
import type { HostConnection } from '../shared/hostConnection';
import { renderMarkdown } from './markdownView';
import type { PageState } from './pageState';
import { SectionEditor } from './sectionEditor';
import { historySection } from './historyView';
import { button, checkbox, dropdown } from '../shared/toolkit';

/**
 * The report page: header facts, the toolbar (Re-draft, UTC column, Export, Copy as Markdown), a notice
 * when the journal has moved on, the six editable sections, and the evidence. It renders what the host
 * sends and sends back what the operator does; the host does the drafting and the saving.
 */
export class ReportApp {
  private editors: SectionEditor[] = [];
  private readonly notice = el('div', { className: 'notice', attrs: { role: 'status', 'aria-live': 'polite' } });
  private readonly staleBar = el('div', { className: 'stale hidden', attrs: { role: 'status' } });
  /** The charts and the alert replay, kept across re-renders of the report (they come in their own message). */
  private readonly historyBox = el('div', { className: 'history-box' });

  constructor(
    private readonly root: HTMLElement,
    private readonly connection: HostConnection<ToHost, ToWebview>,
    private readonly state: PageState,
  ) {
    connection.listen((message) => this.onMessage(message));
    // Typing not yet sent goes out before the page is hidden or reloaded.
    window.addEventListener('pagehide', () => this.flush());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.flush();
    });
    connection.ready();
  }

  private flush(): void {
    for (const editor of this.editors) editor.flush();
  }

  private onMessage(message: ToWebview): void {
    switch (message.type) {
      case 'report':
        return this.render(message.report);
      case 'saved':
        return this.editors.find((e) => e.id === message.section)?.saved(message.edited);
      case 'section':
        return this.editors.find((e) => e.id === message.section.id)?.update(message.section);
      case 'stale':
        return this.showStale(message.stale);
      case 'notice':
        return this.showNotice(message.level, message.text);
      case 'history':
        return replaceChildren(
          this.historyBox,
          historySection(message.history, () => this.connection.send({ type: 'reloadHistory' })),
        );
    }
  }

  private render(report: ReportView): void {
    this.flush();
    this.state.setJournal(report.journalFile);
    const saved = this.state.get();
    this.editors = report.sections.map(
      (section) =>
        new SectionEditor(
          section,
          saved.editing.includes(section.id),
          {
            save: (id, text) => this.connection.send({ type: 'edit', section: id, text }),
            revert: (id) => this.connection.send({ type: 'revert', section: id }),
            setEditing: (id, editing) => this.state.setEditing(id, editing),
            setUnsaved: (id, text) => this.state.setUnsaved(id, text),
          },
          saved.unsaved.find((u) => u.section === section.id)?.text ?? null,
        ),
    );
    const toolbar = el(
      'div',
      { className: 'toolbar' },
      button('Re-draft', () => this.connection.send({ type: 'redraft' }), {
        title: 'Draft again from the journal; sections you edited are kept unless you choose otherwise',
      }),
      dropdown(
        [
          { value: 'short', label: 'Short form' },
          { value: 'postmortem', label: '2i2c postmortem' },
        ],
        report.template,
        (value) =>
          this.connection.send({ type: 'setTemplate', template: value === 'postmortem' ? 'postmortem' : 'short' }),
        'Report template',
      ),
      checkbox('UTC column in the timeline', report.utc, (utc) => this.connection.send({ type: 'setUtc', utc })),
      el('span', { className: 'spacer' }),
      button('Copy Action Items as Issue Body', () => this.connection.send({ type: 'copyActionItems' }), {
        title: 'Copy the action items as a GitHub issue body (2i2c postmortem shape)',
      }),
      button('Copy as Markdown', () => this.connection.send({ type: 'copyMarkdown' }), {
        title: 'Copy the report as Markdown, secrets redacted',
      }),
      button('Export', () => this.connection.send({ type: 'export' }), {
        appearance: 'primary',
        title: report.exportPath ? `Write ${report.exportPath} in the workspace` : 'Export needs an open folder',
      }),
    );
    replaceChildren(
      this.root,
      el(
        'header',
        { className: 'report-header' },
        el('h1', {}, report.title),
        el(
          'dl',
          { className: 'facts' },
          ...report.facts.flatMap((f) => [el('dt', {}, f.label), el('dd', {}, f.value)]),
        ),
        toolbar,
        this.staleBar,
        this.notice,
      ),
      ...(report.template === 'postmortem'
        ? [
            el(
              'section',
              { className: 'report-section postmortem', attrs: { id: 'postmortem', 'aria-label': '2i2c postmortem' } },
              el(
                'header',
                { className: 'section-header' },
                el('h2', {}, '2i2c postmortem'),
                el('span', { className: 'muted small' }, 'drafted from the journal; edit it after Export'),
              ),
              renderMarkdown(report.postmortem),
            ),
          ]
        : this.editors.map((e) => e.element)),
      this.historyBox,
      report.evidence.trim() !== ''
        ? el(
            'section',
            { className: 'report-section evidence', attrs: { 'aria-label': 'Evidence' } },
            el(
              'header',
              { className: 'section-header' },
              el('h2', {}, 'Evidence'),
              el('span', { className: 'muted small' }, 'regenerated on each re-draft'),
            ),
            renderMarkdown(report.evidence),
          )
        : null,
    );
    this.showStale(report.stale);
  }

  private showStale(stale: boolean): void {
    replaceChildren(
      this.staleBar,
      stale ? 'The journal has new or changed entries since this draft.' : null,
      stale ? button('Re-draft', () => this.connection.send({ type: 'redraft' })) : null,
    );
    this.staleBar.classList.toggle('hidden', !stale);
  }

  private showNotice(level: 'info' | 'error', text: string): void {
    this.notice.className = `notice ${level}`;
    this.notice.textContent = text;
  }
}
