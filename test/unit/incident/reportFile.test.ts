import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultReportPath, writeFileAtomic } from '../../../src/core/incident/reportFile';
import { slugify } from '../../../src/core/incident/slug';
import { useTempDir } from '../../harness/tempDir';

describe('report files', () => {
  const dir = useTempDir();

  it('slugifies titles into safe file names', () => {
    assert.equal(slugify('stress-hub OOMKilled at start-up'), 'stress-hub-oomkilled-at-start-up');
    assert.equal(slugify('Café  déjà vu!'), 'cafe-deja-vu');
    assert.equal(slugify('../../etc/passwd'), 'etc-passwd');
    assert.equal(slugify('🔥🔥'), 'incident');
    assert.equal(slugify('a'.repeat(100)).length, 60);
    assert.equal(slugify('word '.repeat(20), 12), 'word-word-wo');
  });

  it('dates the default file name in the report timezone', () => {
    const meta = { startedAt: '2026-05-15T02:30:00Z', title: 'Hub down: <b>' };
    assert.equal(
      defaultReportPath({ ...meta, timezone: 'America/New_York' }),
      'incident-reports/2026-05-14-hub-down-b.md',
    );
    assert.equal(
      defaultReportPath({ ...meta, timezone: 'Europe/Berlin' }),
      'incident-reports/2026-05-15-hub-down-b.md',
    );
  });

  it('writes atomically: the whole new text replaces the old, and no temp file is left', () => {
    const file = join(dir(), 'incident-reports', 'r.md');
    assert.ok(writeFileAtomic(file, 'first\n').ok);
    assert.ok(writeFileAtomic(file, 'second\n').ok);
    assert.equal(readFileSync(file, 'utf8'), 'second\n');
    assert.deepEqual(readdirSync(join(dir(), 'incident-reports')), ['r.md']);
  });

  it('reports a file it cannot write, and leaves nothing behind', () => {
    const blocker = join(dir(), 'not-a-folder');
    writeFileSync(blocker, 'x');
    const written = writeFileAtomic(join(blocker, 'r.md'), 'text');
    assert.ok(!written.ok);
    assert.equal(written.error.code, 'report-unwritable');
    assert.match(written.error.userMessage, /^Cannot write .*not-a-folder\/r\.md: /);
    assert.deepEqual(readdirSync(dir()), ['not-a-folder']);
  });
});
