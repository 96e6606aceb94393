import { replay } from '../core/incident/journalReplay';
import { draftReport } from '../core/incident/reportDraft';
import { newReportDocument } from '../core/incident/reportDocument';
import { writeFileAtomic } from '../core/incident/reportFile';
import { renderMarkdown } from '../core/incident/reportMarkdown';
import { checkTimezone, localTimezone } from '../core/incident/zonedTime';
import { inertText } from '../core/text/untrustedText';
import { badArguments, parseArgs, unknownOptions, type Subcommand } from './io';

/**
 * `hubops report JOURNAL_FILE [--timezone ZONE] [--utc] [--out FILE]`: the Markdown report the extension
 * exports, drafted from a journal (stdout unless --out). Damaged journal lines are warnings on stderr.
 */
export const report: Subcommand = async (args, io) => {
  const { options, positional, unknown } = parseArgs(args, { values: ['timezone', 'out'], switches: ['utc'] });
  if (unknown.length > 0 || positional.length !== 1) {
    const why = unknown.length > 0 ? unknownOptions(unknown) : 'give exactly one journal file';
    return badArguments(
      io,
      'report',
      `${why} (usage: hubops report JOURNAL_FILE [--timezone America/New_York] [--utc] [--out FILE])`,
    );
  }
  const file = positional[0]!;
  const zoneOption = options.get('timezone');
  const timezone = checkTimezone(typeof zoneOption === 'string' ? zoneOption : localTimezone());
  if (!timezone.ok) {
    io.err(`hubops report: ${timezone.error.userMessage}\n`);
    return 2;
  }
  const replayed = replay(file);
  if (!replayed.ok) {
    io.err(`hubops report: ${replayed.error.userMessage}\n`);
    return 2;
  }
  for (const w of replayed.value.warnings) io.err(`${inertText(`${file}:${w.line}: ${w.message}`, 'line')}\n`);
  const draft = draftReport(replayed.value, { timezone: timezone.value, now: new Date(), utc: options.has('utc') });
  const markdown = renderMarkdown(newReportDocument(draft), draft.meta);
  const out = options.get('out');
  if (typeof out === 'string') {
    const written = writeFileAtomic(out, markdown);
    if (!written.ok) {
      io.err(`hubops report: ${written.error.userMessage}\n`);
      return 1;
    }
    io.err(`Wrote ${out}\n`);
  } else {
    io.out(markdown);
  }
  return 0;
};
