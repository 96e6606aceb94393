import * as vscode from 'vscode';
import { namespace, settingReaders } from './contributes';

const source = () => vscode.workspace.getConfiguration(namespace);

/** The extension's settings, read through the registry's readers from VS Code's configuration. */
export const settings = {
  kubeconfig: () => settingReaders.kubeconfig(source()),
  namespaces: () => settingReaders.namespaces(source()),
  reportTimezone: () => settingReaders.reportTimezone(source()),
  metricsIntervalMs: () => settingReaders.metricsIntervalMs(source()),
  prometheusUrls: () => settingReaders.prometheusUrls(source()),
  /** Any of our settings changed. */
  onDidChange(listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(namespace)) listener();
    });
  },
};
