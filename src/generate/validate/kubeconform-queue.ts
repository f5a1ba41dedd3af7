// kubeconform over files as they arrive, so schema validation overlaps rendering instead of
// waiting for the last overlay. One process at a time: each run takes every file that arrived while
// the previous one ran, so there are few processes (each pays for loading its schemas) and the run
// left after rendering ends is short.
import { kubeconformFiles, type SchemaProblem } from './kubeconform.ts';

export class KubeconformQueue {
  #pending: string[] = [];
  #running: Promise<void> | undefined;
  #problems: SchemaProblem[] = [];
  #error: unknown;

  /** Queue files for validation; a run starts now if none is in flight. */
  add(files: string[]): void {
    if (files.length === 0) return;
    this.#pending.push(...files);
    // .finally always runs later than this assignment, so #running never outlives its run.
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
  }

  /** Validate whatever is still queued, then return every problem found (or the first error). */
  async finish(): Promise<SchemaProblem[]> {
    while (this.#running) await this.#running;
    if (this.#error !== undefined) throw this.#error;
    return this.#problems;
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0 && this.#error === undefined) {
      const files = this.#pending;
      this.#pending = [];
      try {
        this.#problems.push(...(await kubeconformFiles(files)));
      } catch (error) {
        this.#error = error;
      }
    }
  }
}
