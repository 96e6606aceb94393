import { inertText } from '../shared/untrustedText';
import { formatCount, parseMemoryQuantity } from '../shared/format';

/** What a CLI subcommand may touch: its arguments and two output streams. Exit code is its return. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** The Node.js version to check subcommands against (tests); default: this process's. */
  nodeVersion?: string;
}

export type Subcommand = (args: string[], io: CliIo) => Promise<number>;

/** Parses `--flag value`, `--flag=value` and bare `--switch` options; everything else is positional. */
export function parseArgs(
  args: string[],
  spec: { values?: string[]; switches?: string[] },
): { options: Map<string, string | true>; positional: string[]; unknown: string[] } {
  const values = new Set(spec.values ?? []);
  const switches = new Set(spec.switches ?? []);
  const options = new Map<string, string | true>();
  const positional: string[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (values.has(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) unknown.push(`${arg} needs a value`);
      else options.set(name, value);
    } else if (switches.has(name) && eq < 0) {
      options.set(name, true);
    } else {
      unknown.push(arg);
    }
  }
  return { options, positional, unknown };
}

/** Prints the one line a bad argument gets (what is wrong, and how to call) and returns exit code 2. */
export function badArguments(io: CliIo, command: string, message: string): 2 {
  io.err(`hubops ${command}: ${message}\n`);
  return 2;
}

/** An argument as it may be echoed in an error: one line, control and bidi characters escaped, at most 40 characters. */
export function oneLine(text: string): string {
  return inertText(text.length > 40 ? `${text.slice(0, 40)}…` : text, 'line').replace(/"/g, '\\"');
}

/** An option value in an error, quoted so that an empty one shows: "". */
export const quoteArg = (text: string) => `"${oneLine(text)}"`;

/** What parseArgs' `unknown` holds, as one phrase: "unknown option --x, --y needs a value". */
export function unknownOptions(unknown: readonly string[]): string {
  return unknown.map((u) => (u.endsWith(' needs a value') ? oneLine(u) : `unknown option ${oneLine(u)}`)).join(', ');
}

/** How a numeric option is read: the whole text or nothing, and what it expected, for the error line. */
export interface NumberKind {
  parse(text: string): number | null;
  /** e.g. "a whole number of days from 1 to 36500". */
  expected: string;
}

/** Whole numbers from `min` to `max`, in plain decimal digits (no sign, no leading zero, no exponent). */
export function wholeNumber(min: number, max: number, unit: string): NumberKind {
  return {
    parse: (text) => {
      if (!/^[1-9][0-9]{0,15}$/.test(text) && text !== '0') return null;
      const value = Number(text);
      return value >= min && value <= max ? value : null;
    },
    expected: `a whole number of ${unit} from ${formatCount(min)} to ${formatCount(max)}`,
  };
}

/** A Kubernetes memory quantity (2Gi, 1500Mi, 2147483648), more than 0 and at most 1 EiB. */
export const MEMORY_QUANTITY: NumberKind = {
  parse: (text) => {
    const bytes = /\s/.test(text) ? null : parseMemoryQuantity(text);
    return bytes !== null && bytes <= 2 ** 60 ? bytes : null;
  },
  expected: 'a memory quantity from 1 byte to 1Ei (e.g. 2Gi, 1500Mi, 2147483648)',
};

/**
 * A numeric option's value: `undefined` when it was not given, the number when it is valid, or the one-line
 * message to print (the caller exits 2). Every numeric option of every subcommand goes through here.
 */
export function numberOption(
  options: Map<string, string | true>,
  name: string,
  kind: NumberKind,
): { ok: true; value: number | undefined } | { ok: false; message: string } {
  const text = options.get(name);
  if (text === undefined) return { ok: true, value: undefined };
  if (text === true) return { ok: false, message: `--${name} needs a value: ${kind.expected}` };
  const value = kind.parse(text);
  return value === null
    ? { ok: false, message: `--${name} must be ${kind.expected}, not ${quoteArg(text)}` }
    : { ok: true, value };
}

/** Formats rows as an aligned plain-text table. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
