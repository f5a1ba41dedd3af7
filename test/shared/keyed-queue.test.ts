import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../src/shared/keyed-queue.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KeyedQueue', () => {
  it('GIVEN slow and fast tasks for two tenants THEN each tenant keeps its order and tenants do not wait for each other', async () => {
    const seen: string[] = [];
    const queue = new KeyedQueue();
    void queue.run('slow', async () => {
      await sleep(40);
      seen.push('slow-1');
    });
    void queue.run('slow', async () => {
      seen.push('slow-2');
    });
    void queue.run('fast', async () => {
      seen.push('fast-1');
    });
    void queue.run('fast', async () => {
      await sleep(5);
      seen.push('fast-2');
    });
    await queue.drain();
    expect(seen).toEqual(['fast-1', 'fast-2', 'slow-1', 'slow-2']);
    expect(queue.activeKeys).toBe(0);
  });

  it('GIVEN a task that throws THEN its caller gets the error and later tasks of that tenant still run', async () => {
    const seen: number[] = [];
    const queue = new KeyedQueue();
    const first = queue.run('acme', () => {
      seen.push(1);
      return 'one';
    });
    const failing = queue.run('acme', () => {
      throw new Error('boom');
    });
    const third = queue.run('acme', () => {
      seen.push(3);
    });
    await expect(first).resolves.toBe('one');
    await expect(failing).rejects.toThrow('boom');
    await third;
    await queue.drain();
    expect(seen).toEqual([1, 3]);
  });
});
