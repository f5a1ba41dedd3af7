// GIVEN clients that drip their headers or body, or open more connections than allowed WHEN they
// hold on THEN the service cuts them off at its limits (408 / refused connection) and a normal
// request still gets its answer. Limits are lowered here so the test takes seconds, not minutes;
// the defaults (10 s headers, 30 s request, 1,024 connections) are the ones checked last.
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_LIMITS } from '../../src/onboarding/http/server.ts';
import { useHarness } from './support/harness.ts';

const HEADERS_MS = 600;
const REQUEST_MS = 1500;
const MAX_CONNECTIONS = 4;
const harness = useHarness({
  service: {
    connections: { headersTimeoutMs: HEADERS_MS, requestTimeoutMs: REQUEST_MS, maxConnections: MAX_CONNECTIONS },
  },
});

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(harness().servicePort, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Writes `chunks` one every `everyMs` until the server closes; what it answered, and when. */
async function drip(chunks: string[], everyMs: number): Promise<{ answer: string; ms: number }> {
  const socket = await open();
  const started = Date.now();
  let answer = '';
  socket.on('data', (d: Buffer) => (answer += d.toString()));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {});
  const timer = setInterval(() => {
    const next = chunks.shift();
    if (next !== undefined && !socket.destroyed) socket.write(next);
  }, everyMs);
  await closed;
  clearInterval(timer);
  return { answer, ms: Date.now() - started };
}

describe('slow and many clients', () => {
  it('GIVEN headers that drip a byte at a time WHEN the header limit passes THEN 408 and the connection is closed', async () => {
    const headers = 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(200);
    const { answer, ms } = await drip([...headers], 50);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    // Cut off near the limit (Node checks it on a clock of half the limit), long before the drip ends.
    expect(ms).toBeLessThan(HEADERS_MS * 3);
  });

  it('GIVEN a body that drips WHEN the request limit passes THEN 408 and the connection is closed', async () => {
    const head = `POST /github/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n`;
    const { answer, ms } = await drip([head, ...'{"a":1'.repeat(100)], 50);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(REQUEST_MS * 3);
  });

  it('GIVEN the connection cap held by idle clients WHEN one more connects THEN it is refused, and once they go a request is answered', async () => {
    const held = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, () => open()));
    const extra = await open();
    const refused = await new Promise<boolean>((resolve) => {
      extra.once('close', () => resolve(true));
      extra.on('error', () => {});
      setTimeout(() => resolve(false), 2000);
    });
    expect(refused).toBe(true);
    for (const socket of held) socket.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect((await harness().api('GET', '/healthz')).status).toBe(200);
  });

  it('uses production limits unless told otherwise', () => {
    expect(DEFAULT_CONNECTION_LIMITS).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      maxConnections: 1024,
    });
  });
});
