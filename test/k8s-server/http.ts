/** Small response helpers shared by the handlers, and the registry of long-lived streams. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClusterState } from './cluster';
import type { TokenSpec } from './auth';
import type { Status } from './status';

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export const sendStatus = (res: ServerResponse, status: Status) => sendJson(res, status.code, status);

/** Open streams of one kind (watches, log follows, exec sessions), so tests can cut them all at once. */
export class StreamRegistry<F extends (...args: never[]) => void = () => void> {
  private readonly open = new Set<F>();

  /** Registers a stream's close function; returns the function that unregisters it. */
  add(close: F): () => void {
    this.open.add(close);
    return () => this.open.delete(close);
  }

  /** Calls every registered function and forgets them (closing the streams). */
  closeAll(...args: Parameters<F>): void {
    for (const close of [...this.open]) close(...args);
    this.open.clear();
  }

  /** Calls every registered function and keeps them (e.g. send a bookmark on every watch). */
  callAll(...args: Parameters<F>): void {
    for (const call of [...this.open]) call(...args);
  }

  get size(): number {
    return this.open.size;
  }
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  cluster: ClusterState;
  token: TokenSpec;
  /** Each open watch's end(abrupt): graceful end of the response, or a destroyed socket. */
  watches: StreamRegistry<(abrupt?: boolean) => void>;
  /** Each open watch that allows bookmarks: sends one now. */
  bookmarks: StreamRegistry;
  logFollows: StreamRegistry;
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK. */
  bookmarkIntervalMs: number;
}

export const queryFlag = (url: URL, name: string) => ['true', '1'].includes(url.searchParams.get(name) ?? '');
