/**
 * The one way the local stand-ins (Okta simulator, Sumo receiver, AWS endpoints, local DynamoDB, Lambda invoke
 * endpoint, test servers) go on the network: 127.0.0.1 with a port the system picks, so parallel test files
 * never collide and nothing is reachable from outside the machine.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /**
   * Stops listening and closes every connection, idle keep-alive ones included: SDK clients and `fetch` keep
   * sockets open, and without this `server.close()` waits for them to time out (a hung request is cut too).
   */
  readonly close: () => Promise<void>;
}

/** Listens on 127.0.0.1:0 and resolves once the port is bound (rejects if it cannot be). */
export async function listenOnLoopback(server: Server): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          // A second close (a test's afterEach after the test stopped it) is not a failure.
          if (error == null || (error as NodeJS.ErrnoException).code === 'ERR_SERVER_NOT_RUNNING') resolve();
          else reject(error);
        });
        server.closeAllConnections();
      }),
  };
}
