// The tenant locks several replicas share, against the real PostgreSQL server: two stores (two
// replicas' connections) on one database. A task for a tenant in one replica waits while the other
// replica runs one for the same tenant, and never overlaps it; other tenants are not held up; a
// wait past the limit is TENANT_BUSY; a replica whose connection ends (a SIGKILL) frees its
// tenants at once. On the SQLite file (one process) there is no lock to take.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TenantBusyError } from '../../src/shared/errors.ts';
import { KeyedQueue } from '../../src/shared/keyed-queue.ts';
import { silentLogger } from '../../src/shared/log.ts';
import { openPostgresStore, openSqliteStore, type TenantStore } from '../../src/onboarding/store/index.ts';
import { tenantKeyLock } from '../../src/onboarding/tenant-lock.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/postgres.ts';

let database: TestDatabase;
let stores: TenantStore[];

beforeEach(() => {
  database = createTestDatabase();
  stores = [openPostgresStore(database.url), openPostgresStore(database.url)];
});
afterEach(() => {
  for (const store of stores) store.close();
  database.drop();
});

const replica = (store: TenantStore, waitMs?: number) => new KeyedQueue(tenantKeyLock(store, silentLogger, waitMs));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('tenant locks across replicas', () => {
  it('GIVEN two replicas WHEN both run a task for one tenant THEN the second starts only after the first ended, and another tenant is not held up', async () => {
    const [a, b] = [replica(stores[0]!), replica(stores[1]!)];
    const events: string[] = [];
    const first = a.run('acme', async () => {
      events.push('a start');
      await sleep(300);
      events.push('a end');
    });
    await sleep(50);
    const second = b.run('acme', async () => void events.push('b start'));
    const other = b.run('globex', async () => void events.push('b other'));
    await Promise.all([first, second, other]);
    expect(events).toEqual(['a start', 'b other', 'a end', 'b start']);
  });

  it('GIVEN a tenant held by another replica past the wait limit WHEN a task asks for it THEN it fails with TENANT_BUSY without running', async () => {
    const [a, b] = [replica(stores[0]!), replica(stores[1]!, 200)];
    let release!: () => void;
    const held = a.run('acme', () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(50);
    let ran = false;
    await expect(b.run('acme', async () => void (ran = true))).rejects.toBeInstanceOf(TenantBusyError);
    expect(ran).toBe(false);
    release();
    await held;
    await b.run('acme', async () => void (ran = true));
    expect(ran).toBe(true);
  });

  it('GIVEN a replica holding a tenant WHEN its connection ends (the replica died) THEN another replica gets the tenant at once', async () => {
    const b = replica(stores[1]!);
    expect(stores[0]!.tenantLocks!.tryLock('acme')).toBe(true);
    expect(stores[1]!.tenantLocks!.tryLock('acme')).toBe(false);
    stores[0]!.close();
    stores[0] = openPostgresStore(database.url);
    const started = performance.now();
    await b.run('acme', async () => undefined);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('GIVEN the SQLite store WHEN asked for tenant locks THEN there are none: one process owns the file', () => {
    const sqlite = openSqliteStore(':memory:');
    expect(sqlite.tenantLocks).toBeNull();
    expect(tenantKeyLock(sqlite, silentLogger)).toBeUndefined();
    sqlite.close();
  });
});
