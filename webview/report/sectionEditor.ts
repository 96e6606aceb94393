import type { ReportSectionView } from '../../src/protocol/reportProtocol';
import type { SectionId } from '../../src/shared/reportSections';
import { el, replaceChildren } from '../shared/dom';
import { renderMarkdown } from './markdownView';
import { button, textArea, type ValueElement } from '../shared/toolkit';

/** How long typing pauses before the text goes to the host to be saved. */
const SAVE_AFTER_MS = 400;

export interface SectionCallbacks {
  /** The operator's text for the section (debounced): the host saves it and answers `saved`. */
  save(id: SectionId, text: string): void;
  revert(id: SectionId): void;
  setEditing(id: SectionId, editing: boolean): void;
  /** Typed and not yet confirmed by the host (kept in the page state across reloads); null: none. */
  setUnsaved(id: SectionId, text: string | null): void;
}

/**
 * One report section: read as rendered Markdown (checklist boxes can be ticked there), or edited as
 * Markdown in a text area. Typing is saved after a short pause; the status says "Saving…" until the host
 * confirms the text is on disk.
 */
export class SectionEditor {
  readonly element: HTMLElement;
  private readonly body = el('div', { className: 'section-body' });
  private readonly status = el('span', { className: 'section-status muted small', attrs: { role: 'status' } });
  private readonly actions = el('div', { className: 'section-actions' });
  private area: ValueElement | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Text sent but not yet confirmed, or typed but not yet sent. */
  private pending: string | null = null;

  constructor(
    private section: ReportSectionView,
    private editing: boolean,
    private readonly callbacks: SectionCallbacks,
    unsaved: string | null,
  ) {
    this.element = el(
      'section',
      {
        className: `report-section section-${section.id}`,
        attrs: { id: `section-${section.id}`, 'aria-label': section.title },
      },
      el('header', { className: 'section-header' }, el('h2', {}, section.title), this.status, this.actions),
      this.body,
    );
    if (unsaved !== null && unsaved !== this.text) {
      // Typed before a reload and never confirmed: show it and send it again.
      this.editing = true;
      this.render(unsaved);
      this.queue(unsaved, 0);
    } else this.render(this.text);
  }

  get id(): SectionId {
    return this.section.id;
  }

  /** What the section reads as now. */
  private get text(): string {
    return this.section.edited ?? this.section.drafted;
  }

  /** The host saved this section. */
  saved(edited: string | null): void {
    this.section = { ...this.section, edited };
    if (this.pending !== null && this.pending === (edited ?? this.section.drafted)) {
      this.pending = null;
      this.callbacks.setUnsaved(this.id, null);
    }
    this.showStatus();
    if (!this.editing) this.render(this.text);
  }

  /** The host shows this section differently now (another section's edit changed it). */
  update(section: ReportSectionView): void {
    this.section = section;
    this.showStatus();
    if (!this.editing) this.render(this.text);
  }

  /** Sends what is typed now (the page is being hidden or reloaded). */
  flush(): void {
    if (this.timer !== undefined && this.pending !== null) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.callbacks.save(this.id, this.pending);
    }
  }

  private render(text: string): void {
    this.showStatus();
    if (this.editing) {
      this.area = textArea({
        value: text,
        label: `${this.section.title} (Markdown)`,
        rows: rowsFor(text),
        className: 'section-text',
      });
      this.area.addEventListener('input', () => this.queue(this.area!.value, SAVE_AFTER_MS));
      replaceChildren(this.body, this.area);
      replaceChildren(
        this.actions,
        button('Done', () => this.setEditing(false), {
          appearance: 'primary',
          title: `Finish editing ${this.section.title}`,
        }),
      );
    } else {
      this.area = undefined;
      replaceChildren(this.body, renderMarkdown(text, { onToggle: (line, checked) => this.toggleTask(line, checked) }));
      replaceChildren(
        this.actions,
        this.section.edited !== null
          ? button('Use Draft', () => this.callbacks.revert(this.id), {
              title: `Replace your ${this.section.title} with the draft`,
            })
          : null,
        button('Edit', () => this.setEditing(true), { title: `Edit ${this.section.title}` }),
      );
    }
  }

  private setEditing(editing: boolean): void {
    if (!editing) this.flush();
    this.editing = editing;
    this.callbacks.setEditing(this.id, editing);
    this.render(this.pending ?? this.text);
    if (editing) setTimeout(() => this.area?.focus(), 0);
  }

  /** A checklist box was ticked in the rendered view: rewrite that line's `[ ]` and save. */
  private toggleTask(line: number, checked: boolean): void {
    const lines = (this.pending ?? this.text).split('\n');
    const source = lines[line];
    if (source === undefined) return;
    lines[line] = source.replace(/\[( |x|X)\]/, checked ? '[x]' : '[ ]');
    this.queue(lines.join('\n'), 0);
  }

  private queue(text: string, delayMs: number): void {
    this.pending = text;
    this.callbacks.setUnsaved(this.id, text);
    this.showStatus();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.callbacks.save(this.id, text);
    }, delayMs);
  }

  private showStatus(): void {
    this.status.textContent =
      this.pending !== null ? 'Saving…' : this.section.edited !== null ? 'Edited · saved' : 'Drafted from the journal';
    this.element.classList.toggle('edited', this.section.edited !== null);
  }
}

function rowsFor(text: string): number {
  return Math.min(30, Math.max(4, text.split('\n').length + 1));
}
