import initSqlJs, { type SqlJsStatic } from 'sql.js';

export type { Database, SqlJsStatic, SqlValue, Statement } from 'sql.js';

const loaded = new Map<string, Promise<SqlJsStatic>>();

/**
 * sql.js, loaded once per wasm location. Bundled code passes `wasmPath` (the build copies
 * `sql-wasm.wasm` next to the bundle as `dist/sql-wasm.wasm`); under tsx or plain Node the package's own
 * wasm is found by sql.js itself. Works in a worker_thread too: nothing here touches the editor.
 */
export function loadSqlJs(options: { wasmPath?: string } = {}): Promise<SqlJsStatic> {
  const key = options.wasmPath ?? '';
  let promise = loaded.get(key);
  if (!promise) {
    const wasmPath = options.wasmPath;
    promise = initSqlJs(wasmPath ? { locateFile: () => wasmPath } : undefined);
    // A failed load (wrong path) must not stick: the next call may pass a better path.
    promise.catch(() => loaded.delete(key));
    loaded.set(key, promise);
  }
  return promise;
}
