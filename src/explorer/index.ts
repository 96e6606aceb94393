import * as vscode from 'vscode';
import { HUB_DB_EXPLORER_VIEW_TYPE, HubDbEditorProvider } from './hubDbEditorProvider';
import type { AnalysisOptions } from './worker/workerProtocol';

export { HUB_DB_EXPLORER_VIEW_TYPE } from './hubDbEditorProvider';
export type { AnalysisOptions } from './worker/workerProtocol';

export interface HubDbExplorerDeps {
  /** Where the explorer reports problems (never secrets). Default: nowhere. */
  log?: (line: string) => void;
  /** Override the worker entry and wasm (tests); default dist/sqlWorker.js and dist/sql-wasm.wasm. */
  workerPath?: string;
  wasmPath?: string;
}

let provider: HubDbEditorProvider | undefined;

/** Registers the read-only hub DB explorer for *.sqlite and *.db (the manifest contributes the editor). */
export function registerHubDbExplorer(
  context: vscode.ExtensionContext,
  deps: HubDbExplorerDeps = {},
): vscode.Disposable {
  const dist = vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath;
  const registered = new HubDbEditorProvider(context.extensionUri, {
    worker: {
      workerPath: deps.workerPath ?? `${dist}/sqlWorker.js`,
      wasmPath: deps.wasmPath ?? `${dist}/sql-wasm.wasm`,
    },
    log: deps.log ?? (() => undefined),
  });
  provider = registered;
  const registration = vscode.window.registerCustomEditorProvider(HUB_DB_EXPLORER_VIEW_TYPE, registered, {
    // The grid, its scroll position and cached pages live in the page: keep it when the tab is hidden.
    webviewOptions: { retainContextWhenHidden: true },
    supportsMultipleEditorsPerDocument: true,
  });
  return new vscode.Disposable(() => {
    registration.dispose();
    registered.dispose();
    if (provider === registered) provider = undefined;
  });
}

/**
 * Opens a DB file in the explorer ("Open Hub DB File…"); with `analysis`, the Analysis tab shows first
 * and runs with those options ("Analyze Hub DB").
 */
export async function openHubDbInExplorer(
  uri: vscode.Uri,
  options: { analysis?: AnalysisOptions } = {},
): Promise<void> {
  if (!provider) throw new Error('The hub DB explorer is not registered.');
  if (options.analysis) provider.requestAnalysis(uri, options.analysis);
  await vscode.commands.executeCommand('vscode.openWith', uri, HUB_DB_EXPLORER_VIEW_TYPE);
}
