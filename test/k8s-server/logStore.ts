/**
 * Container logs per (namespace, pod, container): the current run and the previous one (what
 * `previous=true` returns), with followers that receive lines appended later.
 */
type Follower = { onData: (text: string) => void; onEnd: () => void };

interface ContainerLogs {
  current: string;
  previous: string | undefined;
  followers: Set<Follower>;
}

const key = (ns: string, pod: string, container: string) => `${ns}/${pod}/${container}`;

export class LogStore {
  private readonly logs = new Map<string, ContainerLogs>();

  private entry(ns: string, pod: string, container: string): ContainerLogs {
    const k = key(ns, pod, container);
    let e = this.logs.get(k);
    if (!e) {
      e = { current: '', previous: undefined, followers: new Set() };
      this.logs.set(k, e);
    }
    return e;
  }

  /** Replaces the current (and optionally the previous) log of a container. */
  set(ns: string, pod: string, container: string, logs: { current?: string; previous?: string }): void {
    const e = this.entry(ns, pod, container);
    if (logs.current !== undefined) e.current = logs.current;
    if (logs.previous !== undefined) e.previous = logs.previous;
  }

  /** Appends to the current log and streams it to followers. A missing final newline is added. */
  append(ns: string, pod: string, container: string, text: string): void {
    const e = this.entry(ns, pod, container);
    const chunk = text.endsWith('\n') ? text : text + '\n';
    e.current += chunk;
    for (const f of e.followers) f.onData(chunk);
  }

  /** The container restarted: its current log becomes the previous one; followers' streams end. */
  restart(ns: string, pod: string, container: string, newCurrent = ''): void {
    const e = this.entry(ns, pod, container);
    e.previous = e.current;
    e.current = newCurrent;
    for (const f of e.followers) f.onEnd();
    e.followers.clear();
  }

  current(ns: string, pod: string, container: string): string | undefined {
    return this.logs.get(key(ns, pod, container))?.current;
  }

  previous(ns: string, pod: string, container: string): string | undefined {
    return this.logs.get(key(ns, pod, container))?.previous;
  }

  /** Follows appends to the current log until the container restarts or the pod goes. */
  follow(ns: string, pod: string, container: string, follower: Follower): () => void {
    const e = this.entry(ns, pod, container);
    e.followers.add(follower);
    return () => e.followers.delete(follower);
  }

  deletePod(ns: string, pod: string): void {
    for (const [k, e] of this.logs)
      if (k.startsWith(`${ns}/${pod}/`)) {
        for (const f of e.followers) f.onEnd();
        this.logs.delete(k);
      }
  }

  /** Ends every follow stream (server shutdown). */
  endAll(): void {
    for (const e of this.logs.values()) {
      for (const f of e.followers) f.onEnd();
      e.followers.clear();
    }
  }
}
