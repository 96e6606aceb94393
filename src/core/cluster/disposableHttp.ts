import {
  IsomorphicFetchHttpLibrary,
  Observable,
  type HttpLibrary,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/**
 * client-node's own HTTP library, made disposable. client-node builds a new connection pool (undici
 * Agent) for every request and never closes it, so each finished request leaves an idle keep-alive
 * socket behind, and a request in flight cannot be cancelled. This closes each request's pool once its
 * body is read, and `dispose()` aborts whatever is still in flight: a disposed watcher leaves no sockets.
 */
export class DisposableHttpLibrary implements HttpLibrary {
  private readonly inner = new IsomorphicFetchHttpLibrary();
  private readonly aborter = new AbortController();
  private readonly open = new Set<Dispatcher>();

  send(request: RequestContext): Observable<ResponseContext> {
    const own = request.getSignal();
    request.setSignal(own ? AbortSignal.any([own, this.aborter.signal]) : this.aborter.signal);
    const dispatcher = request.getDispatcher();
    if (dispatcher) this.open.add(dispatcher);
    const release = () => {
      if (!dispatcher || !this.open.delete(dispatcher)) return;
      dispatcher.close().catch(() => undefined);
    };
    const response = this.inner
      .send(request)
      .toPromise()
      .then(
        (context) => {
          const { body } = context;
          const text = body.text.bind(body);
          const binary = body.binary.bind(body);
          body.text = () => text().finally(release);
          body.binary = () => binary().finally(release);
          return context;
        },
        (error: unknown) => {
          release();
          throw error;
        },
      );
    return new Observable(response);
  }

  dispose(): void {
    this.aborter.abort();
    for (const dispatcher of this.open) dispatcher.destroy().catch(() => undefined);
    this.open.clear();
  }
}
