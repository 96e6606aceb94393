import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExplorerEditor, type ExplorerUi } from '../../../src/explorer/explorerEditor';
import { DatabaseSync } from 'node:sqlite';
import { readHubDbFile, type HubDbFile } from '../../../src/explorer/hubDbFile';
import { explorerPage, REDACTED, type ToWebview } from '../../../src/protocol/explorerProtocol';
import { PageConnection } from '../../../src/vscode/pageConnection';
import { buildHubDb, FAKE_SECRET_MARK, HOSTILE_NAMES } from '../../builders/hubDb';
import { recordingLog } from '../../harness/recordingLog';
import { useTempDir } from '../../harness/tempDir';
import { runawayQuery, workerOptions } from './workerHarness';

/** VS Code around an editor, as a test drives it: it records what the page would receive. */
class RecordingUi implements ExplorerUi {
  readonly posted: ToWebview[] = [];
  readonly copied: string[] = [];
  confirmReveal = false;
  exportPath: string | null | { problem: string } = null;
  private waiters: (() => void)[] = [];

  post(message: ToWebview): void {
    this.posted.push(message);
    for (const wake of this.waiters.splice(0)) wake();
  }
  async confirmRevealSecrets(): Promise<boolean> {
    return this.confirmReveal;
  }
  async pickExportPath(): Promise<string | null | { problem: string }> {
    return this.exportPath;
  }
  async copyText(text: string): Promise<void> {
    this.copied.push(text);
  }

