/**
 * The hub database core: open a snapshot (sql.js, read-only), tell what schema it holds, export results
 * (secrets are hidden by src/core/secrets), and analyse JupyterHub's start-up cost. Pure TypeScript: no editor APIs, so
 * it runs in the extension host, a worker_thread, the CLI and the unit tests alike.
 */
export { loadSqlJs, type Database, type SqlJsStatic, type SqlValue } from './sqlJs';
export {
  openHubDb,
  openHubDbFile,
  openHubDbWith,
  type OpenedDb,
  type OpenHubDbFileOptions,
  type OpenHubDbOptions,
  type OpenErrorCode,
} from './openHubDb';
export { nodeSqlite } from './nativeSqlite';
export { type ReadableDb, type ReadStatement } from './sqlRows';
export { classifyHubSchema, KNOWN_REVISIONS, type HubSchemaInfo, type HubSchemaSeries } from './hubSchema';
export { readSqliteHeader, type SqliteHeader } from './sqliteHeader';
export { applyWal } from './walFrames';
export { isReadOnlySql, restoreReadOnly } from './readOnly';
export { columnNames, iterateRows, quoteIdentifier, selectAll, tableColumns, type SqlCell } from './sqlRows';
export {
  csvField,
  exportCsv,
  exportJson,
  jsonValue,
  uniqueKeys,
  type CsvOptions,
  type RowSink,
  type Rows,
} from './exportRows';
export * from './analyzer';
