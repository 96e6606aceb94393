/**
 * The redaction corpus (test/builders/secretCorpus.ts) run through every place a value can surface:
 * the explorer grid (the worker's pages and cells), its CSV and JSON exports, `hubops analyze` text and
 * --json, the report Markdown, the report and explorer webview messages, and the log. Each surface
 * counts its leaks (0 expected) and prints how many secrets it was given.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/cli/analyze';
import type { JournalEntry } from '../../../src/core/incident/journalEntry';
import { replay } from '../../../src/core/incident/journalReplay';
import { draftReport } from '../../../src/core/incident/reportDraft';
import { editSection, newReportDocument } from '../../../src/core/incident/reportDocument';
import { renderMarkdown } from '../../../src/core/incident/reportMarkdown';
import { REDACTED, redactText } from '../../../src/core/secrets';
import { ExplorerEditor, type ExplorerUi } from '../../../src/explorer/explorerEditor';
import type { SqlWorkerClient } from '../../../src/explorer/sqlWorkerClient';
import { ReportEditor, type ReportUi } from '../../../src/incident/report/reportEditor';
import { explorerPage, type ToWebview as ExplorerToWebview } from '../../../src/protocol/explorerProtocol';
import { reportPage, type ToWebview as ReportToWebview } from '../../../src/protocol/reportProtocol';
import { PageConnection } from '../../../src/vscode/pageConnection';
import { incidentMeta, journalText } from '../../builders/journal';
import { leaksIn, secretCorpus, type CorpusSecret } from '../../builders/secretCorpus';
import { recordingLog } from '../../harness/recordingLog';
import { runSubcommand } from '../../harness/runCli';
import { useTempDir } from '../../harness/tempDir';
import { expectOk, startWorkerClient, workerOptions } from '../explorer/workerHarness';

const corpus = secretCorpus();
const TABLES = [
  'users',
  'spawners',
  'servers',
  'api_tokens',
  'oauth_clients',
  'oauth_codes',
  'groups',
  'services',
  'share_codes',
  'roles',
];

/** Asserts no leak, and says how many secrets the surface was given and how many look-alikes it kept. */
function check(surface: string, tried: readonly CorpusSecret[], output: string, keep: readonly string[] = []): void {
  const leaks = leaksIn(tried, output);
  const kept = keep.filter((k) => output.includes(k)).length;
  console.log(
    `      ${surface}: ${tried.length} secrets tried, ${leaks.length} leaks` +
      (keep.length ? `, ${kept}/${keep.length} look-alikes kept` : ''),
  );
  assert.deepEqual(
    leaks.map((l) => l.kind),
    [],
    `${surface} leaks`,
  );
  assert.equal(kept, keep.length, `${surface} hid look-alikes: ${keep.filter((k) => !output.includes(k)).join(' | ')}`);
}

/** A journal carrying the corpus: notes of every tag, cluster events' messages, an analysis' fields. */
function corpusJournal(): string {
  const tags = ['resolution', 'learned', 'action', 'cause', undefined];
  let minute = 0;
  const at = () => new Date(Date.parse('2026-05-14T18:00:00Z') + minute++ * 60_000).toISOString();
  const entries: Partial<JournalEntry>[] = [];
  corpus.texts.forEach((t, i) => {
    const base = { id: `e${i}`, time: at(), hub: 'stress-hub' };
    const tag = tags[i % tags.length];
    entries.push({ ...base, kind: 'note', source: 'operator', text: t.text, ...(tag ? { tag } : {}) });
    entries.push({
      id: `f${i}`,
      time: at(),
      hub: 'stress-hub',
      kind: i % 2 ? 'scale-up-failed' : 'failed-scheduling',
      source: 'cluster',
      text: `event: ${t.text}`,
      message: t.text,
    });
  });
  entries.push({
    id: 'analysis',
    time: at(),
    hub: 'stress-hub',
    kind: 'db-analysis',
    source: 'analyzer',
    verdict: 'oom',
    jupyterhubVersion: '5.3.0',
    offenders: corpus.texts.slice(0, 5).map((t) => ({ user: t.text, namedServers: 1500 })),
    remediation: corpus.texts.map((t) => `rotate: ${t.text}`),
    text: 'analysis of the hub DB',
  });
  corpus.lookAlikes.forEach((l, i) =>
    entries.push({ id: `l${i}`, time: at(), hub: 'stress-hub', kind: 'note', source: 'operator', text: l.text }),
  );
  return journalText(incidentMeta({ title: `Leaked ${corpus.texts[0]!.text}` }), entries);
}

