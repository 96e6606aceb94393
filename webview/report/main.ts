/**
 * The incident report page (bundled to dist/webview/report.js). It renders and asks: drafting, saving
 * and export happen in the extension host, and every message in either direction is validated against
 * src/protocol/reportProtocol.ts.
 */
import { HostConnection, type VsCodeApi } from './hostConnection';
import { PageState } from './pageState';
import { ReportApp } from './reportApp';
import { registerToolkit } from './toolkit';

declare function acquireVsCodeApi(): VsCodeApi;

registerToolkit();
const api = acquireVsCodeApi();
const root = document.getElementById('app');
if (root) new ReportApp(root, new HostConnection(api), new PageState(api));
