import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { FileInfo } from '../protocol/explorerProtocol';
import { readHubDbFile, type HubDbFile } from './hubDbFile';

/**
 * One DB file opened in the explorer: its bytes as read when opened (never written back) and what was
 * beside it. Several explorer tabs of the same file share this document, each with its own worker.
 */
export class HubDbDocument implements vscode.CustomDocument {
  private constructor(
    readonly uri: vscode.Uri,
    readonly file: HubDbFile,
  ) {}

  static async open(uri: vscode.Uri): Promise<HubDbDocument> {
    if (uri.scheme === 'file') return new HubDbDocument(uri, await readHubDbFile(uri.fsPath));
    // Not on this machine's disk (a virtual file system): no -wal can be checked beside it.
    const info: FileInfo = { name: basename(uri.path), bytes: 0, walBytes: null };
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      return new HubDbDocument(uri, {
        info: { ...info, bytes: bytes.length },
        content: { ok: true, value: bytes },
        wal: null,
      });
    } catch (error) {
      const message = `Cannot read ${info.name}: ${error instanceof Error ? error.message : String(error)}`;
      return new HubDbDocument(uri, {
        info,
        content: { ok: false, error: { code: 'unreadable', message } },
        wal: null,
      });
    }
  }

  dispose(): void {
    // Nothing to release: the bytes go with the object; workers belong to the editors.
  }
}
