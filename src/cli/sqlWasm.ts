import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';

/** The bundle ships sql.js's wasm beside itself (dist/sql-wasm.wasm); under tsx sql.js finds its own. */
export function bundledWasm(): string | undefined {
  const beside = join(__dirname, 'sql-wasm.wasm');
  return existsSync(beside) ? beside : undefined;
}

/**
 * On Node 20 and older (V8 before 12), compiling sql.js's wasm also compiles every one of its functions with
 * V8's optimizing compiler in the background, and the process waits for that before it exits: `hubops analyze`
 * on a 1.4 MiB hub DB took 0.35–0.39 s and 103–112 MiB, of which the analysis is about 50 ms. With V8's
 * baseline compiler only (`--liftoff-only`) the same run takes 0.18–0.22 s and 63 MiB, and on the 289 MiB
 * DB of a million spawners it is no slower (3.97 s against 4.11 s). Newer V8 optimizes only the functions
 * that run hot, so there this changes nothing and is not done. Call it before sql.js is first loaded: the
 * CLI is a short-lived process that compiles the wasm once.
 */
export function compileWasmForShortRun(
  v8Version: string = process.versions.v8,
  setFlags: (flags: string) => void = setFlagsFromString,
): boolean {
  const major = Number.parseInt(v8Version, 10);
  if (!(major < 12)) return false;
  setFlags('--liftoff-only');
  return true;
}
