import type { PageProtocol } from '../../src/protocol/schema';

/** What `acquireVsCodeApi()` gives a webview page (it may be called once per page load). */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The page's VS Code API; main.ts of each page calls this once. */
export const vscodeApi = (): VsCodeApi => acquireVsCodeApi();

type Request<ToHost> = Extract<ToHost, { requestId: number }>;
type WithoutId<T> = T extends unknown ? Omit<T, 'requestId'> : never;

/**
 * The page's end of the conversation with the extension, the same for every page: it says `ready` once
 * it listens, requests get a fresh sequence number and a promise of the reply carrying it, and
 * everything else goes to the listeners. Every incoming message is validated against the page's
 * protocol; one that does not fit is dropped with the reason in the console (the page shows names out of
 * databases and clusters: never act on an unchecked message).
 */
export class HostConnection<ToHost extends { type: string }, ToWebview extends { type: string }> {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: ToWebview) => void>();
  private readonly listeners = new Set<(message: ToWebview) => void>();

  constructor(
    private readonly api: VsCodeApi,
    protocol: PageProtocol<ToHost, ToWebview>,
  ) {
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      const parsed = protocol.parseToWebview(event.data);
      if (parsed.ok) this.receive(parsed.value);
      else console.warn(`${protocol.name}: dropped a malformed message from the extension (${parsed.reason}).`);
    });
  }

  /** Tells the extension the page listens (after a reload too): it answers with what the page shows. */
  ready(): void {
    this.api.postMessage({ type: 'ready' });
  }

  /** A request: resolves with the reply that carries its sequence number (a `failed` one included). */
  request(message: WithoutId<Request<ToHost>>): Promise<ToWebview> {
    const requestId = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      this.api.postMessage({ ...message, requestId });
    });
  }

  /** A message that needs no answer. */
  send(message: Exclude<ToHost, Request<ToHost>>): void {
    this.api.postMessage(message);
  }

  listen(listener: (message: ToWebview) => void): void {
    this.listeners.add(listener);
  }

  private receive(message: ToWebview): void {
    const requestId = 'requestId' in message && typeof message.requestId === 'number' ? message.requestId : null;
    const settle = requestId === null ? undefined : this.pending.get(requestId);
    if (settle) {
      this.pending.delete(requestId!);
      settle(message);
      return;
    }
    for (const listener of this.listeners) listener(message);
  }
}
