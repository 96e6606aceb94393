/**
 * Fuzz target: the journal reader (run by journalFuzz.test.ts through test/harness/fuzz.ts). Inputs are
 * seeded mutations of valid journals, random bytes, huge lines around the 1 MiB line limit and deeply
 * nested JSON. Whatever the bytes, reading returns a journal or a "not an incident journal" error, never
 * throws; reading the file and reading its text agree; and what comes out is safe to use: a report can
 * be drafted and rendered from it (with no control or bidi character in the Markdown), it can be
 * serialised and cloned (as a webview message is), and its times and texts keep the format's limits.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knownKinds } from '../../../src/core/incident/journalEntry';
import { maxLineBytes } from '../../../src/core/incident/journalLines';
import { maxTextBytes, replay, replayText, type ReplayedIncident } from '../../../src/core/incident/journalReplay';
import { newReportDocument } from '../../../src/core/incident/reportDocument';
import { draftReport } from '../../../src/core/incident/reportDraft';
import { renderMarkdown } from '../../../src/core/incident/reportMarkdown';
import type { Result } from '../../../src/core/result';
import { entryRow, rowClock } from '../../../src/incident/entryPresentation';
import { classStartSpawnStorm, hubOomAfterStressTest, writeJournal } from '../../builders/journal';
import { oneOf, pick, type FuzzTarget, type Random } from '../../harness/fuzz';

const now = new Date('2026-12-01T00:00:00Z');
const acting = /[^\n\t\P{Cc}]|[\p{Cf}\p{Zl}\p{Zp}]/u;
const isoZ = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface Context {
  dir: string;
  /** Valid journals as the extension writes them, and one written by hand. */
  journals: Buffer[];
}

/** A journal another tool might write: no ids, naive times, CRLF, an unknown kind, edits, a burst. */
const handWritten = [
  '{"type":"incident","title":"by hand","startedAt":"2026-11-23 14:00:00","hubs":[{"context":"c","namespace":"hub-a"}]}',
  '{"time":"2026-11-23T14:01:00","kind":"note","text":"naive time, no id"}',
  '{"id":"p1","time":"2026-11-23T14:02:00Z","kind":"pod-pending","hub":"hub-a","pod":"jupyter-a","text":"a Pending"}',
  '{"id":"p2","time":"2026-11-23T14:02:30Z","kind":"pod-pending","hub":"hub-a","pod":"jupyter-b","text":"2 Pending","count":2,"until":"2026-11-23T14:02:40Z","supersedes":"p1"}',
  '{"id":"u","time":"2026-11-23T14:03:00+01:00","kind":"pod-ready","hub":"hub-a","text":"ready","probe":{"path":"/hub/health"}}',
  '{"id":"e","time":"2026-11-23T14:04:00Z","kind":"entry-edited","text":"edited","target":"p1","source":"operator"}',
  '{"id":"h","time":"2026-11-23T14:05:00Z","kind":"entry-hidden","target":"u","source":"operator"}',
  '{"id":"m","time":"2026-11-23T14:06:00Z","kind":"hub-memory","hub":"hub-a","bytes":1073741824,"limitBytes":2147483648,"text":""}',
  '{"id":"s","time":"2026-11-23T14:07:00Z","kind":"incident-stopped","hub":null,"text":"stopped","source":"operator"}',
].join('\r\n');

