import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { IncidentMeta, JournalEntry } from '../core/incident/journalEntry';
import type { JournalWarning } from '../core/incident/journalReplay';
import { zoned } from '../core/incident/zonedTime';
import { entryRow, oneLine, recordedFor, rowClock, type RowClock } from './entryPresentation';
import type { IncidentStore } from './incidentStore';

/** The rows of the Incident view. */
export type IncidentNode =
  | { type: 'header'; file: string; incident: IncidentMeta; stoppedAt: string | null; clock: RowClock }
  | { type: 'entry'; file: string; entry: JournalEntry; hidden: boolean; clock: RowClock }
  | { type: 'hidden'; file: string; entries: JournalEntry[]; clock: RowClock }
  | { type: 'warnings'; file: string; warnings: JournalWarning[] }
  | { type: 'incidents'; incidents: IncidentListItem[] }
  | { type: 'incident'; item: IncidentListItem }
  | { type: 'problem'; message: string };

export interface IncidentListItem {
  file: string;
  title: string;
  startedAt: string;
  stoppedAt: string | null;
  entryCount: number;
  current: boolean;
}

/**
 * The Incident view: the current incident's journal live, newest first (operator edits applied, bursts
 * collapsed), the entries the operator hid, and every incident in storage to switch between. Empty when
 * there is no incident at all, so the welcome text offers to start one.
 */
export class IncidentTreeProvider implements vscode.TreeDataProvider<IncidentNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<IncidentNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private debounce: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: IncidentStore,
    private readonly timezone: () => string,
    private readonly now: () => number = Date.now,
  ) {
    const listening = store.onDidChange(() => this.refreshSoon());
    // The header says how long the incident has been recording: keep it current.
    const ticking = setInterval(() => {
      if (store.recording) this.refresh();
    }, 60_000);
    this.subscriptions.push(new vscode.Disposable(() => (listening.dispose(), clearInterval(ticking))));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** The journal is written line by line during a burst: redraw once it settles. */
  private refreshSoon(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.refresh(), 100);
  }

  getChildren(node?: IncidentNode): IncidentNode[] {
    if (!node) return this.roots();
    if (node.type === 'hidden')
      return [...node.entries]
        .reverse()
        .map((entry) => ({ type: 'entry', file: node.file, entry, hidden: true, clock: node.clock }));
    if (node.type === 'incidents') return node.incidents.map((item) => ({ type: 'incident', item }));
    return [];
  }

  private roots(): IncidentNode[] {
    const listing = this.store.list();
    const current = this.store.current;
    const incidents: IncidentListItem[] = listing.incidents.map((i) => ({
      file: i.file,
      title: i.incident.title,
      startedAt: i.incident.startedAt,
      stoppedAt: i.stoppedAt,
      entryCount: i.entryCount,
      current: current !== undefined && i.file === current.file,
    }));
    const all: IncidentNode[] = incidents.length > 0 ? [{ type: 'incidents', incidents }] : [];
    const problems: IncidentNode[] = listing.problems.map((p) => ({
      type: 'problem',
      message: `${basename(p.file)}: ${p.message}`,
    }));
    const replayed = this.store.replayCurrent();
    if (!replayed) return [...all, ...problems];
    if (!replayed.ok) return [{ type: 'problem', message: replayed.error.userMessage }, ...all, ...problems];
    const { file, incident, entries, hidden, stoppedAt, warnings } = replayed.value;
    const clock = rowClock(incident, this.timezone());
    return [
      { type: 'header', file, incident, stoppedAt, clock },
      ...(warnings.length > 0 ? [{ type: 'warnings' as const, file, warnings }] : []),
      ...[...entries].reverse().map((entry): IncidentNode => ({ type: 'entry', file, entry, hidden: false, clock })),
      ...(hidden.length > 0 ? [{ type: 'hidden' as const, file, entries: hidden, clock }] : []),
      ...all,
      ...problems,
    ];
  }

  getTreeItem(node: IncidentNode): vscode.TreeItem {
    switch (node.type) {
      case 'header': {
        const recording = node.stoppedAt === null;
        const until = recording ? this.now() : Date.parse(node.stoppedAt!);
        const item = new vscode.TreeItem(oneLine(node.incident.title), vscode.TreeItemCollapsibleState.None);
        const zone = zoned(this.now(), node.clock.timezone).abbreviation;
        item.description = `${recording ? 'recording' : 'stopped'} · ${recordedFor(node.incident.startedAt, until)} · times in ${zone}`;
        item.iconPath = recording
          ? new vscode.ThemeIcon('record', new vscode.ThemeColor('errorForeground'))
          : new vscode.ThemeIcon('debug-stop');
        item.tooltip = [
          node.incident.title,
          `Hubs: ${node.incident.hubs.map((h) => `${h.namespace} (${h.context})`).join(', ') || 'none named'}`,
          ...(node.incident.severity ? [`Severity: ${node.incident.severity}`] : []),
          `Times in ${node.clock.timezone}`,
          `Journal: ${node.file}`,
        ]
          .map(oneLine)
          .join('\n');
        item.contextValue = recording ? 'incidentHeader.recording' : 'incidentHeader.stopped';
        item.id = `header:${node.file}`;
        return item;
      }
      case 'entry': {
        const row = entryRow(node.entry, node.clock, node.hidden);
        const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
        item.description = row.description;
        item.tooltip = row.tooltip;
        item.iconPath = new vscode.ThemeIcon(
          row.icon.icon,
          row.icon.color ? new vscode.ThemeColor(row.icon.color) : undefined,
        );
        item.contextValue = row.contextValue;
        item.id = `entry:${node.file}#${node.entry.id}${node.hidden ? ':hidden' : ''}`;
        return item;
      }
      case 'hidden': {
        const item = new vscode.TreeItem(
          `Hidden from the report (${node.entries.length})`,
          vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.iconPath = new vscode.ThemeIcon('eye-closed');
        item.id = `hidden:${node.file}`;
        return item;
      }
      case 'warnings': {
        const item = new vscode.TreeItem(`${node.warnings.length} damaged journal line(s) skipped`);
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground'));
        item.tooltip = node.warnings.map((w) => oneLine(`line ${w.line}: ${w.message}`)).join('\n');
        return item;
      }
      case 'incidents': {
        const item = new vscode.TreeItem(
          `All incidents (${node.incidents.length})`,
          vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.iconPath = new vscode.ThemeIcon('history');
        item.id = 'incidents';
        return item;
      }
      case 'incident': {
        const { item: i } = node;
        const item = new vscode.TreeItem(oneLine(i.title), vscode.TreeItemCollapsibleState.None);
        const started = zoned(Date.parse(i.startedAt), this.timezone());
        item.description = `${i.current ? 'current · ' : ''}${started.date} ${started.time} · ${i.stoppedAt ? 'stopped' : 'not stopped'} · ${i.entryCount} entries`;
        item.iconPath = new vscode.ThemeIcon(i.current ? 'circle-filled' : 'circle-outline');
        item.tooltip = oneLine(i.file);
        item.contextValue = i.current ? 'incident.current' : 'incident';
        item.id = `incident:${i.file}`;
        return item;
      }
      case 'problem': {
        const item = new vscode.TreeItem(oneLine(node.message));
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        item.tooltip = oneLine(node.message);
        return item;
      }
    }
  }

  dispose(): void {
    clearTimeout(this.debounce);
    vscode.Disposable.from(...this.subscriptions, this.changed).dispose();
  }
}
