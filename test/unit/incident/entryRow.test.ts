import assert from 'node:assert/strict';
import type { JournalEntry } from '../../../src/core/incident/journalEntry';
import { entryRow, rowClock } from '../../../src/incident/entryPresentation';

describe('an Incident view row for a journal entry', () => {
  const clock = rowClock({ startedAt: '2026-05-14T18:00:00.000Z' }, 'UTC');
  const entry = (fields: Partial<JournalEntry>): JournalEntry => ({
    id: 'a',
    time: '2026-05-14T18:02:00.000Z',
    kind: 'note',
    hub: 'stress-hub',
    text: '',
    source: 'tool',
    ...fields,
  });
  const acting = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

  it('is one line with nothing that acts: newlines, ESC, NUL and bidi from another tool are shown as escapes', () => {
    const row = entryRow(
      entry({
        text: 'hub  down\n18:03  forged row \u001b[31mred\u0000 \u202eevil\u202c',
        kind: 'x\u2066kind',
        hub: 'hub\u2028b',
      }),
      clock,
    );
    assert.equal(row.label, '18:02  hub down\\n18:03 forged row \\x1b[31mred\\x00 \\u202eevil\\u202c');
    assert.equal(row.description, 'hub\\u2028b');
    assert.doesNotMatch(row.label + row.description, acting);
    // The tooltip keeps the text's own lines, and nothing else that acts.
    assert.doesNotMatch(row.tooltip, /[^\n\P{Cc}]|[\p{Cf}\p{Zl}\p{Zp}]/u);
    assert.match(row.tooltip, /\nhub {2}down\n18:03 {2}forged row \\x1b\[31mred/);
    assert.equal(entryRow(entry({ text: '', kind: 'pod\u001b[2J' }), clock).label, '18:02  pod\\x1b[2J');
  });
});
