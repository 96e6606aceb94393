import * as vscode from 'vscode';
import { webviews } from '../vscode/contributes';
import type { Surfaces } from '../vscode/activationShell';
import type { Log } from '../vscode/log';
import { HubDbEditorProvider, type FileOrigins, type HubDbAnalysed } from './hubDbEditorProvider';
import type { AnalysisOptions } from './worker/workerProtocol';
import { ViewMemory } from './viewMemory';

export type { FileOrigins, HubDbAnalysed } from './hubDbEditorProvider';
export type { AnalysisOptions } from './worker/workerProtocol';

export interface HubDbExplorerDeps {
  /** The extension's log (never secrets). */
  log: Log;
  /** Where the editor was registered at activation. */
  surfaces: Surfaces;
  /** Override the worker entry and wasm (tests); default dist/sqlWorker.js and dist/sql-wasm.wasm. */
  workerPath?: string;
  wasmPath?: string;
}

/** The explorer as the rest of the extension uses it. */
export interface HubDbExplorer extends vscode.Disposable {
  /**
   * Opens a DB file in the explorer ("Open Hub DB File…"); with `analysis`, the Analysis tab shows first
   * and runs with those options ("Analyze Hub DB").
   */
  open(uri: vscode.Uri, options?: { analysis?: AnalysisOptions }): Promise<void>;
  /** Every analysis run in an explorer tab, with the file it analysed and whether it is evidence. */
  readonly onDidAnalyze: vscode.Event<HubDbAnalysed>;
  /**
   * Says which files are snapshots of which hub, and the settings that hub ran with: the page shows them,
   * and labels an analysis at any other version or limit as a what-if.
   */
  useOrigins(origins: FileOrigins): void;
}

/** Registers the read-only hub DB explorer for *.sqlite and *.db (the manifest contributes the editor). */
export function registerHubDbExplorer(context: vscode.ExtensionContext, deps: HubDbExplorerDeps): HubDbExplorer {
  const dist = vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath;
  const provider = new HubDbEditorProvider(context.extensionUri, {
    worker: {
      workerPath: deps.workerPath ?? `${dist}/sqlWorker.js`,
      wasmPath: deps.wasmPath ?? `${dist}/sql-wasm.wasm`,
    },
    log: deps.log,
    views: new ViewMemory(vscode.Uri.joinPath(context.globalStorageUri, 'explorer-views.json').fsPath),
  });
  const registration = deps.surfaces.hubDbEditor(provider);
  return {
    async open(uri, options = {}) {
      if (options.analysis) provider.requestAnalysis(uri, options.analysis);
      await vscode.commands.executeCommand('vscode.openWith', uri, webviews.hubDbExplorer);
    },
    onDidAnalyze: provider.onDidAnalyze,
    useOrigins(origins) {
      provider.origins = origins;
    },
    dispose() {
      registration.dispose();
      provider.dispose();
    },
  };
}
