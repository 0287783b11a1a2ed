/**
 * A local HTTP service that nodes call, as an external system that honours fencing tokens would:
 * per node it remembers the highest `Trellis-Fencing-Token` it accepted and refuses (409) a call
 * carrying a lower one. Every call is recorded with when it arrived and what it answered.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One call the service received. */
export interface ServiceCall {
  id: number;
  executionId: string;
  nodeId: string;
  attempt: number;
  token: number;
  receivedAt: number;
  /** Set when it answered. */
  answeredAt?: number;
  /** 200 (work done) or 409 (stale token refused). */
  status?: number;
}

/** The owner epoch a fencing token carries (see `fencingToken`). */
export function epochOf(token: number): number {
  return Math.floor(token / 2 ** 32);
}

/** The running service. */
export interface FencedService {
  url: string;
  calls: ServiceCall[];
  close(): Promise<void>;
}

/** Starts the service on `host`; each call takes `workMs()` before it answers. */
export async function startFencedService(
  workMs: () => number,
  host = '127.0.0.1',
): Promise<FencedService> {
  const calls: ServiceCall[] = [];
  const highest = new Map<string, number>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const call: ServiceCall = {
      id: calls.length + 1,
      executionId: String(req.headers['trellis-execution-id']),
      nodeId: String(req.headers['trellis-node-id']),
      attempt: Number(req.headers['trellis-attempt']),
      token: Number(req.headers['trellis-fencing-token']),
      receivedAt: Date.now(),
    };
    calls.push(call);
    const key = `${call.executionId}/${call.nodeId}`;
    const answer = (status: number) => {
      call.answeredAt = Date.now();
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ callId: call.id }));
    };
    if (call.token < (highest.get(key) ?? 0)) return answer(409);
    highest.set(key, call.token);
    setTimeout(() => answer(200), workMs());
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
