// Everything the sandbox starts registers how to stop it here; stop() runs those in reverse order
// (service before GitHub server before ArgoCD before the control plane), keeps going past a
// failing step, and runs only once however many signals arrive.

export class Teardown {
  readonly #steps: { name: string; stop: () => Promise<void> }[] = [];
  #stopping: Promise<string[]> | undefined;

  add(name: string, stop: () => Promise<void>): void {
    this.#steps.push({ name, stop });
  }

  /** Resolves with the failures (empty when everything stopped cleanly). */
  run(onStep: (name: string) => void = () => {}): Promise<string[]> {
    this.#stopping ??= (async () => {
      const failures: string[] = [];
      for (const step of this.#steps.splice(0).reverse()) {
        onStep(step.name);
        try {
          await step.stop();
        } catch (error) {
          failures.push(`${step.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return failures;
    })();
    return this.#stopping;
  }
}
