import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Subcommand } from '../../src/cli/io';

/** How a CLI run ended: its exit code and everything it printed. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs a `hubops` subcommand in this process, collecting what it prints. */
export async function runSubcommand(subcommand: Subcommand, args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await subcommand(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** Runs `node ARGS…` as a separate process to its end (code -1 when it did not exit by itself). */
export async function runNode(node: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(node, args, { env, maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: e.stdout ?? '', err: e.stderr ?? '' };
  }
}
