import { existsSync, readFileSync, statSync } from 'node:fs';
import { messageOf } from '../core/result';
import {
  analyzeHubDb,
  formatBytes,
  formatCount,
  formatSeconds,
  MAX_STALE_DAYS,
  openHubDbFile,
  type HubDbAnalysis,
} from '../core/hubdb';
import { redactDeep } from '../core/secrets';
import { inertText, terminalJson } from '../shared/untrustedText';
import {
  badArguments,
  MEMORY_QUANTITY,
  numberOption,
  parseArgs,
  quoteArg,
  table,
  unknownOptions,
  wholeNumber,
  type Subcommand,
} from './io';
import { bundledWasm, compileWasmForShortRun } from './sqlWasm';

const USAGE =
  'usage: hubops analyze FILE [--jupyterhub-version X.Y.Z] [--memory-limit 2Gi] [--stale-days 30] [--json] [--cleanup-script bash|python]';
const STALE_DAYS = wholeNumber(1, MAX_STALE_DAYS, 'days');

/**
 * `hubops analyze FILE`: what restarting the hub on this DB would cost (rows, memory, time) per
 * JupyterHub version, the verdict against the hub's memory limit, who causes it and the safe fix.
 * Exit 0 when analysed, 2 for bad arguments or a file that is not a readable JupyterHub DB.
 */
export const analyze: Subcommand = async (args, io) => {
  const { options, positional, unknown } = parseArgs(args, {
    values: ['jupyterhub-version', 'memory-limit', 'stale-days', 'cleanup-script', 'wal'],
    switches: ['json'],
  });
  if (unknown.length || positional.length !== 1)
    return badArguments(io, 'analyze', `${unknown.length ? unknownOptions(unknown) : 'give one DB file'} (${USAGE})`);
  const file = positional[0]!;
  const text = (name: string) => {
    const value = options.get(name);
    return typeof value === 'string' ? value : undefined;
  };

  // Every numeric option goes through the one validator: anything but a valid number exits 2 with one line.
  const memoryLimit = numberOption(options, 'memory-limit', MEMORY_QUANTITY);
  if (!memoryLimit.ok) return badArguments(io, 'analyze', memoryLimit.message);
  const days = numberOption(options, 'stale-days', STALE_DAYS);
  if (!days.ok) return badArguments(io, 'analyze', days.message);
  const version = text('jupyterhub-version');
  if (version !== undefined && !/^[\x21-\x7e]{1,40}$/.test(version))
    return badArguments(io, 'analyze', `--jupyterhub-version must be a version like 5.3.0, not ${quoteArg(version)}`);
  const script = text('cleanup-script');
  if (script !== undefined && script !== 'bash' && script !== 'python')
    return badArguments(io, 'analyze', `--cleanup-script must be bash or python, not ${quoteArg(script)}`);

  // The DB itself is read by openHubDbFile (in place with Node's own SQLite where it can); the -wal beside
  // it, when there is one, is read here and applied on a copy in memory.
  let walBytes: Uint8Array | undefined;
  let modified: Date;
  try {
    modified = statSync(file).mtime;
    const wal = text('wal') ?? `${file}-wal`;
    if (existsSync(wal)) walBytes = readFileSync(wal);
  } catch (error) {
    io.err(`hubops analyze: cannot read ${file}: ${messageOf(error)}\n`);
    return 2;
  }

  const wasmPath = bundledWasm();
  compileWasmForShortRun();
  const opened = await openHubDbFile(file, {
    ...(walBytes ? { walBytes } : {}),
    ...(wasmPath ? { wasmPath } : {}),
  });
  if (!opened.ok) {
    io.err(
      opened.error.code === 'hubdb.unreadable'
        ? `hubops analyze: cannot read ${file}: ${messageOf(opened.error.cause)}\n`
        : `hubops analyze: ${file}: ${opened.error.userMessage}\n`,
    );
    return 2;
  }
  try {
    const result = analyzeHubDb(opened.value, {
      ...(version !== undefined ? { jupyterhubVersion: version } : {}),
      memoryLimitBytes: memoryLimit.value ?? null,
      staleDays: days.value ?? 30,
      snapshotTime: modified.toISOString(),
      // The text report shows no script: write them only when asked for one, or for everything (--json).
      cleanupScripts: script !== undefined || options.has('json'),
    });
    if (!result.ok) {
      io.err(`hubops analyze: ${file}: ${result.error.userMessage}\n`);
      return 2;
    }
    // What is shown passes the one secret detector; the scripts and config snippets are to be run as
    // they are (they name servers, never a secret: the token comes from the environment).
    const analysis = redactDeep(result.value, GENERATED);
    if (script === 'bash') io.out(analysis.remediation.cleanup.bash);
    else if (script === 'python') io.out(analysis.remediation.cleanup.python);
    else if (options.has('json')) io.out(terminalJson(analysis) + '\n');
    else io.out(report(file, analysis));
    return 0;
  } finally {
    opened.value.close();
  }
};

