// One tenant's work (a request, a job, a webhook delivery, an Application event) runs in one
// replica at a time: the tenant queue (shared/keyed-queue.ts) orders it within a process, and with
// several replicas on one PostgreSQL store each task also holds the tenant's lock in the store
// (store/postgres.ts). A task waits for a lock another replica holds, checking again with a short
// backoff, and gives up after LOCK_WAIT_MS: a request then answers 503 TENANT_BUSY with Retry-After,
// and background work is tried again by its own loop.
import { TenantBusyError } from '../shared/errors.ts';
import type { KeyLock } from '../shared/keyed-queue.ts';
import type { Logger } from '../shared/log.ts';
import type { TenantStore } from './store/index.ts';

export const LOCK_WAIT_MS = 20_000;
const FIRST_RETRY_MS = 10;
const MAX_RETRY_MS = 250;

export function tenantKeyLock(store: TenantStore, log: Logger, waitMs = LOCK_WAIT_MS): KeyLock | undefined {
  const locks = store.tenantLocks;
  if (!locks) return undefined;
  return {
    async acquire(key) {
      const deadline = Date.now() + waitMs;
      let delay = FIRST_RETRY_MS;
      while (!locks.tryLock(key)) {
        if (Date.now() >= deadline)
          throw new TenantBusyError(
            `another replica of the service has been working on tenant ${key} for over ${Math.round(waitMs / 1000)} s; try again shortly`,
          );
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    },
    release(key) {
      try {
        locks.unlock(key);
      } catch (error) {
        // A lost connection has released every lock it held already.
        log.warn({ tenant: key, error }, 'could not release the tenant lock; the store connection ends it');
      }
    },
  };
}
