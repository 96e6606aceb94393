import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqlWorkerClient } from '../../../src/explorer/sqlWorkerClient';
import { useTempDir } from '../../harness/tempDir';

/**
 * A stand-in worker thread that dies on the first message it ever gets (as sql.js does on a wasm trap)
 * and answers every message after a restart, recording the ops it saw.
 */
const crashingWorker = (marker: string, log: string) => `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
parentPort.on('message', (request) => {
  fs.appendFileSync(${JSON.stringify(log)}, request.op + '\\n');
  if (!fs.existsSync(${JSON.stringify(marker)})) {
    fs.writeFileSync(${JSON.stringify(marker)}, '');
    process.exit(7);
  }
  parentPort.postMessage({ id: request.id, ok: true, value: request.op });
});
`;

describe('sql.js worker client: a thread that dies', () => {
  const dir = useTempDir('hubops-worker-client-');

  it('answers what was in flight with worker-crashed, then restarts and re-opens the DB first', async () => {
    const entry = join(dir(), 'worker.cjs');
    const log = join(dir(), 'ops.log');
    writeFileSync(entry, crashingWorker(join(dir(), 'crashed'), log));
    const client = new SqlWorkerClient({ workerPath: entry, wasmPath: 'unused' });
    try {
      const opened = await client.open(new Uint8Array([1, 2, 3]), false);
      assert.equal(opened.ok, false);
      assert.equal(!opened.ok && opened.error.code, 'worker-crashed');
      assert.match(!opened.ok ? opened.error.message : '', /exit code 7/);
      const after = await client.request('query', { sql: 'SELECT 1' });
      assert.deepEqual(after, { ok: true, value: 'query' });
      assert.deepEqual(
        readFileSync(log, 'utf8').trim().split('\n'),
        ['open', 'open', 'query'],
        'the new thread got the DB again before the query',
      );
      assert.equal(client.busy, false);
    } finally {
      await client.dispose();
    }
    const closed = await client.request('query', { sql: 'SELECT 1' });
    assert.equal(!closed.ok && closed.error.code, 'disposed');
  });
});
