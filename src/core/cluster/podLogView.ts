/**
 * A pod's log as a tab shows it: a first line saying when it was read and which container instance it is
 * (`as of 15:40:12 (EST) · container hub, restart 5 …`), the log's lines (redacted, bounded), and one status
 * line at the bottom while following (the container exited and a restart is awaited, or the stream broke).
 * Following reconnects to each new instance after a restart. Pure: the API comes in as a `LogSource`.
 */
import { formatCount } from '../../shared/format';
import { clockTime } from '../incident/zonedTime';
import type { Result } from '../result';
import { redactText } from '../secrets';
import type { KubeProblem } from './kubeErrors';
import { toMillis } from './kubeTime';

/** A container's current instance, from the pod's status. */
export interface ContainerInstance {
  container: string;
  /** The instance's number: 0 for the first run, n after the n-th restart. */
  restartCount: number;
  state: 'running' | 'waiting' | 'terminated' | 'unknown';
  /** ISO start of the instance (running or terminated). */
  startedAt: string | null;
  /** Why it waits (CrashLoopBackOff, ContainerCreating) or why it ended. */
  reason: string | null;
  containerId: string | null;
  /** The run before this one (what `previous=true` returns), when there was one. */
  last: { reason: string | null; exitCode: number | null; startedAt: string | null; finishedAt: string | null } | null;
}

export interface LogStreamHandlers {
  onData(text: string): void;
  /** The stream ended: the container exited (no error) or it broke (why). */
  onEnd(error?: string): void;
}

export interface LogStream {
  stop(): void;
}

/** The API calls a log tab makes (ClusterWatcher's, against one context). */
export interface LogSource {
  instance(): Promise<Result<ContainerInstance, KubeProblem>>;
  /** A one-shot read: the tail of the current run, or the previous run. */
  read(container: string, previous: boolean): Promise<Result<string, KubeProblem>>;
  follow(container: string, handlers: LogStreamHandlers): Promise<Result<LogStream, KubeProblem>>;
}

/** "first run", "restart 5". */
export function instanceName(restartCount: number): string {
  return restartCount === 0 ? 'first run' : `restart ${formatCount(restartCount)}`;
}

const BEGIN_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/;
const END_KEY = /-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/;
const REDACTED_KEY_LINE = '‹redacted›';

/**
 * A log's lines, each redacted once as it arrives (the one secret detector, `redactText`, line by line: no
 * pattern spans a line break, except a private key's PEM block, whose inner lines are hidden whole), at most
 * `maxLines` kept (the oldest are dropped and counted). A line without its newline waits for the rest.
 */
export class LogLines {
  private lines: string[] = [];
  private partial = '';
  private inKey = false;
  dropped = 0;

  constructor(private readonly maxLines: number) {}

  get count(): number {
    return this.lines.length;
  }

  clear(): void {
    this.lines = [];
    this.partial = '';
    this.inKey = false;
    this.dropped = 0;
  }

  append(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const raw of parts) this.push(raw);
    this.trim();
  }

  /** Ends the pending partial line (the stream ended without a final newline). */
  flush(): void {
    if (this.partial) this.push(this.partial);
    this.partial = '';
    this.trim();
  }

  /** A line of our own (a restart separator): not redacted, ends any pending partial line. */
  note(line: string): void {
    this.flush();
    this.lines.push(line);
    this.trim();
  }

  text(): string {
    const all = this.partial ? [...this.lines, this.redact(this.partial, false)] : this.lines;
    return all.join('\n');
  }

  private push(raw: string): void {
    this.lines.push(this.redact(raw, true));
  }

  private redact(raw: string, advance: boolean): string {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.inKey) {
      if (advance && END_KEY.test(line)) this.inKey = false;
      return REDACTED_KEY_LINE;
    }
    if (advance && BEGIN_KEY.test(line) && !END_KEY.test(line)) this.inKey = true;
    return redactText(line);
  }

  private trim(): void {
    const excess = this.lines.length - this.maxLines;
    if (excess > 0) {
      this.lines.splice(0, excess);
      this.dropped += excess;
    }
  }
}

export interface PodLogTabOptions {
  pod: string;
  /** The container asked for (undefined: the pod's only one). */
  container: string | undefined;
  previous: boolean;
  /** How many lines a read asks for, and how many the tab keeps. */
  tailLines: number;
  source: LogSource;
  /** The IANA zone times are shown in (read each time: the setting may change). */
  timezone: () => string;
  now?: () => number;
  /** Something changed: the tab should be shown again. */
  onChange: () => void;
  /** Waits between status reads while a restart is awaited (tests and the host pass their own). */
  pollMs?: number;
  /** How long a stream that ended may wait for the pod's status to show the exit. */
  exitGraceMs?: number;
}

