import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runFuzz } from '../../harness/fuzz';

/** The journal reader against seeded random journals, bounded in time (see journalReader.fuzzTarget.ts). */
describe('fuzz: the journal reader', function () {
  this.timeout(300_000);

  it('reads mutated journals, random bytes, huge lines and deep JSON without throwing or hanging', () => {
    const summary = runFuzz('journal reader', join(__dirname, 'journalReader.fuzzTarget.ts'), {
      seconds: 6,
      minCases: 100,
      maxCases: 100_000,
    });
    assert.ok(summary.cases >= 100);
    // Every kind of input was tried, and both outcomes happened.
    const outcomes = Object.keys(summary.outcomes).join(' | ');
    for (const shape of ['mutated', 'bytes', 'huge-line', 'deep']) assert.match(outcomes, new RegExp(`${shape}: `));
    assert.match(outcomes, /: read/);
    assert.match(outcomes, /: not a journal/);
  });
});
