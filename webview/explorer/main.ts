/**
 * The hub DB explorer page (bundled to dist/webview/explorer.js and explorer.css). It only renders and
 * asks: every query runs in the extension's sql.js worker, and every message in either direction is
 * validated against src/protocol/explorerProtocol.ts.
 */
import './explorer.css';
import { explorerPage, type ToHost, type ToWebview } from '../../src/protocol/explorerProtocol';
import { HostConnection, vscodeApi } from '../shared/hostConnection';
import { registerToolkit } from '../shared/toolkit';
import { ExplorerApp } from './app';
import { PersistedState } from './persistedState';

registerToolkit();
const api = vscodeApi();
const root = document.getElementById('app');
if (root) new ExplorerApp(root, new HostConnection<ToHost, ToWebview>(api, explorerPage), new PersistedState(api));
