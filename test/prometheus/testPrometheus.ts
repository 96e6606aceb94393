/**
 * A real Prometheus (Debian's `/usr/bin/prometheus`, 2.42) on loopback, serving history written at test
 * time: OpenMetrics files are turned into TSDB blocks by `promtool tsdb create-blocks-from openmetrics`,
 * then the server starts on that data directory with an empty configuration (no scraping). Started in its
 * own process group, on a free port, and ready when `/-/ready` says so; `stop()` ends it and removes the
 * data.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startProcess, type ManagedProcess } from '../harness/processes';

const run = promisify(execFile);

export const prometheusBinary = '/usr/bin/prometheus';
export const promtoolBinary = '/usr/bin/promtool';

export interface TestPrometheus {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  /** The data directory (TSDB) and its parent scratch directory. */
  readonly dir: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** OpenMetrics files to load (each becomes 2-hour blocks). */
  openMetrics: string[];
  /** A scratch directory (default: a fresh one under the OS temp dir, removed on stop). */
  dir?: string;
  /**
   * How far back an instant query looks for a sample (default 1m). Backfilled history has no staleness
   * markers, so with Prometheus's 5m default a deleted pod would seem to live on for 5 minutes; 1m (two
   * missed 30 s scrapes) behaves like scraped data.
   */
  lookbackDelta?: string;
}

/** Loads the files and starts Prometheus; throws with promtool's or Prometheus's words when either fails. */
export async function startPrometheus(options: StartOptions): Promise<TestPrometheus> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'hubops-prometheus-'));
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  let process: ManagedProcess | undefined;
  try {
    for (const file of options.openMetrics) {
      await run(promtoolBinary, ['tsdb', 'create-blocks-from', 'openmetrics', file, data], {
        maxBuffer: 16 * 1024 * 1024,
      }).catch((error: { stderr?: string; message: string }) => {
        throw new Error(`promtool could not load ${file}: ${(error.stderr ?? error.message).trim().slice(-500)}`);
      });
    }
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, 'global: {}\n');
    const port = await freePort();
    process = startProcess(
      prometheusBinary,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${data}`,
        '--storage.tsdb.retention.time=100y',
        `--query.lookback-delta=${options.lookbackDelta ?? '1m'}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { env: { PATH: '/usr/bin:/bin' }, cwd: dir, logFile: join(dir, 'prometheus.log') },
    );
    const url = `http://127.0.0.1:${port}`;
    await waitReady(url, process.exited, 30_000);
    const started = process;
    return {
      url,
      port,
      dir,
      async stop() {
        await started.stop();
        if (!options.dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await process?.stop();
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Polls `/-/ready` until it answers 200 (Prometheus answers 503 while the TSDB opens). */
async function waitReady(url: string, exited: Promise<unknown>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`Prometheus exited before it was ready (see its log)`);
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Prometheus at ${url} was not ready within ${timeoutMs} ms`);
}
