import { parsePageState, type ReportPageState } from '../../src/protocol/reportProtocol';
import type { SectionId } from '../../src/shared/reportSections';
import type { VsCodeApi } from '../shared/hostConnection';

/**
 * What the page keeps in VS Code's webview state: which journal it shows (so a reloaded window reopens
 * the panel), which sections are open for editing, and typed text the host has not confirmed yet.
 */
export class PageState {
  private state: ReportPageState;

  constructor(private readonly api: VsCodeApi) {
    const parsed = parsePageState(api.getState());
    this.state = parsed.ok ? parsed.value : { journalFile: '', editing: [], unsaved: [] };
  }

  get(): Readonly<ReportPageState> {
    return this.state;
  }

  setJournal(journalFile: string): void {
    // Another journal's edits must not be replayed into this one.
    if (journalFile !== this.state.journalFile) this.state = { journalFile, editing: [], unsaved: [] };
    this.save();
  }

  setEditing(section: SectionId, editing: boolean): void {
    const others = this.state.editing.filter((s) => s !== section);
    this.state = { ...this.state, editing: editing ? [...others, section] : others };
    this.save();
  }

  setUnsaved(section: SectionId, text: string | null): void {
    const others = this.state.unsaved.filter((u) => u.section !== section);
    this.state = { ...this.state, unsaved: text === null ? others : [...others, { section, text }] };
    this.save();
  }

  private save(): void {
    this.api.setState(this.state);
  }
}
