// The store on both of its databases, a SQLite file in a temp dir and a fresh database on a real
// PostgreSQL server (testing/postgres.ts): migrations, survival across reopen, history,
// idempotency, delivery dedup, outbox order, jobs; then what only the SQLite file has (integrity
// check at start, WAL).
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresStore, openSqliteStore, type TenantStore } from '../../src/onboarding/store/index.ts';
import { backupStore, restoreStore } from '../../src/onboarding/store/backup.ts';
import { MIGRATIONS } from '../../src/onboarding/store/migrations.ts';
import { PostgresConnection } from '../../src/onboarding/store/postgres.ts';
import { sqliteConnection, type SqlConnection } from '../../src/onboarding/store/sql.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/postgres.ts';
import { storedTenant } from './support/tenant-record.ts';

let dir: string;
let path: string;
let store: TenantStore;

interface Backend {
  name: string;
  /** A new, empty store. */
  create(): TenantStore;
  /** The same store opened again (a restart). */
  reopen(): TenantStore;
  /** The migration ids the database records. */
  migrationIds(): number[];
  remove(): void;
}

interface PostgresBackend extends Backend {
  url(): string;
}

/** The migration ids a database records, read on its own connection (closed after). */
function migrationIds(db: SqlConnection): number[] {
  try {
    return (db.prepare('SELECT id FROM migrations ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  } finally {
    db.close();
  }
}

function sqliteBackend(): Backend {
  return {
    name: 'SQLite',
    create: () => {
      dir = mkdtempSync(join(tmpdir(), 'service-store-'));
      path = join(dir, 'nested', 'service.sqlite');
      return openSqliteStore(path);
    },
    reopen: () => openSqliteStore(path),
    migrationIds: () => migrationIds(sqliteConnection(new Database(path, { readonly: true }))),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresBackend(): PostgresBackend {
  let database: TestDatabase;
  return {
    name: 'PostgreSQL',
    url: () => database.url,
    create: () => {
      database = createTestDatabase();
      return openPostgresStore(database.url);
    },
    reopen: () => openPostgresStore(database.url),
    migrationIds: () => migrationIds(new PostgresConnection(database.url)),
    remove: () => database.drop(),
  };
}

function useStore(backend: Backend): void {
  beforeEach(() => {
    store = backend.create();
  });
  afterEach(() => {
    store.close();
    backend.remove();
  });
}

describe.each([sqliteBackend(), postgresBackend()])('$name tenant store', (backend) => {
  useStore(backend);

  it('GIVEN a new store WHEN opened THEN every migration is recorded once, also after reopening', () => {
    store.close();
    store = backend.reopen();
    expect(backend.migrationIds()).toEqual(MIGRATIONS.map((m) => m.id));
  });

  it('GIVEN a tenant and its history WHEN the store is reopened THEN both are still there', () => {
    store.transaction(() => {
      store.tenants.insert(storedTenant('acme'));
      store.history.append('acme', {
        from: null,
        to: 'requested',
        reason: 'asked',
        actor: 'backend',
        at: '2026-01-01T00:00:00.000Z',
      });
      store.tenants.update('acme', { state: 'pr_open', pullRequest: { number: 7, url: 'http://x/7' } });
    });
    store.close();
    store = backend.reopen();
    expect(store.tenants.get('acme')).toMatchObject({
      state: 'pr_open',
      pullRequest: { number: 7, url: 'http://x/7' },
    });
    expect(store.history.list('acme')).toEqual([
      { from: null, to: 'requested', reason: 'asked', actor: 'backend', at: '2026-01-01T00:00:00.000Z' },
    ]);
    expect(store.tenants.listPage({ state: 'pr_open', limit: 10 }).map((t) => t.name)).toEqual(['acme']);
    expect(store.tenants.listPage({ state: 'merged', limit: 10 })).toEqual([]);
  });

  it('GIVEN tenants inserted out of order WHEN listed page by page THEN pages follow name order, filter by state, and carry no document', () => {
    store.transaction(() => {
      for (const name of ['delta', 'alpha', 'echo', 'charlie', 'bravo'])
        store.tenants.insert(storedTenant(name, name === 'charlie' ? 'merged' : 'pr_open'));
    });
    const first = store.tenants.listPage({ limit: 2 });
    expect(first.map((t) => t.name)).toEqual(['alpha', 'bravo']);
    expect(first[0]).not.toHaveProperty('document');
    expect(first[0]).toMatchObject({ state: 'pr_open', namespaces: ['tenant-alpha'], requestedBy: 'backend' });
    expect(store.tenants.listPage({ after: 'bravo', limit: 2 }).map((t) => t.name)).toEqual(['charlie', 'delta']);
    expect(store.tenants.listPage({ after: 'delta', limit: 2 }).map((t) => t.name)).toEqual(['echo']);
    expect(store.tenants.listPage({ state: 'pr_open', after: 'bravo', limit: 10 }).map((t) => t.name)).toEqual([
      'delta',
      'echo',
    ]);
  });

  it('GIVEN a transaction that throws WHEN it ends THEN nothing of it was written', () => {
    expect(() =>
      store.transaction(() => {
        store.tenants.insert(storedTenant('ghost'));
        store.outbox.append('ghost', 'tenant.pr_opened', {}, 'now');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.tenants.get('ghost')).toBeNull();
    expect(store.outbox.pendingCount()).toBe(0);
  });

  it('GIVEN a delivery id WHEN it is inserted twice THEN the second insert reports a duplicate', () => {
    expect(store.deliveries.insert('d-1', 'pull_request', { a: 1 }, 'now')).toBe(true);
    expect(store.deliveries.insert('d-1', 'pull_request', { a: 2 }, 'now')).toBe(false);
    expect(store.deliveries.unprocessed()).toEqual([{ id: 'd-1', event: 'pull_request', payload: { a: 1 } }]);
    store.deliveries.markProcessed('d-1', 'later');
    expect(store.deliveries.unprocessed()).toEqual([]);
  });

  it('GIVEN an idempotency key WHEN reserved then completed THEN the stored response is returned, per caller', () => {
    store.idempotency.reserve('backend', 'k1', 'acme', 'hash', 'now');
    expect(store.idempotency.get('backend', 'k1')).toMatchObject({
      tenant: 'acme',
      requestHash: 'hash',
      response: null,
    });
    store.idempotency.complete('backend', 'k1', 202, { name: 'acme' });
    expect(store.idempotency.get('backend', 'k1')?.response).toEqual({ status: 202, body: { name: 'acme' } });
    expect(store.idempotency.get('other-caller', 'k1')).toBeNull();
  });

  it('GIVEN events of two tenants WHEN the head of one fails THEN its later events wait and the other tenant goes on', () => {
    store.outbox.append('a', 'tenant.pr_opened', { n: 1 }, 'now');
    store.outbox.append('a', 'tenant.provisioned', { n: 2 }, 'now');
    store.outbox.append('b', 'tenant.pr_opened', { n: 3 }, 'now');
    const heads = store.outbox.dueHeads(Date.now(), 10);
    expect(heads.map((e) => [e.tenant, e.type])).toEqual([
      ['a', 'tenant.pr_opened'],
      ['b', 'tenant.pr_opened'],
    ]);
    const [headOfA, headOfB] = heads;
    store.outbox.markFailed(headOfA!.seq, Date.now() + 60_000, 'down');
    store.outbox.markDelivered(headOfB!.seq, 'now');
    expect(store.outbox.dueHeads(Date.now(), 10)).toEqual([]);
    expect(store.outbox.dueHeads(Date.now() + 61_000, 10).map((e) => [e.tenant, e.type, e.attempts])).toEqual([
      ['a', 'tenant.pr_opened', 1],
    ]);
    expect(store.outbox.pendingCount()).toBe(2);
  });

  it('GIVEN pending jobs WHEN one is superseded THEN only the newer one is pending', () => {
    store.jobs.enqueue('acme', 'open_pull_request', { action: 'create' }, 'now');
    store.jobs.supersede('acme', 'open_pull_request', 'now');
    store.jobs.enqueue('acme', 'open_pull_request', { action: 'update' }, 'now');
    expect(store.jobs.pendingFor('acme').map((j) => j.payload)).toEqual([{ action: 'update' }]);
    expect(store.jobs.tenantsWithPending()).toEqual(['acme']);
  });
});

describe('SQLite tenant store file', () => {
  useStore(sqliteBackend());

  it('GIVEN a damaged file WHEN opened THEN it refuses to start, naming the file and the fix, and leaves the file as it was', () => {
    for (let i = 0; i < 500; i++) store.tenants.insert(storedTenant(`t${String(i).padStart(4, '0')}`));
    store.close();
    const raw = new Database(path);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    // Garbage over a page in the middle of the file (a torn write, a bad disk block).
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(20 * 4096);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 10 * 4096);
    closeSync(fd);
    const damaged = statSync(path).mtimeMs;
    expect(() => (store = openSqliteStore(path))).toThrow(
      /the store .*service\.sqlite is damaged .*restore the last backup/,
    );
    expect(statSync(path).mtimeMs).toBe(damaged);
    // Not a database at all.
    writeFileSync(path, 'x'.repeat(8192));
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
    expect(() => (store = openSqliteStore(path))).toThrow(/is damaged/);
    store = openSqliteStore(join(dir, 'fresh.sqlite'));
  });

  it('GIVEN a new file WHEN opened THEN it is in WAL mode', () => {
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });
});

/** The server ends every other connection to the store's database, as a restart or a network cut does. */
function endStoreConnections(url: string): void {
  const admin = new PostgresConnection(url);
  admin.exec(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  admin.close();
}

describe('PostgreSQL tenant store connection', () => {
  const backend = postgresBackend();
  useStore(backend);

  it('GIVEN the server ends the store connection WHEN the next statements run THEN the first fails as a store error and the store reconnects for the rest', () => {
    store.tenants.insert(storedTenant('before'));
    endStoreConnections(backend.url());
    expect(() => store.tenants.get('before')).toThrow(/PostgreSQL store/);
    expect(store.tenants.get('before')?.name).toBe('before');
    store.tenants.insert(storedTenant('after'));
    expect(store.tenants.listPage({ limit: 10 }).map((t) => t.name)).toEqual(['after', 'before']);
  });

  it('GIVEN a transaction whose connection is ended in the middle WHEN it fails THEN nothing of it is kept and the store works after', () => {
    expect(() =>
      store.transaction(() => {
        store.tenants.insert(storedTenant('ghost'));
        endStoreConnections(backend.url());
        store.outbox.append('ghost', 'tenant.pr_opened', {}, 'now');
      }),
    ).toThrow(/PostgreSQL store/);
    expect(store.tenants.get('ghost')).toBeNull();
    expect(store.outbox.pendingCount()).toBe(0);
  });

  it('GIVEN a PostgreSQL store WHEN tenantctl store backup or restore is pointed at it THEN both refuse, naming the database tools, and write nothing', async () => {
    const target = join(tmpdir(), `never-${Date.now()}.sqlite`);
    await expect(backupStore(backend.url(), target)).rejects.toThrow(/is a PostgreSQL store.*pg_dump/s);
    expect(() => restoreStore(target, backend.url())).toThrow(/is a PostgreSQL store.*pg_dump/s);
    expect(existsSync(target)).toBe(false);
  });

  it('GIVEN a server that does not answer WHEN the store opens THEN the error names the URL without its password and the fix', () => {
    expect(() => openPostgresStore('postgresql://svc:s3cret@127.0.0.1:1/tenants')).toThrow(
      /cannot connect to the PostgreSQL store postgresql:\/\/svc:\*\*\*@127\.0\.0\.1:1\/tenants.*fix: check TENANT_GITOPS_DB/s,
    );
  });
});
