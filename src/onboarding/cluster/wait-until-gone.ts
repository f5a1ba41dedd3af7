// Polls until an object no longer exists. Deletion in Kubernetes is asynchronous (finalizers,
// foreground cascade, the namespace controller emptying a namespace), so "deleted" means "a GET
// answers 404", not "the DELETE call returned".
import { TenantGitopsError } from '../../shared/errors.ts';
import { isNotFound } from './api-errors.ts';

export class ClusterTimeoutError extends TenantGitopsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CLUSTER_TIMEOUT', message, options);
  }
}

export interface WaitUntilGoneOptions {
  /** Absolute deadline (Date.now() scale) shared by every wait of one operation. */
  deadline: number;
  pollMs?: number;
  /** Explains why the object is still there, for the timeout error (finalizers, conditions). */
  explain: (object: unknown) => string;
  what: string;
}

/** Resolves once `read` throws a 404; throws ClusterTimeoutError at the deadline. */
export async function waitUntilGone(read: () => Promise<unknown>, options: WaitUntilGoneOptions): Promise<void> {
  const pollMs = options.pollMs ?? 250;
  for (;;) {
    let object: unknown;
    try {
      object = await read();
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    if (Date.now() >= options.deadline) {
      throw new ClusterTimeoutError(`${options.what} still exists after the timeout: ${options.explain(object)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, options.deadline - Date.now()))));
  }
}
