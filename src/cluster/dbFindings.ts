import * as vscode from 'vscode';

/** What the last hub DB analysis of a hub predicted for its next start-up. */
export interface DbFinding {
  status: 'fits' | 'tight' | 'oom' | 'unknown';
  /** The analyzer's one-line verdict, e.g. "JupyterHub 5.0.0-5.3.0 would need 5.3Gi peak…". */
  headline: string;
  /** When the analysed snapshot was taken (ISO 8601). */
  takenAt: string;
}

/** A finding older than this no longer marks the hub row: the DB has likely changed since. */
export const FINDING_FRESH_MS = 24 * 60 * 60 * 1000;

/** The latest hub DB finding per hub (context + namespace), for the hub rows' badge and tooltip. */
export class DbFindings implements vscode.Disposable {
  private readonly findings = new Map<string, DbFinding>();
  private readonly changed = new vscode.EventEmitter<{ context: string; namespace: string }>();
  readonly onDidChange = this.changed.event;

  set(context: string, namespace: string, finding: DbFinding): void {
    this.findings.set(JSON.stringify([context, namespace]), finding);
    this.changed.fire({ context, namespace });
  }

  /** The hub's finding when it is recent enough to act on. */
  recent(context: string, namespace: string, now: number): DbFinding | undefined {
    const finding = this.findings.get(JSON.stringify([context, namespace]));
    return finding && now - Date.parse(finding.takenAt) <= FINDING_FRESH_MS ? finding : undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
