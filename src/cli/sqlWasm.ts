import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The bundle ships sql.js's wasm beside itself (dist/sql-wasm.wasm); under tsx sql.js finds its own. */
export function bundledWasm(): string | undefined {
  const beside = join(__dirname, 'sql-wasm.wasm');
  return existsSync(beside) ? beside : undefined;
}
