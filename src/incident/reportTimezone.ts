import * as vscode from 'vscode';
import { checkTimezone, localTimezone } from '../core/incident/zonedTime';
import { settingIds } from '../vscode/contributes';
import type { Log } from '../vscode/log';
import { settings } from '../vscode/settings';

/** The zone reports and the Incident view use, and why it is not the setting's when it is not. */
export interface ReportZone {
  zone: string;
  /** One line when the setting names no timezone (the zone is then this machine's). */
  problem?: string;
}

/**
 * The timezone of the Incident view and reports: the `jupyterhubOps.reportTimezone` setting when it is a
 * valid IANA name, else this machine's. Read fresh each time, so a change applies at once.
 */
export function reportZone(): ReportZone {
  const configured = settings.reportTimezone();
  if (!configured) return { zone: localTimezone() };
  const checked = checkTimezone(configured);
  if (checked.ok) return { zone: checked.value };
  const fallback = localTimezone();
  return {
    zone: fallback,
    problem: `the setting ${settingIds.reportTimezone} "${configured}" is not an IANA timezone (such as America/New_York, Europe/Berlin or UTC): times are in ${fallback}, this machine's zone`,
  };
}

export function reportTimezone(): string {
  return reportZone().zone;
}

/**
 * Follows the setting: `apply` runs on each change (the Incident view and open reports re-render), and an
 * invalid value is said in one warning, once per change to it (and once at start-up if it is already bad).
 */
export function followReportTimezone(log: Log, apply: () => void): vscode.Disposable {
  let warnedAbout: string | undefined;
  const check = () => {
    const configured = settings.reportTimezone();
    // Unset, nothing can be wrong: skip reportZone(), whose first look at this machine's zone loads ICU's
    // time-zone data (about 20 ms of activation).
    const problem = configured ? reportZone().problem : undefined;
    if (!problem) warnedAbout = undefined;
    else if (warnedAbout !== configured) {
      warnedAbout = configured;
      log.warn(`Report timezone: ${problem}.`);
      void vscode.window.showWarningMessage(`JupyterHub Ops: ${problem}.`);
    }
  };
  check();
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration(settingIds.reportTimezone)) return;
    check();
    apply();
  });
}
