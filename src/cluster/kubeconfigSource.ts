import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { KubeconfigOrigin, KubeconfigState, LoadedKubeconfig } from '../core/cluster/kubeconfig';
import { commands, contextKeys, namespace, settingIds } from '../vscode/contributes';
import type { Log } from '../vscode/log';
import { settings } from '../vscode/settings';

/**
 * The kubeconfig module pulls in @kubernetes/client-node (about 1 MB of code to evaluate): it is required
 * on first use, not imported, so activation does not pay for it (esbuild keeps a required ES module's
 * evaluation lazy in the CJS bundle). A plain require keeps `get()` synchronous for its callers.
 */
function kubeconfigModule(): typeof import('../core/cluster/kubeconfig') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../core/cluster/kubeconfig') as typeof import('../core/cluster/kubeconfig');
}

/**
 * The merged kubeconfig, reloaded when a file it is made of changes (or the setting does, at once: no
 * window reload), so the tree follows `kubectl config use-context` and new clusters without a manual
 * refresh. It sets the `jupyterhubOps.kubeconfigState` context key the Clusters view's welcome text
 * depends on, and says in one line when a path set in `jupyterhubOps.kubeconfig` cannot be used. Kubeconfig files live
 * outside the workspace, where VS Code's file watcher proved unreliable (it missed the second of two files
 * in one folder), so this watches each folder with Node's fs.watch: that also sees a file being created,
 * and editors and kubectl that replace the file by renaming.
 */
export class KubeconfigSource implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LoadedKubeconfig>();
  readonly onDidChange = this.changed.event;
  private watchers: FSWatcher[] = [];
  private readonly settingsListener: vscode.Disposable;
  private current: LoadedKubeconfig | undefined;
  private currentOrigin: KubeconfigOrigin = 'default';
  private currentState: KubeconfigState | undefined;
  private debounce: NodeJS.Timeout | undefined;

  constructor(private readonly log: Log) {
    this.settingsListener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(settingIds.kubeconfig)) this.settingChanged();
      // Other settings (namespaces, metrics interval, Prometheus URLs) are part of what the watches and
      // sources were made from: a reload lets each reconcile what changed.
      else if (e.affectsConfiguration(namespace)) this.reload();
    });
  }

  get(): LoadedKubeconfig {
    if (!this.current) this.reload(false);
    return this.current!;
  }

  /** What the Clusters view shows for the kubeconfig as loaded (see kubeconfigState). */
  state(): KubeconfigState {
    this.get();
    return this.currentState!;
  }

  /** Where the files came from: the setting, KUBECONFIG or ~/.kube/config. */
  origin(): KubeconfigOrigin {
    this.get();
    return this.currentOrigin;
  }

  reload(notify = true): void {
    const { kubeconfigFiles, kubeconfigOrigin, kubeconfigState, loadKubeconfig } = kubeconfigModule();
    const override = settings.kubeconfig();
    const files = kubeconfigFiles(override);
    this.current = loadKubeconfig(files);
    this.currentOrigin = kubeconfigOrigin(override);
    const state = kubeconfigState(this.current, this.currentOrigin);
    if (state !== this.currentState) {
      this.currentState = state;
      void vscode.commands.executeCommand('setContext', contextKeys.kubeconfigState, state);
    }
    const { contexts, problems } = this.current;
    this.log.info(`Kubeconfig: ${contexts.length} context(s) from ${files.join(', ')}`);
    for (const problem of problems) this.log.warn(`Kubeconfig: ${problem.message}`);
    this.watch(files);
    if (notify) this.changed.fire(this.current);
  }

  /** The setting changed: reload now, and say in one line if the new path cannot be used. */
  private settingChanged(): void {
    this.reload();
    if (this.currentOrigin !== 'setting') return;
    const problem = this.current?.problems[0];
    if (!problem) return;
    const reason = problem.kind === 'missing' ? `no file at ${problem.file}` : problem.message;
    void vscode.window.showWarningMessage(`${settingIds.kubeconfig}: ${reason}`, 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand(commands.openKubeconfigSetting);
    });
  }

  private watch(files: string[]): void {
    this.closeWatchers();
    const namesByDir = new Map<string, Set<string>>();
    for (const file of files) {
      const names = namesByDir.get(dirname(file)) ?? new Set<string>();
      names.add(basename(file));
      namesByDir.set(dirname(file), names);
    }
    for (const [dir, names] of namesByDir) {
      try {
        const watcher = watch(dir, { persistent: false }, (_event, name) => {
          if (name && names.has(name.toString())) this.scheduleReload();
        });
        watcher.on('error', () => watcher.close()); // the folder went away: the next reload re-watches
        this.watchers.push(watcher);
      } catch {
        // A folder that does not exist: nothing to watch; the error row already says the file is missing.
      }
    }
  }

  /** Writers often touch a file several times in a row: reload once they are done. */
  private scheduleReload() {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.reload(), 150);
  }

  private closeWatchers() {
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
  }

  dispose(): void {
    clearTimeout(this.debounce);
    this.closeWatchers();
    vscode.Disposable.from(this.settingsListener, this.changed).dispose();
  }
}
