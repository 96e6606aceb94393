import assert from 'node:assert/strict';
import {
  formatAge,
  formatBytes,
  formatCount,
  formatDuration,
  formatMemoryQuantity,
  formatMs,
  formatSeconds,
  memoryQuantityProblem,
  parseMemoryQuantity,
} from '../../../src/shared/format';
import { describeHubSettings, whatIfChanges } from '../../../src/shared/whatIf';
import { isRecord } from '../../../src/shared/guards';
import { sectionIds } from '../../../src/shared/reportSections';

const Ki = 2 ** 10;
const Mi = 2 ** 20;
const Gi = 2 ** 30;

describe('shared formatting and parsing (one behaviour for the core, the CLI, the editor and the webviews)', () => {
  describe('parseMemoryQuantity: Kubernetes quantities, as the API server reads them', () => {
    it('reads binary and decimal suffixes, fractions and exponents', () => {
      assert.equal(parseMemoryQuantity('2Gi'), 2 * Gi);
      assert.equal(parseMemoryQuantity('1500Mi'), 1500 * Mi);
      assert.equal(parseMemoryQuantity('900Ki'), 900 * Ki);
      assert.equal(parseMemoryQuantity('1500M'), 1.5e9);
      assert.equal(parseMemoryQuantity('2k'), 2000);
      assert.equal(parseMemoryQuantity('1.5Gi'), 1.5 * Gi);
      assert.equal(parseMemoryQuantity('.5Gi'), 0.5 * Gi);
      assert.equal(parseMemoryQuantity('5.'), 5);
      assert.equal(parseMemoryQuantity('+2Gi'), 2 * Gi);
      assert.equal(parseMemoryQuantity('0.1G'), 1e8, 'decimal, not a float a few ulps off');
      assert.equal(parseMemoryQuantity('2147483648'), 2 * Gi);
    });

    it('reads what the Analysis tab used to refuse: exponents and the big suffixes (2e9, 1Pi, 1Ei, 2E3)', () => {
      assert.equal(parseMemoryQuantity('2e9'), 2e9);
      assert.equal(parseMemoryQuantity('2E3'), 2000, 'E followed by digits is an exponent');
      assert.equal(parseMemoryQuantity('2E'), 2e18, 'E alone is exa');
      assert.equal(parseMemoryQuantity('1Pi'), 2 ** 50);
      assert.equal(parseMemoryQuantity('1Ei'), 2 ** 60);
      assert.equal(parseMemoryQuantity('3T'), 3e12);
    });

    it('refuses what Kubernetes refuses, including what the Analysis tab used to take (2 Gi, 2K)', () => {
      // A space between number and suffix, and an upper-case K, are rejected by the API server: a limit
      // written that way never reaches a pod, so the analysis must not compare against it either.
      for (const bad of ['2 Gi', '2K', '2KB', '2GB', '2gi', '1Zi', 'Gi', '', '   ', 'lots', '2Gi2', '0x10', '1,5Gi'])
        assert.equal(parseMemoryQuantity(bad), null, JSON.stringify(bad));
    });

    it('ignores space around the quantity (form fields), and rounds a fraction of a byte up as Kubernetes does', () => {
      assert.equal(parseMemoryQuantity(' 512Mi '), 512 * Mi);
      assert.equal(parseMemoryQuantity('1500m'), 2, 'milli-bytes: 1.5 bytes is 2');
      assert.equal(parseMemoryQuantity('1.0000001'), 2);
    });

    it('has no use for sizes under one byte (Kubernetes would round 0.1 up to 1)', () => {
      for (const bad of ['0', '0Gi', '-1Gi', '-2e9', '0.1', '500m', '0.4m'])
        assert.equal(parseMemoryQuantity(bad), null, bad);
      assert.equal(parseMemoryQuantity('1e400'), null, 'not a finite number of bytes');
    });
  });

  describe('formatBytes: one size style everywhere (Kubernetes binary suffixes, short)', () => {
    it('writes sizes as a limit is written: 5.1Gi, not 5.10 GiB', () => {
      assert.equal(formatBytes(5.1 * Gi), '5.1Gi');
      assert.equal(formatBytes(5.3 * Gi), '5.3Gi');
      assert.equal(formatBytes(2 * Gi), '2Gi');
      assert.equal(formatBytes(512 * Mi), '512Mi');
      assert.equal(formatBytes(412 * Mi), '412Mi');
      assert.equal(formatBytes(4.88 * Ki), '4.9Ki');
      assert.equal(formatBytes(900 * Ki), '900Ki');
      assert.equal(formatBytes(3 * 2 ** 40), '3Ti');
      assert.equal(formatBytes(12), '12B');
      assert.equal(formatBytes(0), '0B');
      assert.equal(formatBytes(-3.3 * Gi), '-3.3Gi');
    });

    it('gives back a quantity parseMemoryQuantity reads (from 1Ki up), within the rounding of three figures', () => {
      for (const bytes of [1024, 1000 * Ki, 900 * Ki, 412 * Mi, 1.9 * Gi, 5.3 * Gi, 123.4 * Gi, 7 * 2 ** 40]) {
        const back = parseMemoryQuantity(formatBytes(bytes));
        assert.ok(back !== null && Math.abs(back - bytes) / bytes < 0.03, `${bytes} → ${formatBytes(bytes)} → ${back}`);
      }
    });
  });

  describe('formatMemoryQuantity and memoryQuantityProblem: the memory-limit field', () => {
    it('writes bytes as the exact quantity to type back: 2Gi, not 2147483648', () => {
      const cases: [number, string][] = [
        [2 * Gi, '2Gi'],
        [1536 * Mi, '1536Mi'],
        [2e9, '2G'],
        [1.5e9, '1500M'],
        [8 * Gi, '8Gi'],
        [512 * Mi, '512Mi'],
        [123, '123'],
        [2 ** 60, '1Ei'],
      ];
      for (const [bytes, text] of cases) {
        assert.equal(formatMemoryQuantity(bytes), text);
        assert.equal(parseMemoryQuantity(text), bytes);
      }
    });

    it('says in one line why a limit is not a quantity, and nothing for one that is', () => {
      for (const good of ['2Gi', '512Mi', '2G', '1.5Gi', '2e9', ' 2Gi '])
        assert.equal(memoryQuantityProblem(good), null);
      const cases: [string, RegExp][] = [
        ['2GB', /"GB" is not a Kubernetes suffix: write Gi .* or G /],
        ['2gi', /"gi" is not a Kubernetes suffix: write Gi/],
        ['2K', /"K" is not a Kubernetes suffix: write Ki .* or k /],
        ['2 Gi', /no space between the number and its suffix/],
        ['lots', /does not start with a number/],
        ['-1Gi', /cannot be negative/],
        ['0', /at least 1 byte/],
        ['', /empty/],
      ];
      for (const [text, expected] of cases) {
        const problem = memoryQuantityProblem(text);
        assert.match(problem ?? '', expected, text);
        assert.ok(!problem?.includes('\n'), 'one line');
      }
    });
  });

  describe("whatIfChanges: which analyses are the hub's own (evidence) and which are what-ifs", () => {
    const hub = { jupyterhubVersion: '5.3.0', memoryLimitBytes: 2 * Gi };

    it("finds no change at the hub's settings, and names each change otherwise", () => {
      assert.deepEqual(whatIfChanges({ jupyterhubVersion: '5.3.0', memoryLimitBytes: 2 * Gi }, hub), []);
      assert.deepEqual(whatIfChanges({ jupyterhubVersion: '5.4.3', memoryLimitBytes: 8 * Gi }, hub), [
        'limit 8Gi',
        'JupyterHub 5.4.3',
      ]);
      assert.deepEqual(whatIfChanges({ jupyterhubVersion: '5.3.0' }, hub), ['no limit']);
      assert.deepEqual(whatIfChanges({ memoryLimitBytes: 2 * Gi }, hub), ['every 5.x variant']);
    });

    it('takes a hub with nothing detected as what it is: no version, no limit', () => {
      const unknown = { jupyterhubVersion: null, memoryLimitBytes: null };
      assert.deepEqual(whatIfChanges({}, unknown), []);
      assert.deepEqual(whatIfChanges({ memoryLimitBytes: Gi }, unknown), ['limit 1Gi']);
      assert.equal(describeHubSettings(unknown), 'an unknown JupyterHub version with no memory limit');
      assert.equal(describeHubSettings(hub), 'JupyterHub 5.3.0 with a 2Gi limit');
    });
  });

  it('formats counts and times the same way on every surface', () => {
    assert.equal(formatCount(1_050_051), '1,050,051');
    assert.equal(formatCount(-1_234_567), '-1,234,567');
    assert.equal(formatSeconds(0.447), '0.45 s');
    assert.equal(formatSeconds(55.1), '55 s');
    assert.equal(formatSeconds(192), '3 min 12 s');
    assert.equal(formatMs(12.4), '12 ms');
    assert.equal(formatMs(1500), '1.5 s');
    assert.equal(formatDuration(80 * 60_000), '1 h 20 min');
    assert.equal(formatDuration(45_000), '45 s');
    assert.equal(formatAge(192_000), '3m12s');
    assert.equal(formatAge(2 * 3600_000 + 5 * 60_000), '2h5m');
  });

  it('tells a plain object from null, arrays and primitives', () => {
    assert.equal(isRecord({ a: 1 }), true);
    for (const v of [null, undefined, [], 'x', 1, true]) assert.equal(isRecord(v), false, JSON.stringify(v));
  });

  it('names the report sections once, in the order the report shows them', () => {
    assert.deepEqual([...sectionIds], ['summary', 'impact', 'timeline', 'resolution', 'learned', 'actionItems']);
  });
});
