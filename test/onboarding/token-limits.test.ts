// GIVEN one API token over its limits (requests in flight, requests a second) WHEN it sends more
// THEN each extra request is refused at once with 429 and Retry-After, before its body is read,
// while GitHub's webhooks and other tokens are still answered; once it slows down it is served.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { TokenLimiter } from '../../src/onboarding/http/rate-limit.ts';
import { until, useHarness } from './support/harness.ts';

const CONCURRENCY = 2;
const harness = useHarness();

/** A POST whose headers arrive at once and whose body never finishes: it holds its slot until closed. */
async function holdSlot(token: string): Promise<() => void> {
  const socket = connect(harness().servicePort, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.on('error', () => {});
  socket.write(
    'POST /v1/tenants HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
      `Authorization: Bearer ${token}\r\nContent-Length: 200000\r\n\r\n{"a":`,
  );
  return () => socket.destroy();
}

describe('per-token limits', () => {
  it('GIVEN a limiter on a clock WHEN a token bursts, waits and exceeds its in-flight cap THEN it admits exactly what the limits allow', () => {
    let now = 0;
    const limiter = new TokenLimiter({ concurrency: 2, ratePerSecond: 2, burst: 3 }, () => now);
    const a = limiter.acquire('a');
    const b = limiter.acquire('a');
    expect(() => limiter.acquire('a')).toThrow(/2 requests in flight/);
    limiter.acquire('b')(); // another token is not affected
    a();
    a(); // releasing twice frees one slot only
    const c = limiter.acquire('a'); // third of the burst of 3
    b();
    c();
    let refused: any;
    try {
      limiter.acquire('a');
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 1 });
    now = 500; // half a second at 2/s: one more
    limiter.acquire('a')();
    expect(() => limiter.acquire('a')).toThrow(/over its rate of 2 requests a second/);
  });

  it('GIVEN a token with its slots held WHEN it sends more THEN 429 with Retry-After, while a webhook and another token are answered', async () => {
    const token = harness().apiToken;
    await harness().stopService();
    await harness().startService({
      apiTokens: [
        { name: 'backend', token },
        { name: 'other', token: 'other-token-0123456789' },
      ],
      tokenLimits: { concurrency: CONCURRENCY, ratePerSecond: 1000, burst: 1000 },
    });
    const held = await Promise.all(Array.from({ length: CONCURRENCY }, () => holdSlot(token)));
    try {
      // Until the service has taken both held requests in: then the token's slots are full.
      await until(
        async () => ((await harness().api('GET', '/v1/tenants')).status === 429 ? true : undefined),
        'the held requests to fill the slots',
      );
      const started = Date.now();
      const refused = await fetch(`http://127.0.0.1:${harness().servicePort}/v1/tenants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ pad: 'x'.repeat(200_000) }),
      });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
      expect(Date.now() - started).toBeLessThan(5000);

      const other = await harness().api('GET', '/v1/tenants', undefined, {
        authorization: 'Bearer other-token-0123456789',
      });
      expect(other.status).toBe(200);
      const webhook = await fetch(`http://127.0.0.1:${harness().servicePort}/github/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      // Not limited: it reaches the signature check.
      expect(webhook.status).toBe(401);
      expect(await webhook.json()).toMatchObject({ code: 'INVALID_SIGNATURE' });
    } finally {
      for (const close of held) close();
    }
    // Once the held requests are gone, the token is served again.
    await until(async () => ((await harness().api('GET', '/v1/tenants')).status === 200 ? true : undefined), '200');
  });

  it('GIVEN a token over its rate WHEN it keeps asking THEN the extra requests are 429 and it is served again after Retry-After', async () => {
    await harness().stopService();
    await harness().startService({
      apiTokens: [{ name: 'backend', token: harness().apiToken }],
      tokenLimits: { concurrency: 100, ratePerSecond: 1, burst: 4 },
    });
    // The burst of 4 goes at once; the next ones come sooner than the one-a-second refill.
    const answers: Response[] = [];
    for (let i = 0; i < 6; i++)
      answers.push(
        await fetch(`http://127.0.0.1:${harness().servicePort}/v1/tenants`, {
          headers: { authorization: `Bearer ${harness().apiToken}` },
        }),
      );
    expect(answers.slice(0, 4).map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const refused = answers.slice(4).find((a) => a.status === 429);
    expect(refused).toBeDefined();
    const retryAfter = Number(refused!.headers.get('retry-after'));
    expect(retryAfter).toBe(1);
    await new Promise((r) => setTimeout(r, retryAfter * 1000));
    expect((await harness().api('GET', '/v1/tenants')).status).toBe(200);
  });
});
