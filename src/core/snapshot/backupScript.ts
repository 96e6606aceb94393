/**
 * The shell script run in the hub container: an online backup of the live SQLite file into a temp file
 * (Python's `sqlite3` backup API from a read-only URI, or the `sqlite3` CLI's `.backup` when the image
 * has no Python), streamed to stdout, the temp file removed by a trap even when the stream is cut.
 * The hub's own file is opened read-only and never written.
 */

/** Exit codes of the script (sysexits.h), so the caller can say what went wrong. */
export const BackupExit = {
  notSqlite: 65, // EX_DATAERR
  missing: 66, // EX_NOINPUT
  noTool: 69, // EX_UNAVAILABLE
  backupFailed: 70, // EX_SOFTWARE
  noTemp: 73, // EX_CANTCREAT
  unreadable: 77, // EX_NOPERM
} as const;

/** Python: backup() copies every page under one read transaction, so the copy is consistent. */
const python = [
  'import sqlite3, sys, urllib.parse',
  'src = sqlite3.connect("file:" + urllib.parse.quote(sys.argv[1]) + "?mode=ro", uri=True, timeout=30)',
  'dst = sqlite3.connect(sys.argv[2])',
  'src.backup(dst)',
  'dst.close()',
  'src.close()',
].join('\n');

const script = `
src="$1"
[ -e "$src" ] || { echo "hubops: no such file: $src" >&2; exit ${BackupExit.missing}; }
[ -r "$src" ] || { echo "hubops: cannot read: $src" >&2; exit ${BackupExit.unreadable}; }
magic=$(head -c 15 "$src")
[ "$magic" = "SQLite format 3" ] || { echo "hubops: not a SQLite database: $src" >&2; exit ${BackupExit.notSqlite}; }
tmp=$(mktemp "\${TMPDIR:-/tmp}/hubops-snapshot.XXXXXX") || exit ${BackupExit.noTemp}
trap 'rm -f "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 141' PIPE
if command -v python3 >/dev/null 2>&1; then
  echo "hubops-method: python3" >&2
  python3 -c '${python}' "$src" "$tmp" || exit ${BackupExit.backupFailed}
elif command -v sqlite3 >/dev/null 2>&1; then
  echo "hubops-method: sqlite3" >&2
  sqlite3 -readonly -cmd ".timeout 30000" "$src" ".backup '$tmp'" || exit ${BackupExit.backupFailed}
else
  echo "hubops: neither python3 nor sqlite3 in this container" >&2
  exit ${BackupExit.noTool}
fi
cat "$tmp"
`.trim();

/** argv for exec: `sh -c SCRIPT hubops-snapshot DBPATH` (the path is an argument, never spliced in). */
export function backupCommand(dbPath: string): string[] {
  return ['sh', '-c', script, 'hubops-snapshot', dbPath];
}

/** The backup method the script reported on stderr. */
export function methodFrom(stderr: string): 'python3' | 'sqlite3' | undefined {
  const m = /^hubops-method: (python3|sqlite3)$/m.exec(stderr);
  return m ? (m[1] as 'python3' | 'sqlite3') : undefined;
}
