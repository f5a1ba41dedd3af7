// Serialises work per key (a tenant) and runs different keys concurrently: one tenant's requests,
// webhook deliveries and Application events are handled in the order they arrived, while a slow
// tenant never holds up the others. `run` returns the task's own result, so an HTTP request can wait
// for its tenant's turn; a caller that does not wait attaches its own error handler.
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T> | T): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
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
