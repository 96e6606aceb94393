import type { Parsed } from '../../src/protocol/schema';

/** What `acquireVsCodeApi()` gives a webview page. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/**
 * Hands every message from the extension to `handle` once it fits the page's protocol; one that does not
 * is dropped with the reason in the console (the page shows names out of databases and clusters: never
 * act on an unchecked message).
 */
export function onHostMessage<T>(parse: (value: unknown) => Parsed<T>, page: string, handle: (message: T) => void) {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const parsed = parse(event.data);
    if (parsed.ok) handle(parsed.value);
    else console.warn(`${page}: dropped a malformed message from the extension (${parsed.reason}).`);
  });
}
