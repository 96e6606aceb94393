import assert from 'node:assert/strict';
import { formatCount } from '../../../src/core/hubdb';
import { IdIndex, integerList } from '../../../src/core/hubdb/analyzer/hubScan';
import { compareCodePoints, firstInOrder } from '../../../src/core/hubdb/analyzer/offenders';
import { buildHubDb } from '../../builders/hubDb';
import { openBytes } from './hubDbTestKit';
import { selectAll } from '../../../src/core/hubdb/sqlRows';

describe('the one-pass scan’s pieces', () => {
  it('reads group_concat’s integer lists exactly, with non-integers as NaN, and refuses a wrong count', () => {
    assert.deepEqual([...integerList('1,-22,,9007199254740993,333', 5)], [1, -22, NaN, 9007199254740992, 333]);
    assert.deepEqual([...integerList(null, 0)], []);
    assert.deepEqual([...integerList('', 1)], [NaN]);
    assert.throws(() => integerList('1,2', 3), /expected 3 integers/);
    assert.throws(() => integerList('1,2,3', 2), /more than 2/);
    assert.throws(() => integerList(null, 2), /expected 2 integers/);
  });

  it('reads what SQLite writes: every integer round-trips through group_concat', async () => {
    const opened = await openBytes(await buildHubDb({ users: [] }));
    try {
      const values = [0, -1, 42, 2 ** 31, -(2 ** 40), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
      const [[count, text]] = selectAll(
        opened.db,
        `SELECT count(*), group_concat(v) FROM (${values.map((v) => `SELECT ${v} AS v`).join(' UNION ALL ')})`,
      ) as [[number, string]];
      assert.deepEqual([...integerList(text, count)], values);
    } finally {
      opened.close();
    }
  });

  it('finds positions by id, dense (autoincrement ids) or sparse (anything else)', () => {
    const dense = new IdIndex(Float64Array.from([3, 1, 2, 10]));
    assert.deepEqual(
      [3, 1, 2, 10, 0, 4, 11, -1, NaN, 2.5].map((id) => dense.get(id)),
      [0, 1, 2, 3, -1, -1, -1, -1, -1, -1],
    );
    const sparse = new IdIndex(Float64Array.from([5, 2 ** 40, -3]));
    assert.deepEqual(
      [5, 2 ** 40, -3, 0, 6].map((id) => sparse.get(id)),
      [0, 1, 2, -1, -1],
    );
    assert.equal(new IdIndex(new Float64Array(0)).get(0), -1);
  });

  it('takes the first k in order without sorting everything, stable like a sort', () => {
    const random = (seed: number) => () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const next = random(11);
    const items = Array.from({ length: 5000 }, (_, i) => ({ key: Math.floor(next() * 50), i }));
    const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
    for (const k of [0, 1, 7, 100, 4999, 5000, 6000])
      assert.deepEqual(firstInOrder(items, k, byKey), [...items].sort(byKey).slice(0, k), String(k));
    assert.equal(items[0]!.i, 0, 'the input is not reordered');
  });

  it('orders text as SQLite’s BINARY collation does (code points), not as UTF-16 units', () => {
    const names = ['b', 'a', '\uffef', '😀', 'ab', '', '\ue000', 'ä'];
    const sorted = [...names].sort(compareCodePoints);
    assert.deepEqual(sorted, ['', 'a', 'ab', 'b', 'ä', '\ue000', '\uffef', '😀']);
    // JavaScript's own order puts the emoji (a surrogate pair) before U+E000.
    assert.ok('😀' < '\ue000');
  });

  it('writes counts as en-US does', () => {
    for (const n of [0, 7, 999, 1000, 12345, 1050051, -1234567, 2 ** 53 - 1, 1.5])
      assert.equal(formatCount(n), n.toLocaleString('en-US'), String(n));
  });
});