  /** The first posted message that matches, waiting for it if need be. */
  async next<T extends ToWebview>(match: (m: ToWebview) => m is T): Promise<T>;
  async next(match: (m: ToWebview) => boolean): Promise<ToWebview>;
  async next(match: (m: ToWebview) => boolean): Promise<ToWebview> {
    for (;;) {
      const found = this.posted.find(match);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

const reply = (requestId: number) => (m: ToWebview) => 'requestId' in m && m.requestId === requestId;

describe('explorer editor: page messages in, replies out', function () {
  this.timeout(30_000);
  const dir = useTempDir('hubops-editor-');
  let bytes: Uint8Array;
  let ui: RecordingUi;
  let editor: ExplorerEditor;
  const editors: ExplorerEditor[] = [];
  let logged: string[];

  const start = (file: HubDbFile) => {
    ui = new RecordingUi();
    const log = recordingLog();
    logged = log.lines;
    const page = new PageConnection(explorerPage, (m) => ui.post(m), log);
    editor = new ExplorerEditor(file, page, ui, { worker: workerOptions(), log });
    editors.push(editor);
  };
  const hubFile = (): HubDbFile => ({
    info: { name: 'jupyterhub.sqlite', bytes: bytes.length, walBytes: null },
    content: { ok: true, value: bytes },
    wal: null,
  });
  const rowsOf = async (sql: string, id: number) => {
    await editor.page.receive({ type: 'runQuery', requestId: id, sql });
    const result = await ui.next(reply(id));
    assert.equal(result.type, 'queryResult', JSON.stringify(result));
    const resultId = result.type === 'queryResult' ? result.result.resultId : 0;
    await editor.page.receive({ type: 'fetchRows', requestId: id + 1, resultId, offset: 0, limit: 100 });
    const rows = await ui.next(reply(id + 1));
    return rows.type === 'rows' ? rows.rows : [];
  };

  before(async () => {
    bytes = await buildHubDb({
      users: HOSTILE_NAMES.map((name) => ({ name, servers: [{ name: '', running: true }] })),
    });
  });
  afterEach(() => Promise.all(editors.splice(0).map((s) => s.dispose())));

  it('answers ready with the catalog, and a second ready the same way', async () => {
    start(hubFile());
    await editor.page.receive({ type: 'ready' });
    const opened = await ui.next((m) => m.type === 'opened');
    assert.ok(opened.type === 'opened');
    assert.equal(opened.hub.kind, 'hub');
    assert.equal(opened.tables.find((t) => t.name === 'users')!.rowCount, HOSTILE_NAMES.length);
    await editor.page.receive({ type: 'ready' });
    assert.equal(ui.posted.filter((m) => m.type === 'opened').length, 2, 'a reloaded page is told again');
  });

  it('applies the commits of a -wal file a live hub left beside the DB, and says so', async () => {
    const path = join(dir(), 'jupyterhub.sqlite');
    writeFileSync(path, bytes);
    const live = new DatabaseSync(path);
    try {
      live.exec('PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0');
      live.exec(
        "INSERT INTO users (name, admin, created, cookie_id) VALUES ('late-arrival', 0, '2025-06-01 12:00:00.000000', 'c')",
      );
      const file = await readHubDbFile(path);
      assert.ok(file.wal && file.wal.length > 0, 'the -wal is read');
      start(file);
    } finally {
      live.close();
    }
    await editor.page.receive({ type: 'ready' });
    const opened = await ui.next((m) => m.type === 'opened');
    assert.ok(opened.type === 'opened');
    assert.ok(
      opened.notices.some((n) => /Applied 1 committed transaction/.test(n)),
      JSON.stringify(opened.notices),
    );
    assert.equal(opened.tables.find((t) => t.name === 'users')!.rowCount, HOSTILE_NAMES.length + 1);
    assert.deepEqual(await rowsOf("SELECT name FROM users WHERE name = 'late-arrival'", 1), [['late-arrival']]);
  });

  it('drops malformed messages with a log line, answers nothing, and keeps working', async () => {
    start(hubFile());
    await editor.page.receive({ type: 'ready' });
    for (const bad of [
      null,
      { type: 'runQuery', requestId: 1 },
      { type: 'eval', code: 'x' },
      { type: 'fetchRows', requestId: 2, resultId: 1, offset: -5, limit: 10 },
    ])
      await editor.page.receive(bad);
    assert.equal(logged.length, 4);
    assert.ok(logged.every((line) => line.startsWith('Explorer: dropped a malformed message')));
    assert.ok(!ui.posted.some((m) => 'requestId' in m), 'no reply to a malformed request');
    assert.deepEqual(await rowsOf('SELECT 1 + 1', 10), [[2]]);
  });

  it('keeps secrets hidden when the operator declines, shows them after confirming', async () => {
    start(hubFile());
    await editor.page.receive({ type: 'ready' });
    const secret = 'SELECT cookie_id FROM users LIMIT 1';
    assert.deepEqual(await rowsOf(secret, 1), [[REDACTED]]);
    ui.confirmReveal = false;
    await editor.page.receive({ type: 'setSecretsRevealed', requestId: 3, revealed: true });
    assert.deepEqual(await ui.next(reply(3)), { type: 'secrets', requestId: 3, revealed: false });
    assert.deepEqual(await rowsOf(secret, 4), [[REDACTED]]);
    ui.confirmReveal = true;
    await editor.page.receive({ type: 'setSecretsRevealed', requestId: 6, revealed: true });
    assert.deepEqual(await ui.next(reply(6)), { type: 'secrets', requestId: 6, revealed: true });
    assert.match(String((await rowsOf(secret, 7))[0]![0]), new RegExp(FAKE_SECRET_MARK));
    await editor.page.receive({ type: 'ready' });
    const reopened = ui.posted.filter((m) => m.type === 'opened').at(-1);
    assert.equal(
      reopened?.type === 'opened' && reopened.secretsRevealed,
      true,
      'a reloaded page learns secrets are shown',
    );
  });

  it('exports where the operator chose, and says so when the dialog was dismissed', async () => {
    start(hubFile());
    await editor.page.receive({ type: 'ready' });
    await editor.page.receive({ type: 'runQuery', requestId: 1, sql: 'SELECT name FROM users ORDER BY id' });
    const result = await ui.next(reply(1));
    const resultId = result.type === 'queryResult' ? result.result.resultId : 0;
    ui.exportPath = null;
    await editor.page.receive({ type: 'exportResult', requestId: 2, resultId, format: 'csv' });
    assert.deepEqual(await ui.next(reply(2)), { type: 'exported', requestId: 2, file: null, rows: 0, bytes: 0 });
    ui.exportPath = { problem: 'Choose a file on this machine.' };
    await editor.page.receive({ type: 'exportResult', requestId: 3, resultId, format: 'csv' });
    assert.deepEqual(await ui.next(reply(3)), {
      type: 'failed',
      requestId: 3,
      error: { code: 'export', message: 'Choose a file on this machine.' },
    });
    ui.exportPath = join(dir(), 'names.json');
    await editor.page.receive({ type: 'exportResult', requestId: 4, resultId, format: 'json' });
    const done = await ui.next(reply(4));
    assert.equal(done.type === 'exported' && done.rows, HOSTILE_NAMES.length);
    assert.deepEqual(
      (JSON.parse(readFileSync(ui.exportPath, 'utf8')) as { name: string }[]).map((r) => r.name),
      [...HOSTILE_NAMES],
    );
  });

  it('cancel answers the running query with "cancelled" and the next query runs', async () => {
    start(hubFile());
    await editor.page.receive({ type: 'ready' });
    await editor.page.receive({ type: 'runQuery', requestId: 1, sql: 'SELECT 1' });
    await ui.next(reply(1));
    const running = editor.page.receive({ type: 'runQuery', requestId: 2, sql: runawayQuery });
    await editor.page.receive({ type: 'cancel' });
    await running;
    const cancelled = await ui.next(reply(2));
    assert.equal(cancelled.type === 'failed' && cancelled.error.code, 'cancelled');
    assert.deepEqual(await rowsOf('SELECT count(*) FROM users', 3), [[HOSTILE_NAMES.length]]);
  });

  it('copies text the page sends through the editor clipboard', async () => {
    start(hubFile());
    await editor.page.receive({ type: 'copyText', text: HOSTILE_NAMES[0]! });
    assert.deepEqual(ui.copied, [HOSTILE_NAMES[0]]);
  });

  it('tells the page why a file cannot be opened', async () => {
    start({
      info: { name: 'empty.sqlite', bytes: 0, walBytes: null },
      content: { ok: true, value: new Uint8Array() },
      wal: null,
    });
    await editor.page.receive({ type: 'ready' });
    const failed = await ui.next((m) => m.type === 'openFailed');
    assert.equal(failed.type === 'openFailed' && failed.error.code, 'hubdb.empty');
    start({
      info: { name: 'gone.sqlite', bytes: 0, walBytes: null },
      content: { ok: false, error: { code: 'unreadable', message: 'Cannot read gone.sqlite: it does not exist.' } },
      wal: null,
    });
    await editor.page.receive({ type: 'ready' });
    const unreadable = await ui.next((m) => m.type === 'openFailed');
    assert.equal(
      unreadable.type === 'openFailed' && unreadable.error.message,
      'Cannot read gone.sqlite: it does not exist.',
    );
  });

  it('asks the page for the analysis tab once it is ready', async () => {
    start(hubFile());
    editor.showAnalysis({ jupyterhubVersion: '5.3.0' });
    assert.equal(ui.posted.length, 0, 'not before the page listens');
    await editor.page.receive({ type: 'ready' });
    await ui.next((m) => m.type === 'opened');
    assert.deepEqual(await ui.next((m) => m.type === 'showAnalysis'), {
      type: 'showAnalysis',
      jupyterhubVersion: '5.3.0',
    });
  });
});
