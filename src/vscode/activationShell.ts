import * as vscode from 'vscode';
import { commands, views, webviews } from './contributes';

type ViewId = (typeof views)[keyof typeof views];

/**
 * What VS Code must find registered when `activate` returns, and the features attach to once they load:
 * the two views, the hub DB editor and the report panels' restore after a reload. The features take their
 * TreeView (and register the editor and the serializer) through this instead of through `vscode.window`.
 */
export interface Surfaces {
  /** The view's TreeView, created at activation, now showing `provider`'s rows. */
  treeView<T>(id: ViewId, provider: vscode.TreeDataProvider<T>): vscode.TreeView<T>;
  /** Opens *.sqlite / *.db files in the hub DB explorer (`webviews.hubDbExplorer`). */
  hubDbEditor<D extends vscode.CustomDocument>(provider: vscode.CustomReadonlyEditorProvider<D>): vscode.Disposable;
  /** Restores report panels after a reload (`webviews.incidentReport`). */
  reportSerializer(serializer: vscode.WebviewPanelSerializer): vscode.Disposable;
}

/** The options each surface is registered with: VS Code takes them at registration, before the features load. */
const treeOptions: Record<ViewId, Omit<vscode.TreeViewOptions<unknown>, 'treeDataProvider'>> = {
  [views.clusters]: { showCollapseAll: true },
  [views.incident]: {},
};
const hubDbEditorOptions = {
  // The grid, its scroll position and cached pages live in the page: keep it when the tab is hidden.
  webviewOptions: { retainContextWhenHidden: true },
  supportsMultipleEditorsPerDocument: true,
};

/** A view's rows, from the features' provider once they are loaded; asking for rows loads them. */
class ForwardingTree implements vscode.TreeDataProvider<unknown> {
  target: vscode.TreeDataProvider<unknown> | undefined;
  private readonly changed = new vscode.EventEmitter<unknown>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly load: () => void) {}

  attach(provider: vscode.TreeDataProvider<unknown>): vscode.Disposable {
    this.target = provider;
    return provider.onDidChangeTreeData?.((e) => this.changed.fire(e)) ?? new vscode.Disposable(() => {});
  }

  getChildren(element?: unknown): vscode.ProviderResult<unknown[]> {
    this.load();
    return this.target?.getChildren(element) ?? [];
  }

  getTreeItem(element: unknown): vscode.TreeItem | Thenable<vscode.TreeItem> {
    this.load();
    if (!this.target) throw new Error('JupyterHub Ops did not register this view');
    return this.target.getTreeItem(element);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * Activation in two steps. `activate` registers only what VS Code needs to find at once: a stand-in for every
 * command, the views, the hub DB editor and the report restore. The features (`start`, a bundle of its own)
 * load on first use: a view asking for rows, a command, a file opened in the editor, a report restored, or the
 * returned `features()` called (the extension's API). Returns that loader.
 */
export function deferActivation<Api>(context: vscode.ExtensionContext, start: (surfaces: Surfaces) => Api): () => Api {
  let api: Api | undefined;
  let failed: unknown;
  const trees = new Map<ViewId, { tree: ForwardingTree; view: vscode.TreeView<unknown> }>();
  let editor: vscode.CustomReadonlyEditorProvider | undefined;
  let serializer: vscode.WebviewPanelSerializer | undefined;

  const surfaces: Surfaces = {
    treeView<T>(id: ViewId, provider: vscode.TreeDataProvider<T>) {
      const entry = trees.get(id)!;
      context.subscriptions.push(entry.tree.attach(provider as vscode.TreeDataProvider<unknown>));
      return entry.view as vscode.TreeView<T>;
    },
    hubDbEditor(provider) {
      editor = provider as vscode.CustomReadonlyEditorProvider;
      return new vscode.Disposable(() => (editor = undefined));
    },
    reportSerializer(target) {
      serializer = target;
      return new vscode.Disposable(() => (serializer = undefined));
    },
  };

  // Each command's stand-in loads the features, which register the command itself, and runs it.
  const stubs = Object.values(commands).map((id) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => {
      load();
      return vscode.commands.executeCommand(id, ...args);
    }),
  );

  const load = (): Api => {
    if (api !== undefined) return api;
    if (failed !== undefined) throw failed;
    for (const stub of stubs.splice(0)) stub.dispose();
    try {
      api = start(surfaces);
      return api;
    } catch (error) {
      failed = error;
      void vscode.window.showErrorMessage(
        `JupyterHub Ops could not start: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    }
  };

  for (const id of Object.values(views)) {
    const tree = new ForwardingTree(load);
    const view = vscode.window.createTreeView(id, { treeDataProvider: tree, ...treeOptions[id] });
    trees.set(id, { tree, view });
    context.subscriptions.push(view, tree);
  }
  context.subscriptions.push(
    ...stubs.map((stub) => new vscode.Disposable(() => stub.dispose())),
    vscode.window.registerCustomEditorProvider(
      webviews.hubDbExplorer,
      {
        openCustomDocument: (uri, openContext, token) => {
          load();
          if (!editor) throw new Error('JupyterHub Ops did not register the hub DB explorer');
          return editor.openCustomDocument(uri, openContext, token);
        },
        resolveCustomEditor: (document, panel, token) => editor?.resolveCustomEditor(document, panel, token),
      },
      hubDbEditorOptions,
    ),
    vscode.window.registerWebviewPanelSerializer(webviews.incidentReport, {
      deserializeWebviewPanel: async (panel, state) => {
        load();
        await serializer?.deserializeWebviewPanel(panel, state);
      },
    }),
  );
  return load;
}
