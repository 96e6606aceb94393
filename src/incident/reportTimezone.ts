import * as vscode from 'vscode';
import { checkTimezone, localTimezone } from '../core/incident/zonedTime';
import { settingIds } from '../vscode/contributes';
import { settings } from '../vscode/settings';

let warnedAbout: string | undefined;

/**
 * The timezone of the Incident view and reports: the `jupyterhubOps.reportTimezone` setting when it is a
 * valid IANA name, else this machine's. A bad setting is said once (not on every tree refresh).
 */
export function reportTimezone(): string {
  const configured = settings.reportTimezone() || localTimezone();
  const checked = checkTimezone(configured);
  if (checked.ok) return checked.value;
  const fallback = localTimezone();
  if (warnedAbout !== configured) {
    warnedAbout = configured;
    void vscode.window.showWarningMessage(
      `JupyterHub Ops: ${checked.error.userMessage} (setting ${settingIds.reportTimezone}). Using ${fallback} for now.`,
    );
  }
  return fallback;
}
