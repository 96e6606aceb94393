import assert from 'node:assert/strict';
import { MEMORY_QUANTITY, numberOption, oneLine, parseArgs, unknownOptions, wholeNumber } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';

describe('CLI arguments', () => {
  it('wholeNumber takes plain decimal digits within its range, nothing else', () => {
    const days = wholeNumber(1, 36_500, 'days');
    for (const [text, value] of [
      ['1', 1],
      ['30', 30],
      ['36500', 36_500],
    ] as const)
      assert.equal(days.parse(text), value);
    for (const text of [
      '',
      '0',
      '-1',
      '+1',
      '1.0',
      '1.5',
      '1e3',
      '0x10',
      ' 1',
      '1 ',
      '01',
      '36501',
      '9'.repeat(30),
      '\u0663',
      'NaN',
    ])
      assert.equal(days.parse(text), null, JSON.stringify(text));
    assert.equal(wholeNumber(0, 5, 'tries').parse('0'), 0);
    assert.equal(days.expected, 'a whole number of days from 1 to 36,500');
  });

  it('MEMORY_QUANTITY takes Kubernetes quantities above 0 and up to 1Ei', () => {
    assert.equal(MEMORY_QUANTITY.parse('2Gi'), 2 * 2 ** 30);
    assert.equal(MEMORY_QUANTITY.parse('1500M'), 1.5e9);
    assert.equal(MEMORY_QUANTITY.parse('1Ei'), 2 ** 60);
    for (const text of ['', '0', '-1Gi', 'lots', '2 Gi', ' 2Gi', '2Ei', '1e99', '0.1'])
      assert.equal(MEMORY_QUANTITY.parse(text), null, JSON.stringify(text));
  });

  it('numberOption: absent, valid, or one line saying what it expected and what it got', () => {
    const { options } = parseArgs(['--days=', '--n', '12', '--bad', 'x\ny'], { values: ['days', 'n', 'bad', 'none'] });
    const kind = wholeNumber(1, 100, 'things');
    assert.deepEqual(numberOption(options, 'none', kind), { ok: true, value: undefined });
    assert.deepEqual(numberOption(options, 'n', kind), { ok: true, value: 12 });
    assert.deepEqual(numberOption(options, 'days', kind), {
      ok: false,
      message: '--days must be a whole number of things from 1 to 100, not ""',
    });
    assert.deepEqual(numberOption(options, 'bad', kind), {
      ok: false,
      message: '--bad must be a whole number of things from 1 to 100, not "x\\ny"',
    });
  });

  it('echoes arguments on one line, control and bidi characters escaped', () => {
    assert.equal(oneLine('a\nb\u202ec\u0007"'), 'a\\nb\\u202ec\\x07\\"');
    assert.equal(oneLine('x'.repeat(100)).length, 41);
    assert.equal(unknownOptions(['--x', '--days needs a value']), 'unknown option --x, --days needs a value');
  });

  it('an unknown command exits 2 with one line', async () => {
    let err = '';
    const code = await main(['frobnicate\n--now'], { out: () => undefined, err: (t) => (err += t) });
    assert.equal(code, 2);
    assert.equal(err, 'hubops: unknown command "frobnicate\\n--now" (hubops --help lists the commands)\n');
  });
});