describe('the redaction corpus through every surface', function () {
  this.timeout(120_000);
  const dir = useTempDir('hubops-corpus-');
  let bytes: Uint8Array;
  let client: SqlWorkerClient;
  const lookAlikeTexts = corpus.lookAlikes.map((l) => l.keep);

  before(async () => {
    bytes = await corpus.hubDb();
    client = startWorkerClient();
  });
  after(() => client.dispose());

  it('the corpus is real: every secret is in the DB file or a text, unique, and the detector sees each', () => {
    const raw = Buffer.from(bytes).toString('latin1');
    for (const s of corpus.dbSecrets) assert.ok(leaksIn([s], raw).length === 1, `${s.kind} is not in the file`);
    for (const t of corpus.texts) {
      assert.ok(t.text.includes(t.needle), t.kind);
      assert.ok(raw.includes(t.needle), `${t.kind} is not in the file`);
    }
    assert.equal(new Set(corpus.secrets.map((s) => s.needle)).size, corpus.secrets.length, 'needles are unique');
    // Each text on its own: hidden, with the marker in its place.
    const missed = corpus.texts.filter((t) => redactText(t.text).includes(t.needle)).map((t) => t.kind);
    assert.deepEqual(missed, []);
    console.log(`      detector, text by text: ${corpus.texts.length} secrets tried, ${missed.length} leaks`);
    // Look-alikes come out unchanged.
    const changed = corpus.lookAlikes.filter((l) => redactText(l.text) !== l.text).map((l) => l.text);
    assert.deepEqual(changed, []);
    console.log(`      detector: ${corpus.lookAlikes.length} look-alikes, ${changed.length} changed`);
  });

  it('the explorer grid: every page and every whole cell of every table, and the scrubbed copy', async () => {
    expectOk(await client.open(bytes, false));
    const out: string[] = [];
    for (const table of TABLES) {
      const result = expectOk(await client.request('query', { sql: `SELECT * FROM ${table}` }));
      const rows = expectOk(
        await client.request('rows', { resultId: result.resultId, offset: 0, limit: result.rowCount || 1 }),
      );
      out.push(JSON.stringify(rows));
      for (let r = 0; r < rows.length; r++)
        for (let c = 0; c < result.columns.length; c++)
          out.push(expectOk(await client.request('cell', { resultId: result.resultId, row: r, column: c })));
    }
    check('explorer grid', corpus.secrets, out.join('\n'), lookAlikeTexts);
  });

  it('the explorer exports: CSV and JSON of every table', async () => {
    expectOk(await client.open(bytes, false));
    const out: string[] = [];
    for (const table of TABLES) {
      const result = expectOk(await client.request('query', { sql: `SELECT * FROM ${table}` }));
      for (const format of ['csv', 'json'] as const) {
        const path = join(dir(), `${table}.${format}`);
        expectOk(await client.request('export', { resultId: result.resultId, format, path }));
        out.push(readFileSync(path, 'utf8'));
      }
    }
    // JSON string escapes (\" \/) must not hide anything: also search the parsed text.
    const text = out.join('\n');
    check(
      'explorer CSV + JSON exports',
      corpus.secrets,
      text,
      lookAlikeTexts.map((t) => t.replace(/"/g, '')),
    );
  });

  it('hubops analyze: the text report and --json', async () => {
    const file = join(dir(), 'jupyterhub.sqlite');
    writeFileSync(file, bytes);
    for (const args of [[file], [file, '--json'], [file, '--jupyterhub-version', '5.3.0', '--memory-limit', '2Gi']]) {
      const { code, out, err } = await runSubcommand(analyze, args);
      assert.equal(code, 0, err);
      check(`hubops analyze ${args.slice(1).join(' ') || '(text)'}`, corpus.secrets, out + err);
    }
  });

  it('the report Markdown: a journal carrying the corpus in notes and entries, and an edited section', () => {
    const file = join(dir(), 'corpus.jsonl');
    writeFileSync(file, corpusJournal());
    const replayed = replay(file);
    assert.ok(replayed.ok);
    const draft = draftReport(replayed.value, { timezone: 'America/New_York', now: new Date('2026-05-15T00:00:00Z') });
    const edited = editSection(
      newReportDocument(draft),
      'impact',
      corpus.texts.map((t) => `- pasted: ${t.text}`).join('\n'),
    );
    const markdown = renderMarkdown(edited, draft.meta);
    assert.ok(markdown.includes(REDACTED));
    check('report Markdown', corpus.texts, markdown, corpus.lookAlikeCores);
  });

  it('the report webview: every message the host sends the page', async () => {
    const file = join(dir(), 'corpus-view.jsonl');
    writeFileSync(file, corpusJournal());
    const posted: ReportToWebview[] = [];
    const ui: ReportUi = {
      resolveConflict: async () => 'keep',
      copyText: async () => undefined,
      workspaceFolder: () => dir(),
      confirmReplace: async () => true,
      showFile: async () => undefined,
    };
    const log = recordingLog();
    const page = new PageConnection(reportPage, (m) => void posted.push(m), log);
    const session = new ReportEditor(file, page, ui, {
      timezone: () => 'America/New_York',
      now: () => new Date('2026-05-15T00:00:00Z'),
    });
    assert.ok(session.open().ok);
    for (const message of [
      { type: 'ready' },
      { type: 'redraft' },
      { type: 'setUtc', utc: true },
      { type: 'export' },
      { type: 'copyMarkdown' },
      // Malformed messages carrying the corpus: logged (redacted) and dropped.
      { type: 'edit', section: 'nope', text: corpus.texts.map((t) => t.text).join('\n') },
    ])
      await page.receive(message);
    assert.ok(posted.some((m) => m.type === 'report'));
    check('report webview messages', corpus.texts, JSON.stringify(posted), corpus.lookAlikeCores);
    check('report log lines', corpus.texts, log.lines.join('\n'));
  });

  it("the explorer webview: every message the host sends the page, and the explorer's log lines", async () => {
    const posted: ExplorerToWebview[] = [];
    const ui: ExplorerUi = {
      confirmRevealSecrets: async () => false,
      pickExportPath: async () => null,
      copyText: async () => undefined,
    };
    const log = recordingLog();
    const page = new PageConnection(explorerPage, (m) => void posted.push(m), log);
    const session = new ExplorerEditor(
      {
        info: { name: 'jupyterhub.sqlite', bytes: bytes.length, walBytes: null },
        content: { ok: true, value: bytes },
        wal: null,
      },
      page,
      ui,
      { worker: workerOptions(), log },
    );
    try {
      let id = 1;
      await page.receive({ type: 'ready' });
      for (const table of TABLES) {
        const requestId = id++;
        await page.receive({ type: 'runQuery', requestId, sql: `SELECT * FROM ${table}` });
        const result = posted.find((m) => m.type === 'queryResult' && m.requestId === requestId);
        assert.ok(result?.type === 'queryResult');
        await page.receive({
          type: 'fetchRows',
          requestId: id++,
          resultId: result.result.resultId,
          offset: 0,
          limit: Math.max(1, result.result.rowCount),
        });
        for (let c = 0; c < result.result.columns.length; c++)
          await page.receive({
            type: 'fetchCell',
            requestId: id++,
            resultId: result.result.resultId,
            row: 0,
            column: c,
          });
      }
      await page.receive({
        type: 'analyze',
        requestId: id++,
        jupyterhubVersion: '5.3.0',
        memoryLimitBytes: 2 ** 31,
      });
      // Typed SQL that echoes a secret back in its error, and a malformed message full of them.
      await page.receive({ type: 'runQuery', requestId: id++, sql: `SELECT * FROM "${corpus.texts[10]!.text}"` });
      await page.receive({ type: 'runQuery', requestId: 'x', sql: corpus.texts.map((t) => t.text).join(' ') });
      assert.ok(posted.some((m) => m.type === 'analysis'));
      const tried = [...corpus.dbSecrets, ...corpus.texts];
      check(
        'explorer webview messages',
        tried,
        JSON.stringify(posted),
        lookAlikeTexts.map((t) => JSON.stringify(t).slice(1, -1)),
      );
      check('explorer log lines', tried, log.lines.join('\n'));
    } finally {
      await session.dispose();
    }
  });

  it('the log channel: every corpus text written as a log line, and in an error’s stack', () => {
    const log = recordingLog();
    for (const t of corpus.texts) log.warn(`Incident: appending failed for ${t.text}`);
    for (const t of corpus.texts) log.error(new Error(`appending failed for ${t.text}`));
    for (const l of corpus.lookAlikes) log.info(l.text);
    check('log channel', corpus.texts, log.lines.join('\n'), lookAlikeTexts);
  });
});
