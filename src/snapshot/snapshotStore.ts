import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { deleteSnapshot, listSnapshots, snapshotFileName } from '../core/snapshot/snapshotFiles';

/** Hub DB snapshots in the extension's global storage: one file + JSON sidecar each, named by context, hub, time. */
export class SnapshotStore {
  readonly dir: string;

  constructor(context: vscode.ExtensionContext) {
    this.dir = join(context.globalStorageUri.fsPath, 'snapshots');
  }

  /** A new snapshot's path (the folder is created). */
  pathFor(contextName: string, namespace: string, when = new Date()): string {
    mkdirSync(this.dir, { recursive: true });
    return join(this.dir, snapshotFileName(contextName, namespace, when));
  }

  /** Newest first, with sidecars that could not be read. */
  list() {
    return listSnapshots(this.dir);
  }

  delete(file: string) {
    return deleteSnapshot(file);
  }
}
