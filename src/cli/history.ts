import { inertText, terminalJson } from '../shared/untrustedText';
import { Journal } from '../core/incident/journal';
import type { JournalEntry } from '../core/incident/journalEntry';
import { replay } from '../core/incident/journalReplay';
import { checkTimezone, localTimezone, zoned } from '../core/incident/zonedTime';
import { backfillJournal } from '../core/prometheus/backfill';
import { collapseHistory, defaultLookbackMs, rebuildHistory } from '../core/prometheus/history';
import { formatStep } from '../core/prometheus/step';
import { parseWindow } from '../core/prometheus/window';
import { badArguments, parseArgs, unknownOptions, type Subcommand } from './io';
import { interruptible, openSource } from './prometheusSource';

const inertLine = (text: string) => inertText(text, 'line');

const usage =
  'usage: hubops history --namespace NS[,NS…] [--context NAME | --prometheus URL] [--since 6h | --from T --to T] [--json] [--journal FILE] [--timezone ZONE] [--timeout 30s] [--kubeconfig FILE]';

/**
 * `hubops history`: what happened to hubs, rebuilt from Prometheus, for any window (default the last
 * 6 hours, or the 6 hours before an incident's start with --journal). Text, or JSON Lines in the journal's
 * entry format (--json). --journal FILE adds to that incident journal what it does not hold yet.
 */
export const history: Subcommand = async (args, io) => {
  const { options, positional, unknown } = parseArgs(args, {
    values: [
      'namespace',
      'context',
      'prometheus',
      'kubeconfig',
      'since',
      'from',
      'to',
      'journal',
      'timezone',
      'timeout',
    ],
    switches: ['json'],
  });
  const value = (name: string) => {
    const v = options.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  if (unknown.length || positional.length)
    return badArguments(io, 'history', `${unknownOptions([...unknown, ...positional])}; ${usage}`);
  if (value('context') !== undefined && value('prometheus') !== undefined)
    return badArguments(io, 'history', `give --context or --prometheus, not both; ${usage}`);
  const timezone = checkTimezone(value('timezone') ?? localTimezone());
  if (!timezone.ok) {
    io.err(`hubops history: ${timezone.error.userMessage}\n`);
    return 2;
  }

  // With --journal: its hubs and its window (the 6 h before it started, to its end) unless told otherwise.
  const journalFile = value('journal');
  const replayed = journalFile !== undefined ? replay(journalFile) : undefined;
  if (replayed && !replayed.ok) {
    io.err(`hubops history: ${replayed.error.userMessage}\n`);
    return 2;
  }
  const incident = replayed?.ok ? replayed.value : undefined;
  const namespaces = (value('namespace') ?? incident?.incident.hubs.map((h) => h.namespace).join(',') ?? '')
    .split(',')
    .map((ns) => ns.trim())
    .filter(Boolean);
  if (namespaces.length === 0) return badArguments(io, 'history', `name the hubs with --namespace NS[,NS…]; ${usage}`);
  const now = Date.now();
  const startedMs = incident ? Date.parse(incident.incident.startedAt) : now;
  const endMs = incident?.stoppedAt ? Date.parse(incident.stoppedAt) : now;
  const window = parseWindow({
    ...(value('since') !== undefined ? { since: value('since')! } : {}),
    ...(value('from') !== undefined ? { from: value('from')! } : {}),
    ...(value('to') !== undefined ? { to: value('to')! } : {}),
    defaultEndMs: endMs,
    defaultStartMs: (incident ? startedMs : endMs) - defaultLookbackMs,
  });
  if (!window.ok) {
    io.err(`hubops history: ${window.error.userMessage}\n`);
    return 2;
  }

  return interruptible(async (signal) => {
    const source = await openSource(
      'history',
      {
        ...(value('prometheus') !== undefined ? { prometheus: value('prometheus')! } : {}),
        ...(value('context') !== undefined ? { context: value('context')! } : {}),
        ...(value('kubeconfig') !== undefined ? { kubeconfig: value('kubeconfig')! } : {}),
        ...(value('timeout') !== undefined ? { timeout: value('timeout')! } : {}),
        namespaces,
        signal,
      },
      io,
    );
    if (!source) return 1;
    try {
      const rebuilt = await rebuildHistory(source.client, namespaces, window.value, { signal });
      if (!rebuilt.ok) {
        io.err(`hubops history: ${inertLine(rebuilt.error.message)}\n`);
        return 1;
      }
      const h = rebuilt.value;
      const at = (ms: number) => {
        const z = zoned(ms, timezone.value);
        return `${z.date} ${z.time} ${z.abbreviation}`;
      };
      io.err(
        `History of ${namespaces.join(', ')} from ${source.description}, ${at(h.fromMs)} to ${at(h.toMs)}, at ${formatStep(h.stepSeconds)} resolution.\n`,
      );
      for (const p of h.problems) io.err(`${inertLine(p)}\n`);
      if (journalFile !== undefined && incident) {
        const opened = Journal.open(journalFile);
        if (!opened.ok) {
          io.err(`hubops history: ${opened.error.userMessage}\n`);
          return 1;
        }
        const { entries, hidden } = opened.value.replayed;
        const written = backfillJournal(opened.value.journal, h.entries, [...entries, ...hidden]);
        if (!written.ok) {
          io.err(`hubops history: ${written.error.userMessage}\n`);
          return 1;
        }
        io.err(`Added ${written.value.written} entries to ${journalFile} (${written.value.skipped} it already had).\n`);
        return 0;
      }
      const lines = collapseHistory(h.entries);
      if (options.has('json')) for (const e of lines) io.out(terminalJson(e, 0) + '\n');
      else io.out(lines.map((e) => textLine(e, at, namespaces.length > 1)).join('\n') + (lines.length ? '\n' : ''));
      return 0;
    } finally {
      source.dispose();
    }
  });
};

function textLine(e: JournalEntry, at: (ms: number) => string, multiHub: boolean): string {
  const start = Date.parse(e.time);
  const until = typeof e.until === 'string' ? Date.parse(e.until) : null;
  const when = until !== null && until !== start ? `${at(start)}–${at(until).split(' ')[1]}` : at(start);
  const hub = multiHub || e.hub === null ? `${e.hub ?? 'cluster'}  ` : '';
  return `${when}  ${inertLine(hub)}${inertLine(e.text)}`;
}
