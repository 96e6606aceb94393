import * as vscode from 'vscode';
import { recordedFor } from './entryPresentation';
import { contextKeys, focusViewCommand, views } from '../vscode/contributes';
import type { IncidentStore } from './incidentStore';

/**
 * The status-bar item that says an incident is recording and for how long (refreshed each minute, and at
 * once when the incident starts, switches or stops); a click shows the Incident view. Also keeps the
 * context keys the menus read in step.
 */
export class RecordingStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    contextKeys.incidentRecording,
    vscode.StatusBarAlignment.Left,
    100,
  );
  private readonly timer: NodeJS.Timeout;
  private readonly listening: { dispose(): void };

  constructor(private readonly store: IncidentStore) {
    this.item.name = 'JupyterHub Ops: Incident Recording';
    this.item.command = focusViewCommand(views.incident);
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.listening = store.onDidChange(() => this.update());
    this.timer = setInterval(() => this.update(), 60_000);
    this.update();
  }

  /** What the item shows now (for tests): undefined when hidden. */
  get text(): string | undefined {
    return this.store.recording ? this.item.text : undefined;
  }

  update(): void {
    const journal = this.store.current;
    void vscode.commands.executeCommand('setContext', contextKeys.incidentRecording, this.store.recording);
    void vscode.commands.executeCommand('setContext', contextKeys.incidentCurrent, journal !== undefined);
    if (!journal || !this.store.recording) {
      this.item.hide();
      return;
    }
    const duration = recordedFor(journal.incident.startedAt, Date.now());
    this.item.text = `$(record) Incident · ${duration}`;
    this.item.tooltip = `Recording incident "${journal.incident.title}" for ${duration}. Click to show the Incident view.`;
    this.item.show();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.listening.dispose();
    this.item.dispose();
  }
}
