/**
 * Seeded fuzzing bounded in time, for CI. A target module (`*.fuzzTarget.ts`) exports a `FuzzTarget`;
 * `runFuzz` runs it in a child process (`fuzzChild.ts`) so that a hang, which no in-process timer can
 * interrupt, fails the run too: the child is killed when it gives no result in time.
 *
 * Each case gets its own PRNG, seeded from the run's seed and the case number, so any case can be
 * replayed alone: `HUBOPS_FUZZ_SEED=<seed> HUBOPS_FUZZ_CASE=<n>`. Without HUBOPS_FUZZ_SEED every run
 * picks a new seed (and prints it). HUBOPS_FUZZ_SECONDS changes the time budget.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { seededRandom, type Random } from './random';

export type { Random } from './random';

export interface FuzzTarget<Context = unknown> {
  /** Builds what every case starts from (valid inputs); not counted in the budget. */
  setup(): Promise<Context>;
  /**
   * One case: throws (an assertion, or an exception that escaped the code under test) to fail the run,
   * else returns a label for the outcome, counted in the summary.
   */
  run(context: Context, random: Random, index: number): Promise<string> | string;
}

export interface FuzzSummary {
  target: string;
  seed: number;
  cases: number;
  seconds: number;
  outcomes: Record<string, number>;
}

export interface FuzzBudget {
  /** Stop starting new cases after this long. */
  seconds: number;
  /** Run at least this many cases, however long they take (so a slow machine still fuzzes). */
  minCases: number;
  maxCases: number;
}

/** The PRNG of case `index` in a run seeded with `seed`. */
export const caseRandom = (seed: number, index: number): Random =>
  seededRandom((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);

/** An integer in [0, n). */
export const pick = (random: Random, n: number): number => Math.floor(random() * n);
export const oneOf = <T>(random: Random, items: readonly T[]): T => items[pick(random, items.length)]!;

const repoRoot = resolve(__dirname, '../..');

/**
 * Runs `targetFile` in a child process within `budget`, prints the seed and the cases run, and returns the
 * summary. Throws with the seed (and the case, when known) on a crash, and on a hang.
 */
export function runFuzz(name: string, targetFile: string, budget: FuzzBudget): FuzzSummary {
  const seed = process.env.HUBOPS_FUZZ_SEED ? Number(process.env.HUBOPS_FUZZ_SEED) : (Date.now() * 997) >>> 0;
  const seconds = process.env.HUBOPS_FUZZ_SECONDS ? Number(process.env.HUBOPS_FUZZ_SECONDS) : budget.seconds;
  const only = process.env.HUBOPS_FUZZ_CASE;
  // Setup, tsx and the minimum number of cases on a loaded machine fit in this; a hang does not.
  const killAfterMs = (seconds + 120) * 1000;
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(__dirname, 'fuzzChild.ts'),
      targetFile,
      JSON.stringify({ name, seed, seconds, minCases: budget.minCases, maxCases: budget.maxCases, only }),
    ],
    { cwd: repoRoot, encoding: 'utf8', timeout: killAfterMs, maxBuffer: 2 ** 24 },
  );
  const reproduce = `reproduce with HUBOPS_FUZZ_SEED=${seed}`;
  const last = child.stdout.trimEnd().split('\n').pop() ?? '';
  if (child.error || child.signal) {
    const started = lastCase(child.stdout);
    const where = started === null ? '' : `, in case ${started}`;
    const again = started === null ? reproduce : `${reproduce} HUBOPS_FUZZ_CASE=${started}`;
    throw new Error(
      `fuzz ${name}: no result after ${killAfterMs / 1000} s (a hang?)${where}; ${again}\n${child.stderr.slice(-4000)}`,
    );
  }
  let result: { summary?: FuzzSummary; crash?: { index: number; message: string } };
  try {
    result = JSON.parse(last) as typeof result;
  } catch {
    throw new Error(`fuzz ${name}: the child exited ${child.status} without a result; ${reproduce}\n${child.stderr}`);
  }
  if (result.crash)
    throw new Error(
      `fuzz ${name}: case ${result.crash.index} failed; ${reproduce} HUBOPS_FUZZ_CASE=${result.crash.index}\n${result.crash.message}`,
    );
  const summary = result.summary!;
  const outcomes = Object.entries(summary.outcomes)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  console.log(
    `      fuzz ${name}: seed ${seed}, ${summary.cases.toLocaleString('en-US')} cases in ${summary.seconds.toFixed(1)} s (${outcomes})`,
  );
  return summary;
}

/** The case the child started last (it writes `case N` before each). */
function lastCase(stdout: string): string | null {
  const matches = stdout.match(/^case \d+$/gm);
  return matches ? matches[matches.length - 1]!.slice(5) : null;
}
