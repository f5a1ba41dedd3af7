// A real HTTP proxy in front of the local GitHub server: it records every request the service
// makes and can answer chosen requests with a fault (502, secondary rate limit) instead of
// forwarding them, the way GitHub itself fails.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface Fault {
  method: string;
  path: RegExp;
  /** How many matching requests fail before the fault is used up. */
  times: number;
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  /** Runs when a request matches, before the fault is answered (e.g. to kill the caller mid-request). */
  onMatch?: () => void;
}

export interface RecordedRequest {
  method: string;
  path: string;
  faulted: boolean;
  /** What the proxy answered (the fault's status, or GitHub's). */
  status: number;
}

export interface FaultProxy {
  url: string;
  requests: RecordedRequest[];
  inject(fault: Fault): void;
  stop(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'content-encoding',
]);

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const fault = faults.find((f) => f.times > 0 && f.method === method && f.path.test(path.split('?')[0] ?? ''));
      const recorded: RecordedRequest = { method, path, faulted: Boolean(fault), status: 0 };
      requests.push(recorded);
      if (fault) {
        recorded.status = fault.status;
        fault.times -= 1;
        fault.onMatch?.();
        const text = JSON.stringify(fault.body);
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
        res.end(text);
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (!HOP_BY_HOP.has(name) && typeof value === 'string') headers[name] = value;
      }
      try {
        const upstream = await fetch(`${target}${path}`, {
          method,
          headers,
          body: body.length > 0 ? new Uint8Array(body) : undefined,
        });
        const payload = Buffer.from(await upstream.arrayBuffer());
        const out: Record<string, string> = {};
        upstream.headers.forEach((value, name) => {
          if (!HOP_BY_HOP.has(name)) out[name] = value;
        });
        recorded.status = upstream.status;
        res.writeHead(upstream.status, out);
        res.end(payload);
      } catch (error) {
        res.writeHead(599, { 'content-type': 'text/plain' });
        res.end(String(error));
      }
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    inject: (fault) => faults.push({ ...fault }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
