/**
 * The hub DB explorer page (bundled to dist/webview/explorer.js). It only renders and asks: every
 * query runs in the extension's sql.js worker, and every message in either direction is validated
 * against src/protocol/explorerProtocol.ts.
 */
import { ExplorerApp } from './app';
import { HostConnection, type VsCodeApi } from './hostConnection';
import { PersistedState } from './persistedState';
import { registerToolkit } from './toolkit';

declare function acquireVsCodeApi(): VsCodeApi;

registerToolkit();
const api = acquireVsCodeApi();
const root = document.getElementById('app');
if (root) new ExplorerApp(root, new HostConnection(api), new PersistedState(api));
