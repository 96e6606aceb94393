import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { messageOf, UserError } from '../../../src/core/result';

/**
 * The extension's first-use bundles (features, explorer, report, analyzer) each carry their own copy of
 * src/core/result.ts. A copy is made here the way the build makes one: bundled on its own and required.
 */
function anotherCopy(): typeof import('../../../src/core/result') {
  const dir = mkdtempSync(join(tmpdir(), 'user-error-'));
  try {
    const file = join(dir, 'copy.js');
    const { outputFiles } = buildSync({
      entryPoints: [join(__dirname, '../../../src/core/result.ts')],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      write: false,
      outfile: file,
    });
    writeFileSync(file, outputFiles[0]!.text);
    return createRequire(file)(file) as typeof import('../../../src/core/result');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('UserError across bundles', () => {
  it('is recognised when another bundle’s copy of the class made it, and its sentence is the one shown', () => {
    const copy = anotherCopy();
    assert.notEqual(copy.UserError, UserError, 'the copy is a class of its own');
    const theirs = new copy.UserError('The hub DB is not a SQLite file.', 'not-sqlite');
    assert.ok(theirs instanceof UserError);
    assert.equal(messageOf(theirs), 'The hub DB is not a SQLite file.');
    assert.ok(new UserError('x', 'y') instanceof copy.UserError);
  });

  it('is not claimed by any other error or value', () => {
    const copy = anotherCopy();
    for (const value of [new Error('boom'), { userMessage: 'forged', code: 'x' }, null, undefined, 'text', 3]) {
      assert.equal(value instanceof UserError, false, String(value));
      assert.equal(value instanceof copy.UserError, false, String(value));
    }
    assert.equal(messageOf(new Error('boom')), 'boom');
  });

  it('leaves a subclass to the usual check: another UserError is not one of it', () => {
    class TimeoutError extends UserError {}
    const timeout = new TimeoutError('The hub did not answer.', 'timeout');
    assert.ok(timeout instanceof UserError);
    assert.ok(timeout instanceof TimeoutError);
    assert.equal(new UserError('x', 'y') instanceof TimeoutError, false);
  });
});