export const target: FuzzTarget<Context> = {
  async setup() {
    const dir = mkdtempSync(join(tmpdir(), 'hubops-journal-fuzz-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const seeds = [hubOomAfterStressTest(), classStartSpawnStorm()].map((built) =>
      readFileSync(writeJournal(dir, built)),
    );
    return { dir, journals: [...seeds, Buffer.from(handWritten + '\r\n')] };
  },

  run(context, random, index) {
    const shape = oneOf(random, ['mutated', 'mutated', 'mutated', 'bytes', 'huge-line', 'deep'] as const);
    const bytes =
      shape === 'mutated'
        ? mutated(oneOf(random, context.journals), random)
        : shape === 'bytes'
          ? randomBytes(random, context)
          : shape === 'huge-line'
            ? withHugeLine(random, context)
            : withDeepLine(random, context);
    // The file reader (chunks of 256 KiB) and the text reader must agree; files cost time, so not always.
    const viaFile = shape === 'huge-line' || random() < 0.25;
    const fromText = replayText(bytes.toString('utf8'), 'fuzz.jsonl', { now: () => now });
    if (viaFile) {
      const file = join(context.dir, `case-${index}.jsonl`);
      writeFileSync(file, bytes);
      try {
        const fromFile = replay(file, { now: () => now });
        assert.deepEqual(
          comparable(fromFile, file),
          comparable(fromText, 'fuzz.jsonl'),
          'file and text readers differ',
        );
      } finally {
        rmSync(file, { force: true });
      }
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
    if (!fromText.ok) {
      assert.equal(fromText.error.code, 'journal-not-incident');
      assert.match(fromText.error.userMessage, /^fuzz\.jsonl is not an incident journal: .+\.$/);
      return `${shape}: not a journal`;
    }
    // Drafting the report costs most of a case: often enough to find what breaks it, not every time.
    checkReplayed(fromText.value, random() < 0.3);
    return `${shape}: ${fromText.value.warnings.length > 0 ? 'read, with warnings' : 'read'}`;
  },
};

/** What the readers' results are compared on (the file name aside). */
function comparable(result: Result<ReplayedIncident>, file: string): unknown {
  if (!result.ok) return { error: result.error.userMessage.replace(file, 'FILE'), code: result.error.code };
  const { file: _file, ids, ...rest } = result.value;
  return { ...rest, ids: [...ids] };
}

function checkReplayed(replayed: ReplayedIncident, withReport: boolean): void {
  assert.doesNotThrow(() => structuredClone(JSON.parse(JSON.stringify(replayed.entries))), 'entries serialise');
  assert.match(replayed.incident.startedAt, isoZ);
  assert.ok(replayed.incident.id.length > 0);
  for (const w of replayed.warnings) assert.ok(Number.isInteger(w.line) && w.line >= 1, JSON.stringify(w));
  const clock = rowClock(replayed.incident, 'America/New_York');
  for (const entry of [...replayed.entries, ...replayed.hidden]) {
    assert.ok(typeof entry.id === 'string' && entry.id.length > 0);
    assert.ok(typeof entry.kind === 'string' && entry.kind.length > 0);
    assert.match(entry.time, isoZ);
    assert.ok(Date.parse(entry.time) >= Date.UTC(2000, 0, 1) && Date.parse(entry.time) <= now.getTime() + 86_400_000);
    assert.ok(Buffer.byteLength(entry.text) <= maxTextBytes, `a text of ${Buffer.byteLength(entry.text)} bytes`);
    const row = entryRow(entry, clock);
    assert.doesNotMatch(row.label + row.description, /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u, 'a tree label that acts');
  }
  if (!withReport) return;
  const draft = draftReport(replayed, { timezone: 'America/New_York', now, utc: true });
  const markdown = renderMarkdown(newReportDocument(draft), draft.meta);
  assert.doesNotMatch(markdown, acting, 'the Markdown holds a control, bidi or separator character');
}

// --- inputs -------------------------------------------------------------------------------------------

const hostileValues: unknown[] = [
  null,
  12,
  -1,
  1e308,
  0.5,
  true,
  '',
  '12',
  '+275760-09-13T00:00:00.000Z',
  '1999-12-31T23:59:59Z',
  '2026-11-23T14:04:00',
  '2026-11-23 14:04:00.123456',
  '2026-02-30T10:00:00Z',
  '2126-01-01T00:00:00Z',
  'x'.repeat(70_000),
  'é'.repeat(40_000),
  '\u001b[2J\u001b[31mred\u0000\u202eevil\u2028$x$ <b>|</b>',
  [],
  [1, [2, [3]]],
  {},
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__":{"polluted":true}}'),
  'constructor',
  'hub-7c9d8f6b5d-x2kqp',
  'incident',
  'entry-edited',
];
const fieldNames = [
  'id',
  'time',
  'kind',
  'hub',
  'text',
  'source',
  'count',
  'until',
  'supersedes',
  'target',
  'type',
  'title',
  'startedAt',
  'hubs',
  'pod',
  'bytes',
  'limitBytes',
  'verdict',
  'table',
  'offenders',
  'tag',
  'unhide',
  'pending',
  'limit',
  'message',
  'component',
  'exitCode',
  'restarts',
  '__proto__',
  'constructor',
];

function mutated(journal: Buffer, random: Random): Buffer {
  let lines = journal.toString('utf8').split('\n');
  let bytes: Buffer | null = null;
  for (let k = 1 + pick(random, 5); k > 0; k--) {
    if (bytes) lines = bytes.toString('utf8').split('\n');
    bytes = null;
    // An earlier mutation may have removed every line: mutate an empty journal then.
    if (lines.length === 0) lines = [''];
    const at = pick(random, lines.length);
    switch (pick(random, 12)) {
      case 0: {
        bytes = Buffer.from(lines.join('\n'));
        for (let n = 1 + pick(random, 8); n > 0; n--) bytes[pick(random, bytes.length)] = pick(random, 256);
        break;
      }
      case 1: {
        const whole = Buffer.from(lines.join('\n'));
        const cut = pick(random, whole.length + 1);
        bytes =
          random() < 0.5
            ? whole.subarray(0, cut)
            : Buffer.concat([whole.subarray(0, cut), whole.subarray(cut + pick(random, 500))]);
        break;
      }
      case 2:
        lines.splice(pick(random, lines.length), 0, lines[at]!);
        break;
      case 3: {
        const other = pick(random, lines.length);
        [lines[at], lines[other]] = [lines[other]!, lines[at]!];
        break;
      }
      case 4:
      case 5:
      case 6:
        lines[at] = withField(lines[at]!, random);
        break;
      case 7:
        lines[at] = withoutField(lines[at]!, random);
        break;
      case 8:
        lines.splice(
          at,
          0,
          oneOf(random, ['', '   ', '\r', '\ufeff', 'null', '[]', '"text"', '{}', '{"type":"incident"}']),
        );
        break;
      case 9: {
        const line = lines[at]!;
        const p = pick(random, line.length + 1);
        lines[at] =
          line.slice(0, p) +
          oneOf(random, ['\u0000', '\r', '\u2028', '\\', '"', '}', '{', ',', '\ud800']) +
          line.slice(p);
        break;
      }
      case 10:
        lines.splice(at, 1 + pick(random, 20));
        break;
      default:
        lines.reverse();
    }
  }
  return bytes ?? Buffer.from(lines.join('\n'));
}

function withField(line: string, random: Random): string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof value !== 'object' || value === null) return line;
  const name = random() < 0.2 ? oneOf(random, [...knownKinds]) : oneOf(random, fieldNames);
  const record = value as Record<string, unknown>;
  if (name === 'kind' || random() < 0.1) record.kind = oneOf(random, [...knownKinds, 'pod-ready', '', 'incident']);
  else
    Object.defineProperty(record, name, {
      value: oneOf(random, hostileValues),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  return JSON.stringify(record);
}

function withoutField(line: string, random: Random): string {
  try {
    const record = JSON.parse(line) as Record<string, unknown>;
    delete record[oneOf(random, fieldNames)];
    return JSON.stringify(record);
  } catch {
    return line;
  }
}

function randomBytes(random: Random, context: Context): Buffer {
  const noise = Buffer.alloc(pick(random, 64 * 1024));
  for (let i = 0; i < noise.length; i++) noise[i] = random() < 0.05 ? 10 : pick(random, 256);
  // Half the time after a valid header, so the entry path sees the noise too.
  return random() < 0.5 ? Buffer.concat([headerOf(context), noise]) : noise;
}

function headerOf(context: Context): Buffer {
  const first = context.journals[0]!;
  return first.subarray(0, first.indexOf(10) + 1);
}

function withHugeLine(random: Random, context: Context): Buffer {
  const valid = oneOf(random, context.journals);
  const lines = valid.toString('utf8').trimEnd().split('\n');
  const size = oneOf(random, [
    maxLineBytes - 1,
    maxLineBytes,
    maxLineBytes + 1,
    256 * 1024 - 1,
    256 * 1024 + 1,
    1 + pick(random, 3 * maxLineBytes),
  ]);
  const prefix = '{"id":"huge","time":"2026-11-23T14:02:00Z","kind":"note","text":"';
  const fill = oneOf(random, ['x', '<', 'é', '\\u001b']);
  let body = prefix + fill.repeat(Math.max(0, Math.ceil((size - prefix.length - 2) / Buffer.byteLength(fill))));
  body = random() < 0.8 ? `${body}"}` : body; // sometimes not even JSON
  const huge = Buffer.from(body).subarray(0, Math.max(size, 1));
  const at = 1 + pick(random, lines.length);
  const before = Buffer.from(lines.slice(0, at).join('\n') + '\n');
  const after = Buffer.from(
    lines
      .slice(at)
      .map((l) => `${l}\n`)
      .join(''),
  );
  const end = random() < 0.2 ? Buffer.alloc(0) : Buffer.from('\n');
  return Buffer.concat([before, huge, end, after]);
}

function withDeepLine(random: Random, context: Context): Buffer {
  const depth = oneOf(random, [63, 64, 65, 1 + pick(random, 1000), 1 + pick(random, 200_000)]);
  const [open, close] = random() < 0.5 ? ['[', ']'] : ['{"a":', '}'];
  const nested =
    open.repeat(depth) + (open === '[' ? '' : '1') + close.repeat(random() < 0.9 ? depth : pick(random, depth));
  const line = random() < 0.5 ? nested : `{"id":"deep","time":"2026-11-23T14:02:00Z","kind":"note","x":${nested}}`;
  return Buffer.concat([headerOf(context), Buffer.from(line + '\n')]);
}
