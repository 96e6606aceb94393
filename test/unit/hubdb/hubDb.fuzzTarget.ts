/**
 * Fuzz target: the hub-DB opener and the analyzer (run by fuzz.test.ts through test/harness/fuzz.ts).
 * Seeded random damage to a valid hub DB and to a valid `-wal` beside it: whatever the bytes, opening and
 * analysing return a coded error with a sentence, or a JSON-serialisable analysis, and never throw or
 * hang (each case is bounded by SQLite's own checks and the WAL's frame count).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeHubDb, loadSqlJs, openHubDbWith, type SqlJsStatic } from '../../../src/core/hubdb';
import { buildHubDb, HOSTILE_NAMES } from '../../builders/hubDb';
import { pick, type FuzzTarget, type Random } from '../../harness/fuzz';

interface Context {
  SQL: SqlJsStatic;
  db: Uint8Array;
  /** The same DB in WAL mode, with a committed transaction still in its `-wal` (real SQLite wrote both). */
  walDb: Uint8Array;
  wal: Uint8Array;
}

export const target: FuzzTarget<Context> = {
  async setup() {
    const db = await buildHubDb({
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
    const { walDb, wal } = withWal(db);
    return { SQL: await loadSqlJs(), db, walDb, wal };
  },

  run(context, random) {
    const withWalFile = random() < 0.3;
    let bytes: Uint8Array;
    let walBytes: Uint8Array | undefined;
    if (withWalFile) {
      bytes = random() < 0.8 ? context.walDb : damaged(context.walDb, random);
      const which = random();
      walBytes = which < 0.2 ? context.wal : which < 0.9 ? damaged(context.wal, random) : noise(random);
    } else bytes = damaged(context.db, random);

    const opened = openHubDbWith(context.SQL, bytes, walBytes ? { walBytes } : {});
    const prefix = withWalFile ? 'with -wal: ' : '';
    if (!opened.ok) {
      assert.match(opened.error.code, /^hubdb\.[a-z-]+$/);
      assert.ok(opened.error.userMessage.length > 20, opened.error.userMessage);
      return `${prefix}${opened.error.code}`;
    }
    try {
      const analysis = analyzeHubDb(opened.value, { now: new Date('2025-06-01T12:00:00Z') });
      if (!analysis.ok) {
        assert.match(analysis.error.code, /^hubdb\.[a-z-]+$/);
        assert.ok(analysis.error.userMessage.length > 20);
        return `${prefix}analysis: ${analysis.error.code}`;
      }
      assert.doesNotThrow(() => JSON.stringify(analysis.value));
      const applied = walBytes && opened.value.notes.some((n) => /^Applied \d+ committed/.test(n));
      return `${prefix}${applied ? 'WAL applied, ' : ''}analysed`;
    } finally {
      opened.value.close();
    }
  },
};

/** A copy of `valid` with seeded damage of one of five kinds. */
function damaged(valid: Uint8Array, random: Random): Uint8Array {
  const bytes = Uint8Array.prototype.slice.call(valid);
  const pages = Math.max(1, Math.floor(bytes.length / 4096));
  switch (pick(random, 5)) {
    case 0: // a few random bytes anywhere
      for (let k = 1 + pick(random, 8); k > 0; k--) bytes[pick(random, bytes.length)] = pick(random, 256);
      return bytes;
    case 1: // the header and first page, where the schema lives (for a WAL: its header and first frame)
      for (let k = 1 + pick(random, 4); k > 0; k--)
        bytes[pick(random, Math.min(4096, bytes.length))] = pick(random, 256);
      return bytes;
    case 2: {
      // a page zeroed
      const page = pick(random, pages) * 4096;
      bytes.fill(0, page, page + 4096);
      return bytes;
    }
    case 3: // truncated anywhere
      return bytes.subarray(0, pick(random, bytes.length));
    default: {
      // one page copied over another
      const from = pick(random, pages) * 4096;
      bytes.copyWithin(pick(random, pages) * 4096, from, from + 4096);
      return bytes;
    }
  }
}

function noise(random: Random): Uint8Array {
  const bytes = new Uint8Array(pick(random, 3 * 4096));
  for (let i = 0; i < bytes.length; i++) bytes[i] = pick(random, 256);
  return bytes;
}

/** The DB switched to WAL mode by SQLite itself, with one more commit left in the `-wal` (no checkpoint). */
function withWal(db: Uint8Array): { walDb: Uint8Array; wal: Uint8Array } {
  const dir = mkdtempSync(join(tmpdir(), 'hubops-hubdb-fuzz-'));
  try {
    const file = join(dir, 'jupyterhub.sqlite');
    writeFileSync(file, db);
    execFileSync('python3', [
      '-c',
      `
import shutil, sqlite3, sys
src = sys.argv[1]
c = sqlite3.connect(src)
c.execute('PRAGMA journal_mode=WAL')
c.execute('PRAGMA wal_autocheckpoint=0')
c.execute('PRAGMA wal_checkpoint(TRUNCATE)')
c.execute("UPDATE users SET name = name || '-renamed' WHERE id = (SELECT min(id) FROM users)")
c.execute("UPDATE spawners SET last_activity = '2025-05-01 00:00:00.000000'")
c.commit()
shutil.copy(src, src + '.copy'); shutil.copy(src + '-wal', src + '.copy-wal')
`,
      file,
    ]);
    // Plain Uint8Arrays: Buffer's slice() is a view, and damage must never reach the originals.
    const walDb = new Uint8Array(readFileSync(`${file}.copy`));
    const wal = new Uint8Array(readFileSync(`${file}.copy-wal`));
    assert.ok(wal.length > 32, 'SQLite left the commit in the -wal');
    return { walDb, wal };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
