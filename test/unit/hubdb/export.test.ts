import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { csvField, exportCsv, exportJson, iterateRows, type RowSink } from '../../../src/core/hubdb';
import { HOSTILE_NAMES } from '../../builders/hubDb';
import { useTempDir } from '../../harness/tempDir';
import { openBuilt } from './hubDbTestKit';

/** A sink that accepts one chunk, then says "full" until it drains on a later tick; it records the order. */
class SlowSink extends Writable {
  chunks: string[] = [];
  constructor() {
    super({ highWaterMark: 1, decodeStrings: false });
  }
  override _write(chunk: string, _encoding: BufferEncoding, callback: () => void) {
    this.chunks.push(chunk);
    setImmediate(callback);
  }
}

describe('export', () => {
  const dir = useTempDir('hubdb-export-');

  it('quotes CSV fields as RFC 4180 says, and only when needed', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\rhere'), '"cr\rhere"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(new Uint8Array([0, 255, 16])), '\\x00ff10');
    assert.equal(csvField(2n ** 63n - 1n), '9223372036854775807');
    assert.equal(csvField('=HYPERLINK("x")', { spreadsheetSafe: true }), '"\'=HYPERLINK(""x"")"');
    assert.equal(csvField('=1+1'), '=1+1', 'off by default: the data is not changed');
  });

  it("writes CSV that Python's csv module reads back exactly, hostile names and all", async () => {
    const rows = HOSTILE_NAMES.map((name, i) => [i, name, i % 2 ? null : `${name},"x"`]);
    const file = join(dir(), 'out.csv');
    const stream = createWriteStream(file);
    assert.equal(await exportCsv(rows, ['id', 'name', 'note'], stream), rows.length);
    stream.end();
    await finished(stream);
    const parsed = JSON.parse(
      execFileSync(
        'python3',
        ['-c', 'import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline="")))))', file],
        {
          encoding: 'utf8',
        },
      ),
    );
    assert.deepEqual(parsed, [['id', 'name', 'note'], ...rows.map((r) => r.map((v) => (v === null ? '' : String(v))))]);
    assert.ok(readFileSync(file, 'latin1').includes('\r\n'), 'CRLF line ends');
  });

  it('writes JSON that parses back: exact big integers, blobs as base64, repeated column names kept apart', async () => {
    const sink = new SlowSink();
    const rows = [
      [1, 2n ** 62n + 1n, new Uint8Array([1, 2, 3]), 'text "quoted"\n', null, Number.NaN],
      [2, 5, new Uint8Array(0), '', 1.5, true],
    ];
    await exportJson(rows, ['id', 'big', 'blob', 'id', 'n', 'flag'], sink);
    const text = sink.chunks.join('');
    assert.ok(text.includes('"big":4611686018427387905'), 'exact digits');
    const parsed = JSON.parse(text);
    assert.deepEqual(
      { ...parsed[0], big: 'exact, checked above' },
      {
        id: 1,
        big: 'exact, checked above',
        blob: { base64: 'AQID' },
        id_2: 'text "quoted"\n',
        n: null,
        flag: null,
      },
    );
    assert.deepEqual(parsed[1], { id: 2, big: 5, blob: { base64: '' }, id_2: '', n: 1.5, flag: true });
    const empty = new SlowSink();
    await exportJson([], ['a'], empty);
    assert.deepEqual(JSON.parse(empty.chunks.join('')), []);
  });

  it('streams: one write per row, never writing while the stream is full', async () => {
    let full = false;
    let writes = 0;
    const listeners = new Map<string, (...args: unknown[]) => void>();
    const sink: RowSink = {
      write() {
        assert.ok(!full, 'wrote while the stream was full');
        writes += 1;
        full = true;
        setImmediate(() => {
          full = false;
          listeners.get('drain')?.();
        });
        return false;
      },
      on(event, listener) {
        listeners.set(event, listener);
        return this;
      },
      removeListener(event) {
        listeners.delete(event);
        return this;
      },
    };
    async function* rows() {
      for (let i = 0; i < 2000; i++) yield [i, `row ${i}`];
    }
    assert.equal(await exportCsv(rows(), ['i', 'text'], sink), 2000);
    assert.equal(writes, 2001);
    assert.equal(listeners.size, 0, 'listeners removed at the end');
  });

  it('fails the export, not the process, when the stream errors between writes', async () => {
    // A roomy buffer: the error arrives while the export is not waiting for 'drain'.
    const sink = new Writable({ highWaterMark: 1 << 20, write: (_chunk, _encoding, callback) => callback() });
    async function* rows() {
      for (let i = 0; ; i++) {
        if (i === 5) sink.destroy(new Error('disk full'));
        await new Promise((resolve) => setImmediate(resolve));
        yield [i];
      }
    }
    await assert.rejects(exportCsv(rows(), ['i'], sink), /disk full/);
  });

  it('exports a real table straight from the DB, row by row', async () => {
    const opened = await openBuilt({ users: HOSTILE_NAMES.map((name) => ({ name, servers: [] })) });
    try {
      const sink = new SlowSink();
      const count = await exportJson(
        iterateRows(opened.db, 'SELECT id, name FROM users ORDER BY id'),
        ['id', 'name'],
        sink,
      );
      assert.equal(count, HOSTILE_NAMES.length);
      assert.deepEqual(
        JSON.parse(sink.chunks.join('')).map((r: { name: string }) => r.name),
        HOSTILE_NAMES,
      );
    } finally {
      opened.close();
    }
  });
});
