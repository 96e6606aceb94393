import { spawn } from 'node:child_process';

/**
 * A deterministic writer on a live SQLite file, as a hub would be: N transactions, each inserting one row
 * into `table` (created if missing). Run it alone on a copy to know the bytes the live file must end with.
 */
const writerScript = `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30)
table = sys.argv[3]
db.execute(f"CREATE TABLE IF NOT EXISTS {table} (n INTEGER, payload TEXT)")
db.commit()
print("started", flush=True)
for i in range(int(sys.argv[2])):
    with db:
        db.execute(f"INSERT INTO {table}(n, payload) VALUES (?, ?)", (i, "w" * 1500))
db.close()
`;

export interface Writer {
  /** Resolves once the writer holds the file open and is about to write. */
  started: Promise<void>;
  /** The writer's exit code. */
  done: Promise<number | null>;
}

export function startWriter(file: string, inserts: number, table = 'hubops_writes'): Writer {
  const child = spawn('python3', ['-c', writerScript, file, String(inserts), table], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return {
    started: new Promise((resolve) => child.stdout.once('data', () => resolve())),
    done: new Promise((resolve) => child.on('close', resolve)),
  };
}

/** Runs the same writer alone to the end. */
export async function runWriter(file: string, inserts: number, table = 'hubops_writes'): Promise<number | null> {
  const writer = startWriter(file, inserts, table);
  return writer.done;
}
