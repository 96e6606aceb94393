import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runFuzz } from '../../harness/fuzz';

/** The hub-DB opener and analyzer against seeded damage, bounded in time (see hubDb.fuzzTarget.ts). */
describe('fuzz: damaged hub DB files', function () {
  this.timeout(300_000);

  it('always a coded error with a sentence, or a JSON-serialisable analysis; never a throw or a hang', () => {
    const summary = runFuzz('hub-DB opener', join(__dirname, 'hubDb.fuzzTarget.ts'), {
      seconds: 6,
      minCases: 500,
      maxCases: 100_000,
    });
    const count = (outcome: string) => summary.outcomes[outcome] ?? 0;
    // The corpus exercised both paths (damage that is caught, damage SQLite reads around) and the WAL.
    const outcomes = JSON.stringify(summary.outcomes);
    assert.ok(count('analysed') > 0, outcomes);
    assert.ok(count('hubdb.truncated') > 0, outcomes);
    assert.ok(count('with -wal: WAL applied, analysed') > 0, outcomes);
    assert.ok(
      Object.keys(summary.outcomes).some((o) => o.startsWith('with -wal: ') && !o.includes('WAL applied')),
      outcomes,
    );
  });
});
