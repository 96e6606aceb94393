import assert from 'node:assert/strict';
import { hasInvisibles, visibleText } from '../../../webview/shared/visibleText';
import { cellView } from '../../../webview/explorer/cellView';
import { REDACTED } from '../../../src/protocol/explorerProtocol';

describe('how the explorer draws database text', () => {
  it('shows line breaks, tabs and invisible controls instead of letting them hide or reorder text', () => {
    assert.equal(visibleText('line1\nline2\r\n\tend'), 'line1↵line2↵⇥end');
    assert.equal(visibleText('\u202eevil\u202c'), '⟨U+202E⟩evil⟨U+202C⟩');
    assert.equal(visibleText('ad\u200bmin'), 'ad⟨U+200B⟩min');
    assert.equal(visibleText('nul\u0000'), 'nul⟨U+0000⟩');
    assert.equal(visibleText('ünïcödé-名前-🚀 <b>'), 'ünïcödé-名前-🚀 <b>', 'ordinary text is untouched');
    assert.equal(hasInvisibles('plain'), false);
    assert.equal(hasInvisibles('a\u2066b'), true);
  });

  it('labels NULL, numbers, secrets, blobs and long texts', () => {
    assert.deepEqual(cellView(null), { text: 'NULL', kind: 'null' });
    assert.deepEqual(cellView(42), { text: '42', kind: 'number' });
    assert.deepEqual(cellView(REDACTED), { text: REDACTED, kind: 'redacted' });
    assert.deepEqual(cellView('a\tb'), { text: 'a⇥b', kind: 'text has-invisibles' });
    assert.deepEqual(cellView({ kind: 'blob', bytes: 3, hexPrefix: '00ff10' }), {
      text: '‹blob 3 B› 00ff10',
      kind: 'blob',
    });
    assert.deepEqual(
      cellView({ kind: 'blob', bytes: 5000, hexPrefix: 'ab'.repeat(32) }).text,
      `‹blob 4.88 KiB› ${'ab'.repeat(32)}…`,
    );
    assert.equal(cellView({ kind: 'longText', preview: 'x', length: 5000 }).text, 'x… (5,000 chars)');
  });
});
