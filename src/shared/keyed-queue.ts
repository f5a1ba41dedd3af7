// Serialises work per key (a tenant) and runs different keys concurrently: one tenant's requests,
// webhook deliveries and Application events are handled in the order they arrived, while a slow
// tenant never holds up the others. `run` returns the task's own result, so an HTTP request can wait
// for its tenant's turn; a caller that does not wait attaches its own error handler.
// With a `lock`, each task also holds the key in that lock while it runs: the way several
// processes (replicas of the service) serialise one tenant's work between them.
export interface KeyLock {
  /** Resolves once this process holds `key`; rejects if it cannot get it in time. */
  acquire(key: string): Promise<void>;
  release(key: string): void;
}

export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();
  readonly #lock: KeyLock | undefined;

  constructor(lock?: KeyLock) {
    this.#lock = lock;
  }

  run<T>(key: string, task: () => Promise<T> | T): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const lock = this.#lock;
    const guarded = lock
      ? async () => {
          await lock.acquire(key);
          try {
            return await task();
          } finally {
            lock.release(key);
          }
        }
      : task;
    const result = previous.then(guarded, guarded);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    // Forget the key once its last task is done so the map does not grow with every tenant ever seen.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Resolves when everything queued so far (and anything queued meanwhile) has finished. */
  async drain(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all([...this.#tails.values()]);
  }

  /** Keys with a task queued or running. */
  get activeKeys(): number {
    return this.#tails.size;
  }
}
