import { parseToWebview, type ToHost, type ToWebview } from '../../src/protocol/reportProtocol';

/** What `acquireVsCodeApi()` gives a webview page. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/**
 * The page's side of the conversation. Every incoming message is validated against the protocol; one
 * that does not fit is dropped with the reason in the console.
 */
export class HostConnection {
  private readonly listeners = new Set<(message: ToWebview) => void>();

  constructor(private readonly api: VsCodeApi) {
    window.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
  }

  send(message: ToHost): void {
    this.api.postMessage(message);
  }

  listen(listener: (message: ToWebview) => void): void {
    this.listeners.add(listener);
  }

  private receive(data: unknown): void {
    const parsed = parseToWebview(data);
    if (!parsed.ok) {
      console.warn(`Incident report: dropped a malformed message from the extension (${parsed.reason}).`);
      return;
    }
    for (const listener of this.listeners) listener(parsed.value);
  }
}
