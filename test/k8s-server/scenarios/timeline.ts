/**
 * Scripted timelines: steps at offsets from a virtual start. Tests step through them with virtual time
 * (`advanceTo(ms)`); the demo plays them in real time (`play({ speed })`). While a step runs, the
 * cluster's clock reads the step's virtual time, so timestamps and ages match the story.
 */
import type { ClusterState } from '../cluster';
import type { TestServer } from '../server';

export interface ScenarioContext {
  readonly server: TestServer;
  readonly cluster: ClusterState;
  /** The scenario's virtual start. */
  readonly start: Date;
  /** Virtual milliseconds since the start for the running step. */
  readonly elapsedMs: number;
  /** RFC 3339 time of the running step, plus `offsetMs`. */
  iso(offsetMs?: number): string;
}

export interface Step {
  atMs: number;
  label: string;
  run(ctx: ScenarioContext): void;
}

export const seconds = (s: number) => s * 1000;
export const minutes = (m: number) => m * 60_000;

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class Timeline {
  private readonly steps: Step[];
  private next = 0;
  private virtualMs = 0;
  readonly start: Date;

  constructor(
    readonly server: TestServer,
    steps: Step[],
    options: { start?: Date } = {},
  ) {
    // Stable sort: steps at the same offset run in the order given.
    this.steps = steps
      .map((s, i) => ({ s, i }))
      .sort((a, b) => a.s.atMs - b.s.atMs || a.i - b.i)
      .map(({ s }) => s);
    this.start = options.start ?? new Date();
    server.cluster.now = () => new Date(this.start.getTime() + this.virtualMs);
  }

  get elapsedMs(): number {
    return this.virtualMs;
  }

  /** Offset of the last step. */
  get endMs(): number {
    return this.steps.length ? this.steps[this.steps.length - 1]!.atMs : 0;
  }

  get finished(): boolean {
    return this.next >= this.steps.length;
  }

  /** Labels of the steps that have run, in order. */
  get done(): string[] {
    return this.steps.slice(0, this.next).map((s) => s.label);
  }

  /** Runs every step due at or before `ms` (virtual), in order, and sets the clock to `ms`. */
  advanceTo(ms: number): void {
    while (this.next < this.steps.length && this.steps[this.next]!.atMs <= ms) {
      const step = this.steps[this.next++]!;
      this.virtualMs = Math.max(this.virtualMs, step.atMs);
      step.run(this.context());
    }
    this.virtualMs = Math.max(this.virtualMs, ms);
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.virtualMs + ms);
  }

  /** Plays the rest in real time × speed until the end (or stop()); resolves when it stops. */
  play(options: { speed?: number; tickMs?: number; onStep?: (label: string, elapsedMs: number) => void } = {}): {
    stop(): void;
    finished: Promise<void>;
  } {
    const speed = options.speed ?? 1;
    const realStart = Date.now();
    const virtualStart = this.virtualMs;
    let timer: NodeJS.Timeout | undefined;
    let resolveFinished!: () => void;
    const finished = new Promise<void>((resolve) => (resolveFinished = resolve));
    const stop = () => {
      if (timer) clearInterval(timer);
      timer = undefined;
      resolveFinished();
    };
    const tick = () => {
      const before = this.next;
      this.advanceTo(virtualStart + (Date.now() - realStart) * speed);
      if (options.onStep)
        for (let i = before; i < this.next; i++) options.onStep(this.steps[i]!.label, this.steps[i]!.atMs);
      if (this.finished) stop();
    };
    timer = setInterval(tick, options.tickMs ?? 250);
    tick();
    return { stop, finished };
  }

  private context(): ScenarioContext {
    const startMs = this.start.getTime();
    const elapsed = this.virtualMs;
    return {
      server: this.server,
      cluster: this.server.cluster,
      start: this.start,
      elapsedMs: elapsed,
      iso: (offsetMs = 0) => rfc3339(startMs + elapsed + offsetMs),
    };
  }
}
