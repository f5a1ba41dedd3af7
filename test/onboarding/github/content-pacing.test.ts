// The content queue on its own: requests start only while both sliding windows have room, in the
// order they asked, and a request counts from its start until a window after its answer.
import { describe, expect, it } from 'vitest';
import { ContentPacer } from '../../../src/onboarding/github/index.ts';
import { isContentCreating } from '../../../src/onboarding/github/content-pacing.ts';

describe('ContentPacer', () => {
  it('GIVEN 2 a minute and 4 an hour, scaled so a minute is 60 ms WHEN 5 requests come at once THEN they start 2, 2 a minute later, and the 5th an hour after the 1st', async () => {
    const pacer = new ContentPacer({ perMinute: 2, perHour: 4, windowScale: 0.001 });
    const t0 = performance.now();
    const order: number[] = [];
    const starts = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        pacer.run(async () => {
          order.push(i);
          return performance.now() - t0;
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(starts[0]).toBeLessThan(30);
    expect(starts[1]).toBeLessThan(30);
    expect(starts[2]).toBeGreaterThanOrEqual(60);
    expect(starts[3]).toBeGreaterThanOrEqual(60);
    expect(starts[3]).toBeLessThan(1000);
    expect(starts[4]).toBeGreaterThanOrEqual(3600);
    expect(starts[4]).toBeLessThan(4500);
  });

  it('GIVEN a request still in flight WHEN the window is full THEN the next one waits for its answer plus a window, not for its start', async () => {
    const pacer = new ContentPacer({ perMinute: 1, perHour: 100, windowScale: 0.001 });
    const t0 = performance.now();
    const slow = pacer.run(() => new Promise<number>((resolve) => setTimeout(() => resolve(performance.now()), 100)));
    const next = pacer.run(async () => performance.now());
    const [answered, started] = await Promise.all([slow, next]);
    expect(answered - t0).toBeGreaterThanOrEqual(99);
    expect(started - answered).toBeGreaterThanOrEqual(59);
    expect(pacer.waiting).toBe(0);
  });

  it('GIVEN a failing request WHEN it fails THEN it still counts and the queue goes on', async () => {
    const pacer = new ContentPacer({ perMinute: 1, perHour: 100, windowScale: 0.001 });
    await expect(pacer.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const t0 = performance.now();
    await pacer.run(async () => undefined);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(50);
  });

  it('GIVEN methods and paths WHEN classified THEN writes create content, reads and the App token request do not', () => {
    expect(isContentCreating('POST', '/repos/{owner}/{repo}/git/blobs')).toBe(true);
    expect(isContentCreating('PATCH', 'https://api.github.com/repos/o/r/git/refs/heads%2Fx')).toBe(true);
    expect(isContentCreating('GET', '/repos/{owner}/{repo}/pulls')).toBe(false);
    expect(isContentCreating('POST', 'https://api.github.com/app/installations/42/access_tokens')).toBe(false);
  });

  it('GIVEN a limit that is not a positive number WHEN the queue is made THEN it is refused, naming the setting', () => {
    expect(() => new ContentPacer({ perMinute: 0, perHour: 500, windowScale: 1 })).toThrow(
      'content pacing perMinute must be a positive number, got 0',
    );
  });
});
