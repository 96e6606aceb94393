import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { LoadedKubeconfig } from '../core/cluster/kubeconfig';
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
 * The merged kubeconfig, reloaded when a file it is made of changes (or the setting does), so the tree
 * follows `kubectl config use-context` and new clusters without a manual refresh. Kubeconfig files live
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
  private debounce: NodeJS.Timeout | undefined;

  constructor(private readonly log: Log) {
    this.settingsListener = settings.onDidChange(() => this.reload());
  }

  get(): LoadedKubeconfig {
    if (!this.current) this.reload(false);
    return this.current!;
  }

  reload(notify = true): void {
    const { kubeconfigFiles, loadKubeconfig } = kubeconfigModule();
    const files = kubeconfigFiles(settings.kubeconfig());
    this.current = loadKubeconfig(files);
    const { contexts, problems } = this.current;
    this.log.info(`Kubeconfig: ${contexts.length} context(s) from ${files.join(', ')}`);
    for (const problem of problems) this.log.warn(`Kubeconfig: ${problem.message}`);
    this.watch(files);
    if (notify) this.changed.fire(this.current);
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
