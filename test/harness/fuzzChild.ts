/**
 * The child process of `runFuzz` (fuzz.ts): loads a target, runs its cases until the budget is spent,
 * writes `case N` before each case (so a hang names its case) and one JSON result as its last line.
 */
import { resolve } from 'node:path';
import { inspect } from 'node:util';
import { caseRandom, type FuzzSummary, type FuzzTarget } from './fuzz';

interface ChildArgs {
  name: string;
  seed: number;
  seconds: number;
  minCases: number;
  maxCases: number;
  only?: string;
}

async function main(): Promise<void> {
  const [targetFile, json] = process.argv.slice(2);
  const args = JSON.parse(json!) as ChildArgs;
  const loaded = (await import(resolve(targetFile!))) as { target?: FuzzTarget; default?: { target?: FuzzTarget } };
  const target = loaded.target ?? loaded.default?.target;
  if (!target) throw new Error(`${targetFile} exports no target`);
  const context = await target.setup();
  const outcomes: Record<string, number> = {};
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const indices =
    args.only !== undefined
      ? [Number(args.only)]
      : (function* () {
          for (let i = 0; i < args.maxCases && (i < args.minCases || elapsed() < args.seconds); i++) yield i;
        })();
  let cases = 0;
  for (const index of indices) {
    process.stdout.write(`case ${index}\n`);
    let outcome: string;
    try {
      outcome = await target.run(context, caseRandom(args.seed, index), index);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : inspect(error);
      process.stdout.write(JSON.stringify({ crash: { index, message } }) + '\n');
      process.exitCode = 1;
      return;
    }
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    cases++;
  }
  const summary: FuzzSummary = { target: args.name, seed: args.seed, cases, seconds: elapsed(), outcomes };
  process.stdout.write(JSON.stringify({ summary }) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
});
