/**
 * Mocha hook: a fresh test server per test, always closed afterwards (sockets, watches, exec
 * processes, temp dirs), so mocha exits cleanly. Call inside a `describe`.
 */
import { startTestServer, type TestServer, type TestServerOptions } from './server';

export function useTestServer(options: TestServerOptions = {}): () => TestServer {
  let server: TestServer | undefined;
  beforeEach(async () => {
    server = await startTestServer(options);
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return () => {
    if (!server) throw new Error('useTestServer: no server outside a test');
    return server;
  };
}
