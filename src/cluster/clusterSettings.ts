import * as vscode from 'vscode';
import { settings } from '../config/settings';

/** The Clusters view's settings (the shared ones come from config/settings.ts). */
export const clusterSettings = {
  namespaces(): string[] {
    return settings
      .namespaces()
      .map((ns) => ns.trim())
      .filter(Boolean);
  },
  /** Pod metrics poll interval; at least 5 s, whatever the setting says (metrics-server scrapes every 15–60 s). */
  metricsIntervalMs(): number {
    const seconds = vscode.workspace.getConfiguration('jupyterhubOps').get<number>('metricsIntervalSeconds', 30);
    return Math.max(5, Number.isFinite(seconds) ? seconds : 30) * 1000;
  },
};
