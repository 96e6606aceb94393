import assert from 'node:assert/strict';
import { analyzeHubDb, loadSqlJs, openHubDbWith } from '../../../src/core/hubdb';
import { buildHubDb, HOSTILE_NAMES, seededRandom } from '../../builders/hubDb';

/**
 * Seeded random damage to a valid hub DB: whatever the bytes, opening and analysing return a clear
 * error or a valid result, and never throw or hang (each case is bounded by SQLite's own checks).
 */
describe('fuzz: damaged hub DB files', function () {
  this.timeout(120_000);

  it('3,000 seeded mutations: always a coded error with a sentence, or a JSON-serialisable analysis', async () => {
    const SQL = await loadSqlJs();
    const valid = await buildHubDb({
      users: HOSTILE_NAMES.slice(0, 6).map((name, i) => ({
        name,
        authStateBytes: 64,
        servers: [
          { name: '', running: i % 2 === 0 },
          { name: `n${i}`, running: i % 3 === 0 },
        ],
      })),
      tokens: [{ user: HOSTILE_NAMES[0]!, expiresAt: new Date('2020-01-01') }],
    });
    const random = seededRandom(20250601);
    const pick = (n: number) => Math.floor(random() * n);
    const outcomes = new Map<string, number>();

    for (let i = 0; i < 3000; i++) {
      const bytes = valid.slice();
      let mutated: Uint8Array = bytes;
      switch (i % 5) {
        case 0: // a few random bytes anywhere
          for (let k = 1 + pick(8); k > 0; k--) bytes[pick(bytes.length)] = pick(256);
          break;
        case 1: // the header and first page, where the schema lives
          for (let k = 1 + pick(4); k > 0; k--) bytes[pick(Math.min(4096, bytes.length))] = pick(256);
          break;
        case 2: {
          // a page zeroed
          const page = pick(bytes.length / 4096) * 4096;
          bytes.fill(0, page, page + 4096);
          break;
        }
        case 3: // truncated anywhere
          mutated = bytes.subarray(0, pick(bytes.length));
          break;
        default: {
          // one page copied over another
          const pages = bytes.length / 4096;
          const from = pick(pages) * 4096;
          bytes.copyWithin(pick(pages) * 4096, from, from + 4096);
        }
      }
      let outcome: string;
      const opened = openHubDbWith(SQL, mutated);
      if (!opened.ok) {
        assert.match(opened.error.code, /^hubdb\.[a-z-]+$/);
        assert.ok(opened.error.userMessage.length > 20, opened.error.userMessage);
        outcome = opened.error.code;
      } else {
        try {
          const analysis = analyzeHubDb(opened.value, { now: new Date('2025-06-01T12:00:00Z') });
          if (analysis.ok) {
            assert.doesNotThrow(() => JSON.stringify(analysis.value));
            outcome = 'analysed';
          } else {
            assert.match(analysis.error.code, /^hubdb\.[a-z-]+$/);
            assert.ok(analysis.error.userMessage.length > 20);
            outcome = `analysis:${analysis.error.code}`;
          }
        } finally {
          opened.value.close();
        }
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // The corpus exercised both paths: damage that is caught, and damage SQLite reads around.
    assert.ok((outcomes.get('analysed') ?? 0) > 100, JSON.stringify([...outcomes]));
    assert.ok((outcomes.get('hubdb.truncated') ?? 0) > 100, JSON.stringify([...outcomes]));
    assert.ok((outcomes.get('hubdb.corrupt') ?? 0) > 10, JSON.stringify([...outcomes]));
  });
});