/** Keys of the analysis that hold generated scripts and config, kept exactly (see `analyze`). */
const GENERATED = new Set(['bash', 'python', 'yaml']);

const count = formatCount;
/** One line of the report: names from the DB (a user called "a\nFits: …") cannot add lines or act. */
const line = (text: string) => inertText(text, 'line');

/** The readable report: verdict first, then the numbers behind it, then what to do. */
export function report(file: string, a: HubDbAnalysis): string {
  const out: string[] = [];
  out.push(line(a.verdict.headline), '');
  out.push(line(`${file}: ${a.schema.summary}`));
  const c = a.counts;
  out.push(
    `${count(c.users)} users, ${count(c.spawners)} spawners (${count(c.namedServers)} named), ${count(c.running)} running ` +
      `for ${count(c.usersWithRunning)} users; Σ running × spawners = ${count(c.sumRunningTimesSpawners)}.`,
    '',
    'Start-up query (init_spawners) by JupyterHub version:',
  );
  out.push(
    table(
      ['JUPYTERHUB', 'MAIN ROWS', 'ALL ROWS', 'STATEMENTS', 'PEAK MEMORY', 'QUERY TIME'],
      a.startup.map((s) => [
        `${s.jupyterhub}${a.verdict.family === s.family ? ' *' : ''}`,
        count(s.rows),
        count(s.totalRows),
        count(s.statements),
        formatBytes(s.peakBytes),
        formatSeconds(s.seconds),
      ]),
    ),
  );
  out.push(
    `* the verdict's version. Peak memory includes a hub baseline of ${formatBytes(a.model.hubBaselineBytes)}.`,
    '',
  );

  const offenders = a.offenders.filter((o) => o.rows > 0).slice(0, 10);
  if (offenders.length) {
    out.push('Who makes the 5.0–5.3 join big:');
    out.push(
      table(
        ['USER', 'SPAWNERS', 'RUNNING', 'ROWS', 'SHARE'],
        offenders.map((o) => [
          cell(o.user),
          count(o.spawners),
          count(o.running),
          count(o.rows),
          `${(o.share * 100).toFixed(1)}%`,
        ]),
      ),
      '',
    );
  }
  out.push(line(a.remediation.cleanup.text), '', 'What to do:');
  a.remediation.steps.forEach((step, i) => out.push(`  ${i + 1}. ${line(step)}`));
  out.push(
    '',
    'z2jh values.yaml:',
    ...a.remediation.namedServerLimit.yaml
      .trimEnd()
      .split('\n')
      .map((l) => `  ${line(l)}`),
  );
  if (a.stale.count > 0)
    out.push('', 'Cleanup script: hubops analyze FILE --cleanup-script bash (or python) > remove-stale-servers.sh');
  const problems = a.health.items.filter((i) => i.severity === 'warning' || i.severity === 'error');
  if (problems.length) {
    out.push('', 'DB health:');
    for (const item of problems) out.push(`  ${line(item.label)}: ${line(item.value)}`);
  }
  if (a.notes.length) {
    out.push('', 'Notes:');
    for (const note of a.notes) out.push(`  - ${line(note)}`);
  }
  return out.join('\n') + '\n';
}

/** A name for a table cell: one line, at most 60 characters. */
const cell = (text: string) => {
  const inert = line(text);
  return inert.length > 60 ? `${inert.slice(0, 59)}…` : inert;
};
