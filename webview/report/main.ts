/**
 * The incident report page (bundled to dist/webview/report.js and report.css). It renders and asks:
 * drafting, saving and export happen in the extension host, and every message in either direction is
 * validated against src/protocol/reportProtocol.ts.
 */
import './report.css';
import { reportPage, type ToHost, type ToWebview } from '../../src/protocol/reportProtocol';
import { HostConnection, vscodeApi } from '../shared/hostConnection';
import { registerToolkit } from '../shared/toolkit';
import { PageState } from './pageState';
import { ReportApp } from './reportApp';

registerToolkit();
const api = vscodeApi();
const root = document.getElementById('app');
if (root) new ReportApp(root, new HostConnection<ToHost, ToWebview>(api, reportPage), new PageState(api));
