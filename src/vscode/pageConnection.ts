import { messageOf, type Result } from '../core/result';
import type { PageError, PageProtocol } from '../protocol/schema';
import type { Log } from './redactedLog';

export type { PageError, PageProtocol } from '../protocol/schema';

/** The feature behind a page: it answers the page's messages, which arrive validated. */
export interface PageHandler<ToHost, ToWebview = unknown> {
  receive(message: ToHost): Promise<void> | void;
  /** What leaves for the page instead of `message` (the feature passes it through the secret detector). */
  outgoing?(message: ToWebview): ToWebview;
}

type WithRequestId = { requestId: number };
export type WithoutRequestId<T> = T extends { requestId: unknown } ? Omit<T, 'requestId'> : never;

/**
 * The host's end of one webview page, in the shape of vscode-pull-request-github's WebviewBase, without
 * VS Code (the webview host gives it the panel's `postMessage`; unit tests give it an array):
 * - one validated receive: a message that does not fit the protocol is logged and dropped; a handler
 *   that throws is logged with its stack, and the page is told (`protocol.failed`);
 * - a ready handshake as a promise: the page says `ready` once its listener is installed, and again
 *   after a reload; nothing is posted to a page that has not spoken since it (re)loaded;
 * - replies by sequence number: `reply` and `answer` send a request's `requestId` back with the answer,
 *   `fail` the protocol's failure message.
 */
export class PageConnection<ToHost extends { type: string }, ToWebview> {
  private handler: PageHandler<ToHost, ToWebview> | undefined;
  private listening = false;
  private closed = false;
  private markReady!: () => void;
  private readyPromise = this.newReady();

  constructor(
    private readonly protocol: PageProtocol<ToHost, ToWebview>,
    private readonly send: (message: ToWebview) => void,
    private readonly log: Log,
  ) {}

  /** Resolves when the page has said `ready` since it last (re)loaded. */
  get ready(): Promise<void> {
    return this.readyPromise;
  }

  /** Who answers the page (the feature behind it; set once, before the page speaks). */
  handleWith(handler: PageHandler<ToHost, ToWebview>): void {
    this.handler = handler;
  }

  /** One message from the page, of any shape: validated here, then handed to the handler. */
  async receive(raw: unknown): Promise<void> {
    if (this.closed) return;
    const parsed = this.protocol.parseToHost(raw);
    if (!parsed.ok) {
      this.log.warn(`${this.protocol.name}: dropped a malformed message from the page (${parsed.reason}).`);
      return;
    }
    const message = parsed.value;
    // Any valid message proves the page's listener is installed; `ready` says it (re)loaded.
    this.listening = true;
    if (message.type === 'ready') this.markReady();
    try {
      await this.handler?.receive(message);
    } catch (error) {
      this.log.error(`${this.protocol.name}: ${message.type} failed: ${messageOf(error)}`);
      if (error instanceof Error && error.stack) this.log.error(error);
      this.fail(message, {
        code: 'internal',
        message: `Something went wrong in the ${this.protocol.name.toLowerCase()}: ${messageOf(error)}. The log (Output › JupyterHub Ops) has the details.`,
      });
    }
  }

  /**
   * Sends to the page, through the handler's `outgoing` (every message the page gets passes it); dropped
   * (false) while the page is not listening: it asks again when it is.
   */
  post(message: ToWebview): boolean {
    if (!this.listening || this.closed) return false;
    this.send(this.handler?.outgoing ? this.handler.outgoing(message) : message);
    return true;
  }

  /** Answers a request: `message` goes back carrying the request's sequence number. */
  reply(request: WithRequestId, message: WithoutRequestId<ToWebview>): void {
    this.post({ ...message, requestId: request.requestId } as ToWebview);
  }

  /** Tells the page a request failed, as its protocol says failures (the page's pending promise settles). */
  fail(request: ToHost, error: PageError): void {
    const message = this.protocol.failed(request, error);
    if (message) this.post(message);
  }

  /** Answers a request with an outcome: its value as `toMessage` makes it, or the failure. */
  answer<T>(
    request: ToHost & WithRequestId,
    outcome: Result<T, PageError>,
    toMessage: (value: T) => WithoutRequestId<ToWebview>,
  ): void {
    if (outcome.ok) this.reply(request, toMessage(outcome.value));
    else this.fail(request, outcome.error);
  }

  /** The page went away (VS Code unloads a hidden panel's page): nothing is sent until it is ready again. */
  unloaded(): void {
    this.listening = false;
    this.readyPromise = this.newReady();
  }

  close(): void {
    this.closed = true;
  }

  private newReady(): Promise<void> {
    return new Promise<void>((resolve) => (this.markReady = resolve));
  }
}
