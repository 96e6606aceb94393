import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replay } from '../../../src/core/incident/journalReplay';
import { draftReport } from '../../../src/core/incident/reportDraft';
import { newReportDocument } from '../../../src/core/incident/reportDocument';
import { renderMarkdown } from '../../../src/core/incident/reportMarkdown';
import {
  classStartSpawnStorm,
  hubOomAfterStressTest,
  incidentMeta,
  journalText,
  writeJournal,
} from '../../builders/journal';
import { useBuiltCli } from '../../harness/builtCli';
import { useTempDir } from '../../harness/tempDir';

/** `hubops report`, built as it ships (dist/cli.js) and run as a separate Node process. */
describe('hubops report (built, run as a process)', () => {
  const dir = useTempDir();
  const cli = useBuiltCli();

  /** `hubops report ARGS…` */
  const run = (...args: string[]) => spawnSync(process.execPath, [cli(), 'report', ...args], { encoding: 'utf8' });
  const withoutDraftedLine = (md: string) => md.replace(/^- \*\*Drafted:\*\* .*$/m, '');

  it('prints the same Markdown the extension exports', () => {
    const file = writeJournal(dir(), hubOomAfterStressTest());
    const result = run(file, '--timezone', 'America/New_York');
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0);
    const replayed = replay(file);
    assert.ok(replayed.ok);
    const draft = draftReport(replayed.value, { timezone: 'America/New_York', now: new Date() });
    assert.equal(
      withoutDraftedLine(result.stdout),
      withoutDraftedLine(renderMarkdown(newReportDocument(draft), draft.meta)),
    );
    assert.match(result.stdout, /the hub was OOMKilled 4 times between 14:02 and 14:31 EDT/);
  });

  it('writes --out atomically, with a UTC column on --utc', () => {
    const file = writeJournal(dir(), classStartSpawnStorm());
    const out = join(dir(), 'reports', 'ds100.md');
    const result = run(file, '--timezone=Europe/Berlin', '--utc', '--out', out);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, `Wrote ${out}\n`);
    const md = readFileSync(out, 'utf8');
    assert.match(md, /\| Time \(CEST\) \| UTC \| Event \|/);
    assert.match(md, /\| 15:00 \| 13:00 \| 64 pods Pending \|/);
  });

  it('warns about damaged lines on stderr and still reports', () => {
    const file = writeJournal(dir(), hubOomAfterStressTest());
    appendFileSync(file, '{"id":"half');
    const result = run(file, '--timezone', 'UTC');
    assert.equal(result.status, 0);
    assert.match(
      result.stderr,
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: the last line is incomplete`),
    );
    assert.match(result.stdout, /^# 2026-05-14: stress-hub OOMKilled at start-up/);
  });

  it('exits 2 with a clear message for a missing file, a bad timezone or bad usage', () => {
    const missing = run(join(dir(), 'nope.jsonl'));
    assert.equal(missing.status, 2);
    assert.match(
      missing.stderr,
      /^hubops report: Cannot read the incident journal .*nope\.jsonl: there is no such file\.\n$/,
    );
    assert.equal(missing.stdout, '');

    const folder = run(dir());
    assert.equal(folder.status, 2);
    assert.match(folder.stderr, /it is a folder/);

    const file = writeJournal(dir(), classStartSpawnStorm());
    const zone = run(file, '--timezone', 'Nowhere/Atlantis');
    assert.equal(zone.status, 2);
    assert.match(zone.stderr, /Unknown timezone "Nowhere\/Atlantis"/);

    assert.equal(run().status, 2);
    const unknown = run(file, '--colour');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /^hubops report: unknown option --colour \(usage: hubops report JOURNAL_FILE .*\)\n$/);
  });

  /** A journal written by hand or by another tool, with `entries` after its header. */
  const handWritten = (name: string, entries: Parameters<typeof journalText>[1], title = 'Test incident') => {
    const file = join(dir(), `${name}.jsonl`);
    writeFileSync(file, journalText(incidentMeta({ title }), entries));
    return file;
  };
  const at = (m: number) => new Date(Date.UTC(2026, 4, 14, 18, m)).toISOString();
  const entry = { hub: 'stress-hub', source: 'tool' as const };

  it('keeps ESC, NUL and bidi characters from a journal inert, on the terminal and in the .md', () => {
    const file = handWritten(
      'hostile',
      [
        { ...entry, id: 'a', time: at(1), kind: 'note', text: '\u001b[2J\u001b[31mcleared\u0000 the screen' },
        { ...entry, id: 'b', time: at(2), kind: 'note', text: 'first line\u2028second line' },
        { ...entry, id: 'c', time: at(3), kind: 'pod-ready\u009b31m', text: 'ready \u2066isolated\u2069' },
        { ...entry, id: 'd', time: at(4), kind: 'entry-edited', text: 'x', target: 'gone\u001b[5m' },
      ],
      'hub \u202edown\u202c \u001b]0;owned\u0007',
    );
    const out = join(dir(), 'hostile.md');
    const toFile = run(file, '--timezone', 'UTC', '--out', out);
    const toTerminal = run(file, '--timezone', 'UTC');
    assert.equal(toTerminal.status, 0, toTerminal.stderr);
    const md = readFileSync(out, 'utf8');
    const acting = /[^\n\P{Cc}]|[\p{Cf}\p{Zl}\p{Zp}]/u;
    for (const [where, text] of [
      ['stdout', toTerminal.stdout],
      ['stderr', toTerminal.stderr + toFile.stderr],
      ['the .md', md],
    ] as const)
      assert.doesNotMatch(text, acting, `${where} holds a control, bidi or separator character`);
    assert.equal(withoutDraftedLine(toTerminal.stdout), withoutDraftedLine(md));
    // Shown for what they are.
    assert.match(md, /\\\\x1b\\\[2J\\\\x1b\\\[31mcleared\\\\x00 the screen/);
    assert.match(md, /first line second line/);
    assert.match(md, /hub \\\\u202edown\\\\u202c/);
    assert.match(toTerminal.stderr, /refers to unknown entry gone\\x1b\[5m/);
  });

  it('escapes dollars, so GitHub shows $…$ from a journal as text, not math', () => {
    const file = handWritten('math', [
      { ...entry, id: 'a', time: at(1), kind: 'note', text: 'budget $x^2$ and $5 to $10' },
      { ...entry, id: 'b', time: at(2), kind: 'pod-oomkilled', pod: '$$\\sum$$', text: 'pod $$\\sum$$ OOMKilled' },
    ]);
    const result = run(file, '--timezone', 'UTC');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /budget \\\$x\^2\\\$ and \\\$5 to \\\$10/);
    assert.doesNotMatch(result.stdout, /(^|[^\\])\$/m, 'every dollar is escaped');
  });
});
