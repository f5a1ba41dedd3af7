// Runs tasks one at a time per key (here: per tenant) and concurrently across keys, so one
// tenant's Application events reach the service in the order they were observed while a slow
// tenant never holds up the others.

export class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #onError: (key: string, error: unknown) => void;

  constructor(onError: (key: string, error: unknown) => void) {
    this.#onError = onError;
  }

  push(key: string, task: () => void | Promise<void>): void {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const tail = previous.then(async () => {
      try {
        await task();
      } catch (error) {
        this.#onError(key, error);
      }
    });
    this.#tails.set(key, tail);
    // Forget the key once its last task is done so the map does not grow with every tenant ever seen.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
  }

  /** Resolves when every task queued so far (and any queued meanwhile) has finished. */
  async drain(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all([...this.#tails.values()]);
  }

  get pendingKeys(): number {
    return this.#tails.size;
  }
}
