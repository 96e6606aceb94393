import * as vscode from 'vscode';
import { formatBytes } from '../shared/format';
import type { SnapshotInfo } from '../core/snapshot/snapshotFiles';
import type { HubDbExplorer } from '../explorer';
import { showUserError, type Log } from '../vscode/log';
import type { SnapshotStore } from './snapshotStore';

const openButton: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('go-to-file'),
  tooltip: 'Open in the explorer',
};
const deleteButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete snapshot' };

type SnapshotPick = vscode.QuickPickItem & { snapshot: SnapshotInfo };

/** "JupyterHub: Hub DB Snapshots…": every snapshot taken, newest first; open one or delete it. */
export async function manageSnapshots(
  store: SnapshotStore,
  openInExplorer: HubDbExplorer['open'],
  log: Log,
): Promise<void> {
  const listing = await store.list();
  for (const problem of listing.problems) {
    log.warn(`Snapshots: ${problem.message}`);
    void vscode.window.showWarningMessage(problem.message);
  }
  if (listing.snapshots.length === 0) {
    void vscode.window.showInformationMessage('No hub DB snapshots yet: run "JupyterHub: Analyze Hub DB" to take one.');
    return;
  }
  const quickPick = vscode.window.createQuickPick<SnapshotPick>();
  quickPick.title = 'Hub DB snapshots';
  quickPick.placeholder = 'Pick a snapshot to open it; the buttons open or delete';
  const toItem = (snapshot: SnapshotInfo): SnapshotPick => ({
    label: `${snapshot.namespace} · ${snapshot.context}`,
    description: new Date(snapshot.takenAt).toLocaleString(),
    detail: `${formatBytes(snapshot.bytes)} from pod ${snapshot.pod}, quick_check ${snapshot.quickCheck}`,
    buttons: [openButton, deleteButton],
    snapshot,
  });
  quickPick.items = listing.snapshots.map(toItem);
  const open = async (snapshot: SnapshotInfo) => {
    quickPick.hide();
    await openInExplorer(vscode.Uri.file(snapshot.file));
  };
  quickPick.onDidAccept(() => {
    const picked = quickPick.selectedItems[0];
    if (picked) void open(picked.snapshot);
  });
  quickPick.onDidTriggerItemButton(async ({ item, button }) => {
    if (button === openButton) return open(item.snapshot);
    const deleted = await store.delete(item.snapshot.file);
    if (!deleted.ok) return showUserError(log, deleted.error, 'Deleting the snapshot');
    log.info(`Snapshots: deleted ${item.snapshot.file}`);
    quickPick.items = quickPick.items.filter((i) => i !== item);
  });
  quickPick.onDidHide(() => quickPick.dispose());
  quickPick.show();
}
