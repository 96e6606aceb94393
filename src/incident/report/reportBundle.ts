/**
 * What loads when the first report is drafted, exported or restored (dist/report.js, a bundle of its own: see
 * scripts/build.mjs): the report editor, and what asks the hubs' Prometheus for the incident's history.
 */
export { ReportEditor } from './reportEditor';
export { historyLoader } from '../../prometheus/reportHistory';
