import { parseToWebview, type ToHost, type ToWebview } from '../../src/protocol/reportProtocol';
import { onHostMessage, type VsCodeApi } from '../shared/hostMessages';

export type { VsCodeApi } from '../shared/hostMessages';

/**
 * The page's side of the conversation. Every incoming message is validated against the protocol; one
 * that does not fit is dropped with the reason in the console.
 */
export class HostConnection {
  private readonly listeners = new Set<(message: ToWebview) => void>();

  constructor(private readonly api: VsCodeApi) {
    onHostMessage(parseToWebview, 'Incident report', (message) => {
      for (const listener of this.listeners) listener(message);
    });
  }

  send(message: ToHost): void {
    this.api.postMessage(message);
  }

  listen(listener: (message: ToWebview) => void): void {
    this.listeners.add(listener);
  }
}
