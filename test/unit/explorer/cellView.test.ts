import assert from 'node:assert/strict';
import { cellView } from '../../../webview/explorer/cellView';
import { REDACTED } from '../../../src/protocol/explorerProtocol';

describe('how the explorer draws database cells', () => {
  it('labels NULL, numbers, secrets, blobs and long texts', () => {
    assert.deepEqual(cellView(null), { text: 'NULL', kind: 'null' });
    assert.deepEqual(cellView(42), { text: '42', kind: 'number' });
    assert.deepEqual(cellView(REDACTED), { text: REDACTED, kind: 'redacted' });
    assert.deepEqual(cellView('a\tb\u202e'), { text: 'a\\tb\\u202e', kind: 'text has-invisibles' });
    assert.deepEqual(cellView('plain <b>'), { text: 'plain <b>', kind: 'text' });
    assert.deepEqual(cellView({ kind: 'blob', bytes: 3, hexPrefix: '00ff10' }), {
      text: '‹blob 3B› 00ff10',
      kind: 'blob',
    });
    assert.deepEqual(
      cellView({ kind: 'blob', bytes: 5000, hexPrefix: 'ab'.repeat(32) }).text,
      `‹blob 4.9Ki› ${'ab'.repeat(32)}…`,
    );
    assert.equal(cellView({ kind: 'longText', preview: 'x', length: 5000 }).text, 'x… (5,000 chars)');
  });
});
