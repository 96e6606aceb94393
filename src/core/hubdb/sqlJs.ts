import { promises as fs } from 'node:fs';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

export type { Database, SqlJsStatic, SqlValue, Statement } from 'sql.js';

const loaded = new Map<string, Promise<SqlJsStatic>>();

/**
 * sql.js, loaded once per wasm location. Bundled code passes `wasmPath` (the build copies
 * `sql-wasm.wasm` next to the bundle as `dist/sql-wasm.wasm`); under tsx or plain Node the package's own
 * wasm is found by sql.js itself. A host that already holds the bytes (a webview, a test) passes
 * `wasmBinary` instead. Works in a worker_thread too: nothing here touches the editor.
 */
export function loadSqlJs(options: { wasmPath?: string; wasmBinary?: ArrayBuffer } = {}): Promise<SqlJsStatic> {
  if (options.wasmBinary) return initSqlJs({ wasmBinary: options.wasmBinary });
  const key = options.wasmPath ?? '';
  let promise = loaded.get(key);
  if (!promise) {
    const wasmPath = options.wasmPath;
    // The bytes are read here, not by sql.js: on a missing file sql.js aborts with an uncaught
    // RuntimeError besides rejecting, which would take the whole process down.
    promise = wasmPath
      ? fs.readFile(wasmPath).then((bytes) =>
          initSqlJs({
            wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
          }),
        )
      : initSqlJs();
    // A failed load (wrong path) must not stick: the next call may pass a better path.
    promise.catch(() => loaded.delete(key));
    loaded.set(key, promise);
  }
  return promise;
}
