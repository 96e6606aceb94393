import { parseToWebview, type ToHost, type ToWebview } from '../../src/protocol/explorerProtocol';
import { onHostMessage, type VsCodeApi } from '../shared/hostMessages';

export type { VsCodeApi } from '../shared/hostMessages';

type Request = Extract<ToHost, { requestId: number }>;
type WithoutId<T> = T extends unknown ? Omit<T, 'requestId'> : never;
export type RequestMessage = WithoutId<Request>;
/** Messages that need no answer. */
export type Notification = Exclude<ToHost, Request>;

/**
 * The page's side of the conversation: requests get a fresh id and a promise of the reply carrying it;
 * everything else (opened, openFailed, showAnalysis) goes to the listeners. Every incoming message is
 * validated; one that does not fit is dropped with the reason in the console.
 */
export class HostConnection {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: ToWebview) => void>();
  private readonly listeners = new Set<(message: ToWebview) => void>();

  constructor(private readonly api: VsCodeApi) {
    onHostMessage(parseToWebview, 'Explorer', (message) => this.receive(message));
  }

  request(message: RequestMessage): Promise<ToWebview> {
    const requestId = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      this.api.postMessage({ ...message, requestId });
    });
  }

  notify(message: Notification): void {
    this.api.postMessage(message);
  }

  listen(listener: (message: ToWebview) => void): void {
    this.listeners.add(listener);
  }

  private receive(message: ToWebview): void {
    const requestId = 'requestId' in message ? message.requestId : null;
    const settle = requestId === null ? undefined : this.pending.get(requestId);
    if (settle) {
      this.pending.delete(requestId!);
      settle(message);
      return;
    }
    for (const listener of this.listeners) listener(message);
  }
}
