// The product backend's side of the callbacks, for tests: a real HTTP server that verifies the
// signature of each event and records it; it can be taken down (connection refused) and brought
// back on the same port.
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { verifyCallbackSignature } from '../../../src/onboarding/callback-signature.ts';

export interface ReceivedEvent {
  id: string;
  type: string;
  tenant: string;
  data: Record<string, unknown>;
  signatureValid: boolean;
  headerEventId: string | undefined;
}

export interface CallbackReceiver {
  url: string;
  events: ReceivedEvent[];
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function startCallbackReceiver(
  secret: string,
  options: { startDown?: boolean } = {},
): Promise<CallbackReceiver> {
  const events: ReceivedEvent[] = [];
  let server: Server | undefined;
  let port = 0;
  const listen = async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const parsed = JSON.parse(body) as { id: string; type: string; tenant: string; data: Record<string, unknown> };
        events.push({
          ...parsed,
          signatureValid: verifyCallbackSignature(
            secret,
            body,
            req.headers['x-tenant-gitops-signature'] as string | undefined,
          ),
          headerEventId: req.headers['x-tenant-gitops-event-id'] as string | undefined,
        });
        res.writeHead(204).end();
      });
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  };
  const close = async () => {
    const current = server;
    server = undefined;
    if (!current) return;
    current.closeAllConnections();
    await new Promise<void>((resolve) => current.close(() => resolve()));
  };
  await listen();
  if (options.startDown) await close();
  return {
    url: `http://127.0.0.1:${port}/tenant-events`,
    events,
    down: close,
    up: listen,
    stop: close,
  };
}
