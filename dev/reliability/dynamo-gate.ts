/**
 * A loopback HTTP proxy in front of the local DynamoDB that can stop cursor writes at the door. Point the
 * collector's `AWS_ENDPOINT_URL_DYNAMODB` at it; everything passes through unchanged until a test arms it. Then
 * the next commit (an UpdateItem that writes `savedAt`: only commits do) is either held (never forwarded: the
 * crash lands after Sumo accepted the page and before its cursor was written) or forwarded and its answer held
 * (the crash lands after the cursor was written, before the collector heard so).
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../loopback-server.js';

/**
 * `hold-before-write`: the commit never reaches DynamoDB (until the gate stops). `hold-after-write`: it is applied,
 * its answer never comes back. `reset-after-write`: it is applied, then the connection breaks instead of the
 * answer (the SDK sees a network error and retries the same conditional write).
 */
export type GateMode = 'hold-before-write' | 'hold-after-write' | 'reset-after-write';

export interface DynamoGate {
  /** e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** Arms the gate for commit number `commit` (1-based, counting every commit through the gate); resolves once it is held. */
  holdCommit(commit: number, mode: GateMode): Promise<void>;
  /** Disarms the gate (a commit it was waiting for never came). */
  disarm(): void;
  /**
   * `count` commits, from commit number `from` on (1-based; default: the next one), are answered 500
   * InternalServerError without reaching DynamoDB. The SDK retries each commit: its retries count too.
   */
  failCommits(count: number, from?: number): void;
  /** Commits seen so far (forwarded or held). */
  readonly commits: number;
  stop(): Promise<void>;
}

export async function startDynamoGate(target: string): Promise<DynamoGate> {
  const upstream = new URL(target);
  let armed: { at: number; mode: GateMode; held: () => void } | undefined;
  let commits = 0;
  let failing = 0;
  let failFrom = 0;
  const parked: ServerResponse[] = [];

  function forward(
    req: IncomingMessage,
    body: Buffer,
    answer: (status: number, headers: Record<string, string | string[] | undefined>, data: Buffer) => void,
    fail: () => void,
  ): void {
    const out = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => answer(res.statusCode ?? 500, res.headers, Buffer.concat(chunks)));
        res.on('error', fail);
      },
    );
    out.on('error', fail);
    out.end(body);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? '');
      const isCommit = target.endsWith('.UpdateItem') && body.includes('"savedAt"');
      if (isCommit) commits += 1;
      const gate = isCommit && armed?.at === commits ? armed : undefined;
      if (gate !== undefined) armed = undefined;
      if (isCommit && failing > 0 && commits >= failFrom) {
        failing -= 1;
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
            message: 'Internal server error',
          }),
        );
        return;
      }
      if (gate?.mode === 'hold-before-write') {
        parked.push(res);
        gate.held();
        return;
      }
      forward(
        req,
        body,
        (status, headers, data) => {
          if (gate?.mode === 'hold-after-write') {
            parked.push(res);
            gate.held();
            return;
          }
          if (gate?.mode === 'reset-after-write') {
            res.socket?.destroy();
            gate.held();
            return;
          }
          res.writeHead(status, headers);
          res.end(data);
        },
        () => res.destroy(),
      );
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    endpoint: listening.url,
    holdCommit: (at, mode) => new Promise<void>((resolve) => (armed = { at, mode, held: resolve })),
    disarm: () => {
      armed = undefined;
    },
    failCommits: (count, from = commits + 1) => {
      failing = count;
      failFrom = from;
    },
    get commits() {
      return commits;
    },
    stop: () => {
      for (const res of parked) res.destroy();
      return listening.close();
    },
  };
}
