/** A loopback HTTP server that records every request it gets: a stand-in for a foreign origin. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { listenOnLoopback } from '../loopback-server.js';

export interface TrapServer {
  /** e.g. `http://127.0.0.1:41234`. */
  readonly origin: string;
  readonly requests: readonly { url: string; headers: IncomingHttpHeaders }[];
  stop(): Promise<void>;
}

export async function startTrapServer(): Promise<TrapServer> {
  const requests: { url: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '/', headers: req.headers });
    req.resume();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('[]');
  });
  const listening = await listenOnLoopback(server);
  return { origin: listening.url, requests, stop: listening.close };
}
