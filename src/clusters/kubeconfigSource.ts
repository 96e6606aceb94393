import * as vscode from 'vscode';
import { kubeconfigFiles, loadKubeconfig, type LoadedKubeconfig } from '../core/kube/kubeconfig';
import { settings } from '../config/settings';

/**
 * The merged kubeconfig, reloaded when a file it is made of changes (or the setting does), so the
 * tree follows `kubectl config use-context` and new clusters without a manual refresh.
 */
export class KubeconfigSource implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LoadedKubeconfig>();
  readonly onDidChange = this.changed.event;
  private watchers: vscode.Disposable[] = [];
  private readonly settingsListener: vscode.Disposable;
  private current: LoadedKubeconfig | undefined;

  constructor() {
    this.settingsListener = settings.onDidChange(() => this.reload());
  }

  get(): LoadedKubeconfig {
    if (!this.current) this.reload(false);
    return this.current!;
  }

  reload(notify = true): void {
    const files = kubeconfigFiles(settings.kubeconfigOverride());
    this.current = loadKubeconfig(files);
    this.watch(files);
    if (notify) this.changed.fire(this.current);
  }

  private watch(files: string[]): void {
    vscode.Disposable.from(...this.watchers).dispose();
    this.watchers = files.map((file) => {
      // A RelativePattern on the file's folder also sees a file that does not exist yet being created.
      const watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(file).with({ path: dirnameOf(file) }), basenameOf(file)),
      );
      const onChange = () => this.reload();
      watcher.onDidChange(onChange);
      watcher.onDidCreate(onChange);
      watcher.onDidDelete(onChange);
      return watcher;
    });
  }

  dispose(): void {
    vscode.Disposable.from(...this.watchers, this.settingsListener, this.changed).dispose();
  }
}

const dirnameOf = (file: string) => file.replace(/[/\\][^/\\]*$/, '') || '/';
const basenameOf = (file: string) => file.replace(/^.*[/\\]/, '');