/** One log tab's state: what was read, from which instance, when; and the follow loop when following. */
export class PodLogTab {
  private readonly lines: LogLines;
  private instance: ContainerInstance | undefined;
  private fetchedAt: number | undefined;
  /** A read that failed: the whole text of the tab. */
  private failure: string | undefined;
  private status: string | undefined;
  private following = false;
  /** Bumped on every (re)start and stop: a loop whose generation is old stops at its next step. */
  private generation = 0;
  private stream: LogStream | undefined;
  private readonly now: () => number;
  private firstRead: Promise<void> | undefined;

  constructor(private readonly options: PodLogTabOptions) {
    this.lines = new LogLines(options.tailLines);
    this.now = options.now ?? Date.now;
  }

  get isFollowing(): boolean {
    return this.following;
  }

  /** The first read, once (the document's first content); a tab that follows already needs none. */
  readOnce(): Promise<void> {
    this.firstRead ??= this.following ? Promise.resolve() : this.read();
    return this.firstRead;
  }

  /**
   * Reads the log once (a snapshot), from the instance the pod's status names before and after the read.
   * Not while following (the stream is the newer reading): Refresh restarts the stream instead.
   */
  async read(): Promise<void> {
    if (this.following) return;
    const generation = this.generation;
    const { source, previous } = this.options;
    let result: { instance: ContainerInstance; text: string } | string = 'no answer';
    // A restart between the status read and the log read would name the wrong instance: read again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = await source.instance();
      if (!before.ok) {
        result = before.error.message;
        break;
      }
      const text = await source.read(before.value.container, previous);
      if (!text.ok) {
        result = text.error.message;
        break;
      }
      const after = await source.instance();
      result = { instance: after.ok ? after.value : before.value, text: text.value };
      if (!after.ok || sameInstance(before.value, after.value)) break;
    }
    if (generation !== this.generation || this.following) return;
    this.fetchedAt = this.now();
    this.status = undefined;
    this.lines.clear();
    if (typeof result === 'string') {
      this.failure = `Could not read the ${previous ? 'previous log' : 'log'} of pod ${this.options.pod}: ${result}`;
      this.instance = undefined;
    } else {
      this.failure = undefined;
      this.instance = result.instance;
      this.lines.append(result.text);
      this.lines.flush();
    }
    this.options.onChange();
  }

  /** Streams the log into the tab until `stopFollowing`, reconnecting to each new instance after a restart. */
  follow(): void {
    if (this.options.previous) return;
    this.stopFollowing();
    this.following = true;
    this.status = 'connecting…';
    this.options.onChange();
    void this.followLoop(this.generation);
  }

  stopFollowing(): void {
    this.generation++;
    this.stream?.stop();
    this.stream = undefined;
    if (this.following) {
      this.following = false;
      if (this.status === 'connecting…' || this.status?.startsWith('waiting')) this.status = undefined;
      this.options.onChange();
    }
  }

  dispose(): void {
    this.stopFollowing();
  }

  render(): string {
    if (this.failure !== undefined) return `${this.header()}\n${this.failure}\n`;
    const body = this.lines.text();
    const empty = !body && this.lines.count === 0;
    const which = this.options.previous ? 'previous log' : 'log';
    const lines = [this.header()];
    if (this.lines.dropped > 0)
      lines.push(
        `… ${formatCount(this.lines.dropped)} earlier lines not kept (the tab keeps the last ${formatCount(this.options.tailLines)})`,
      );
    if (empty && !this.following) lines.push(`The ${which} of pod ${this.options.pod} is empty.`);
    else if (body) lines.push(body);
    if (this.status) lines.push(`── ${this.status} ──`);
    return lines.join('\n') + '\n';
  }

  private at(ms: number | undefined, withZone: boolean): string {
    if (ms === undefined) return 'an unknown time';
    const [time, zone] = clockTime(ms, this.options.timezone());
    return withZone ? `${time} (${zone})` : time;
  }

  private iso(iso: string | null): string {
    return this.at(toMillis(iso) ?? undefined, false);
  }

  /** The first line: when, and which instance. */
  header(): string {
    const parts = [`as of ${this.at(this.fetchedAt, true)}${this.following ? ', following' : ''}`];
    const i = this.instance;
    const container = i?.container || this.options.container;
    if (i && this.options.previous) {
      if (i.last && i.restartCount > 0) {
        const ended = [i.last.reason, i.last.exitCode !== null ? `exit ${i.last.exitCode}` : '']
          .filter(Boolean)
          .join(', ');
        parts.push(
          `container ${container}, previous instance: ${instanceName(i.restartCount - 1)}, ` +
            `${i.last.startedAt ? `${this.iso(i.last.startedAt)}–` : 'ended '}${this.iso(i.last.finishedAt)}` +
            (ended ? ` (${ended})` : ''),
        );
      } else parts.push(`container ${container}, previous instance: none known (the pod's status names none)`);
      parts.push(
        `now ${instanceName(i.restartCount)}${i.state === 'running' ? ' runs' : ` is ${i.reason ?? i.state}`}`,
      );
    } else if (i) {
      const state =
        i.state === 'running'
          ? `running since ${this.iso(i.startedAt)}`
          : `${i.reason ?? i.state}${i.startedAt ? `, started ${this.iso(i.startedAt)}` : ''}`;
      parts.push(`container ${container}, ${instanceName(i.restartCount)} (${state})`);
      if (!this.following) parts.push(`the last ${formatCount(this.options.tailLines)} lines at most`);
    } else if (container) parts.push(`container ${container}`);
    parts.push(`pod ${this.options.pod}`);
    return parts.join(' · ');
  }

  private async followLoop(generation: number): Promise<void> {
    const { source } = this.options;
    const live = () => generation === this.generation;
    let first = true;
    while (live()) {
      const instance = await source.instance();
      if (!live()) return;
      if (!instance.ok)
        return this.stopWith(
          instance.error.status === 404
            ? this.goneLine()
            : `follow stopped at ${this.at(this.now(), true)}: ${instance.error.message}`,
        );
      if (instance.value.state !== 'running') {
        if (first) {
          // Back-off between crashes: show what there is now, then wait for the next start.
          first = false;
          const text = await source.read(instance.value.container, false);
          if (!live()) return;
          this.fetchedAt = this.now();
          this.instance = instance.value;
          this.lines.clear();
          if (text.ok) this.lines.append(text.value);
          this.lines.flush();
          this.status = `container ${instance.value.container} is ${instance.value.reason ?? instance.value.state}; waiting for it to start`;
          this.options.onChange();
        }
        await this.sleep(this.options.pollMs ?? 1000);
        continue;
      }
      let ended!: (error: string | undefined) => void;
      const end = new Promise<string | undefined>((resolve) => (ended = resolve));
      // Text can arrive before `follow` resolves: it waits until the tab is set up for this stream.
      let early: string[] | undefined = [];
      const take = (text: string) => {
        this.fetchedAt = this.now();
        this.lines.append(text);
        this.options.onChange();
      };
      const opened = await source.follow(instance.value.container, {
        onData: (text) => {
          if (!live()) return;
          if (early) early.push(text);
          else take(text);
        },
        onEnd: (error) => ended(error),
      });
      if (!live()) {
        if (opened.ok) opened.value.stop();
        return;
      }
      if (!opened.ok) return this.stopWith(`follow stopped at ${this.at(this.now(), true)}: ${opened.error.message}`);
      this.stream = opened.value;
      this.fetchedAt = this.now();
      this.failure = undefined;
      if (first) this.lines.clear();
      else
        this.lines.note(
          `── ${instanceName(instance.value.restartCount)} of container ${instance.value.container} started ${this.iso(instance.value.startedAt)} ──`,
        );
      this.instance = instance.value;
      this.status = undefined;
      first = false;
      const arrived = early;
      early = undefined;
      for (const text of arrived) take(text);
      this.options.onChange();

      const error = await end;
      if (!live()) return;
      this.stream = undefined;
      this.lines.flush();
      const next = await this.awaitExit(instance.value, live);
      if (!live()) return;
      if (next === 'gone') return this.stopWith(this.goneLine());
      if (typeof next === 'string' || next === undefined)
        return this.stopWith(
          `follow stopped at ${this.at(this.now(), true)}: ${next ?? error ?? 'the API server ended the log stream while the container still runs'}; Refresh to read again`,
        );
      this.instance = { ...instance.value, last: next.last };
      const ended2 = next.last;
      const why = ended2
        ? [ended2.reason, ended2.exitCode !== null ? `exit ${ended2.exitCode}` : ''].filter(Boolean)
        : [];
      this.status = `container ${instance.value.container} exited${ended2?.finishedAt ? ` at ${this.iso(ended2.finishedAt)}` : ''}${why.length ? ` (${why.join(', ')})` : ''}; waiting for ${instanceName(instance.value.restartCount + 1)}`;
      this.options.onChange();
    }
  }

  /**
   * After a stream ended: the next instance's status when the container exited (restart count moved on),
   * 'gone' when the pod is, why the status could not be read, or undefined when it still runs the same
   * instance after the grace time.
   */
  private async awaitExit(
    was: ContainerInstance,
    live: () => boolean,
  ): Promise<ContainerInstance | 'gone' | string | undefined> {
    const deadline = this.now() + (this.options.exitGraceMs ?? 5000);
    while (live()) {
      const now = await this.options.source.instance();
      if (!now.ok) return now.error.status === 404 ? 'gone' : now.error.message;
      if (!sameInstance(was, now.value) || now.value.state !== 'running') return now.value;
      if (this.now() >= deadline) return undefined;
      await this.sleep(this.options.pollMs ?? 1000);
    }
    return undefined;
  }

  private goneLine(): string {
    return `pod ${this.options.pod} is gone (${this.at(this.now(), true)}): nothing more to follow`;
  }

  private stopWith(line: string): void {
    this.following = false;
    this.generation++;
    this.stream?.stop();
    this.stream = undefined;
    this.lines.flush();
    this.status = line;
    this.options.onChange();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}

function sameInstance(a: ContainerInstance, b: ContainerInstance): boolean {
  return a.restartCount === b.restartCount && a.containerId === b.containerId;
}
