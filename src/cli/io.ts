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
