import assert from 'node:assert/strict';
import { explorerPage, type ToHost, type ToWebview } from '../../../src/protocol/explorerProtocol';
import { reportPage } from '../../../src/protocol/reportProtocol';
import { PageConnection } from '../../../src/vscode/pageConnection';
import { recordingLog } from '../../harness/recordingLog';

/** A connection to an explorer page whose posts land in `posted`, with a handler the test controls. */
function explorerConnection(receive: (message: ToHost, page: PageConnection<ToHost, ToWebview>) => unknown = () => {}) {
  const posted: ToWebview[] = [];
  const log = recordingLog();
  const page = new PageConnection(explorerPage, (m) => void posted.push(m), log);
  page.handleWith({ receive: async (message) => void (await receive(message, page)) });
  return { page, posted, log };
}

const settled = async (promise: Promise<unknown>) =>
  Promise.race([promise.then(() => true), new Promise((resolve) => setImmediate(() => resolve(false)))]);

describe('the webview host’s page connection (both pages use it)', () => {
  it('resolves `ready` when the page says so, and again only after a reload says it again', async () => {
    const { page } = explorerConnection();
    assert.equal(await settled(page.ready), false);
    await page.receive({ type: 'ready' });
    assert.equal(await settled(page.ready), true);
    page.unloaded();
    assert.equal(await settled(page.ready), false, 'a hidden, unloaded page is not ready');
    await page.receive({ type: 'ready' });
    assert.equal(await settled(page.ready), true);
  });

  it('posts nothing to a page that has not spoken since it loaded', async () => {
    const { page, posted } = explorerConnection();
    assert.equal(page.post({ type: 'showAnalysis' }), false);
    await page.receive({ type: 'cancel' });
    assert.equal(page.post({ type: 'showAnalysis' }), true);
    page.unloaded();
    assert.equal(page.post({ type: 'showAnalysis' }), false);
    page.close();
    await page.receive({ type: 'ready' });
    assert.equal(page.post({ type: 'showAnalysis' }), false, 'nothing after close');
    assert.deepEqual(posted, [{ type: 'showAnalysis' }]);
  });

  it('validates before the handler sees a message, and logs what it drops', async () => {
    const seen: string[] = [];
    const { page, log } = explorerConnection((m) => void seen.push(m.type));
    for (const bad of [null, 'ready', { type: 'ready', extra: 1 }, { type: 'runQuery', requestId: 0, sql: 'x' }])
      await page.receive(bad);
    assert.deepEqual(seen, []);
    assert.equal(log.lines.length, 4);
    assert.ok(log.lines.every((line) => line.startsWith('Explorer: dropped a malformed message from the page')));
    assert.equal(await settled(page.ready), false, 'a malformed ready is no handshake');
  });

  it('replies by sequence number, and answers a failed outcome with the protocol’s failure', async () => {
    const { page, posted } = explorerConnection((m, p) => {
      if (m.type === 'fetchCell') p.reply(m, { type: 'cellValue', text: 'x' });
      if (m.type === 'runQuery')
        p.answer(m, { ok: false, error: { code: 'sql', message: 'no such table' } }, () => {
          throw new Error('not called');
        });
    });
    await page.receive({ type: 'fetchCell', requestId: 7, resultId: 1, row: 0, column: 0 });
    await page.receive({ type: 'runQuery', requestId: 8, sql: 'SELECT * FROM nope' });
    assert.deepEqual(posted, [
      { type: 'cellValue', text: 'x', requestId: 7 },
      { type: 'failed', requestId: 8, error: { code: 'sql', message: 'no such table' } },
    ]);
  });

  it('logs a handler that throws, with its detail, and tells the page as its protocol says', async () => {
    const { page, posted, log } = explorerConnection(() => {
      throw new Error('disk full');
    });
    await page.receive({ type: 'runQuery', requestId: 3, sql: 'SELECT 1' });
    await page.receive({ type: 'copyText', text: 'x' });
    assert.match(log.lines[0]!, /^Explorer: runQuery failed: disk full$/);
    assert.equal(posted.length, 1, 'a request gets an answer; a notification has nobody waiting');
    const [failed] = posted;
    assert.ok(failed?.type === 'failed' && failed.requestId === 3 && failed.error.code === 'internal');
    assert.match(failed.error.message, /disk full.*Output › JupyterHub Ops/);

    const reportPosts: unknown[] = [];
    const report = new PageConnection(reportPage, (m) => void reportPosts.push(m), recordingLog());
    report.handleWith({
      receive: () => {
        throw new Error('journal gone');
      },
    });
    await report.receive({ type: 'redraft' });
    assert.deepEqual(reportPosts.length, 1);
    assert.match((reportPosts[0] as { type: string; text: string }).text, /journal gone/);
  });
});
