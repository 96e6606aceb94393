/**
 * The readiness page (bundled to dist/webview/readiness.js and readiness.css). It renders what the host
 * sends and asks for copies and the export; every message either way is validated against
 * src/protocol/readinessProtocol.ts.
 */
import './readiness.css';
import { readinessPage, type ToHost, type ToWebview } from '../../src/protocol/readinessProtocol';
import { HostConnection, vscodeApi } from '../shared/hostConnection';
import { registerToolkit } from '../shared/toolkit';
import { ReadinessApp } from './readinessApp';

registerToolkit();
const api = vscodeApi();
const root = document.getElementById('app');
if (root) new ReadinessApp(root, new HostConnection<ToHost, ToWebview>(api, readinessPage), api);
