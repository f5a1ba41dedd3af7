// The service's store: one interface over the tables, on an embedded SQLite file (better-sqlite3,
// WAL; the default, one replica) or a PostgreSQL server (postgres.ts; several replicas). Calls are
// synchronous; `transaction` groups a state change with its history entry, outbox event and job so
// they are written together or not at all.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AuditTable, OffboardApprovalsTable } from './audit.ts';
import { DeletionRecordsTable } from './deletion-records.ts';
import { DeliveriesTable } from './deliveries.ts';
import { HistoryTable } from './history.ts';
import { IdempotencyTable } from './idempotency.ts';
import { JobsTable } from './jobs.ts';
import { migrate } from './migrations.ts';
import { OutboxTable } from './outbox.ts';
import { TenantsTable } from './tenants.ts';
import { PostgresConnection, postgresTenantLocks, type TenantLocks } from './postgres.ts';
import { sqliteConnection, type SqlConnection } from './sql.ts';

export interface TenantStore {
  readonly tenants: TenantsTable;
  readonly history: HistoryTable;
  readonly idempotency: IdempotencyTable;
  readonly deliveries: DeliveriesTable;
  readonly outbox: OutboxTable;
  readonly jobs: JobsTable;
  readonly audit: AuditTable;
  readonly offboardApprovals: OffboardApprovalsTable;
  readonly deletionRecords: DeletionRecordsTable;
  transaction<T>(work: () => T): T;
  /**
   * Locks that serialise one tenant's work across processes sharing the store (replicas on one
   * PostgreSQL server); null for the SQLite file, which one process owns.
   */
  readonly tenantLocks: TenantLocks | null;
  /**
   * Runs `effect` once the current transaction commits (at once outside one); dropped if it rolls
   * back. Log lines and wake-ups go here, so nothing is reported done that the store did not keep.
   */
  afterCommit(effect: () => void): void;
  close(): void;
}

/** The SQLite file; `npm start` sets up only the main job, which does not compile better-sqlite3. */
export function openDatabase(path: string, options?: Database.Options): Database.Database {
  try {
    return new Database(path, options);
  } catch (error) {
    if (!/bindings file|NODE_MODULE_VERSION|ERR_DLOPEN_FAILED/.test(String((error as Error).message ?? error)))
      throw error;
    throw new Error(
      'tenant-gitops: better-sqlite3 (the store) is not compiled on this machine (fix: run npm run setup, which builds it)',
      { cause: error },
    );
  }
}

/** The file is damaged: the service refuses to start on it rather than answer 500 to every read. */
export class CorruptStoreError extends Error {
  constructor(path: string, detail: string, cause?: unknown) {
    super(
      `tenant-gitops: the store ${path} is damaged (${detail}); the service will not run on it ` +
        '(fix: stop the service, move the file aside and restore the last backup of it: ' +
        'tenantctl store restore --db <this file> --from <backup>)',
      { cause },
    );
    this.name = 'CorruptStoreError';
  }
}

const CORRUPT_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

/** SQLite's quick_check (every page, index and constraint, no cross-check of index contents). */
export function checkIntegrity(db: Database.Database, path: string): void {
  const rows = db.pragma('quick_check(20)') as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((m) => m !== 'ok');
  if (problems.length > 0) throw new CorruptStoreError(path, problems.join('; '));
}

export function openSqliteStore(path: string): TenantStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = openDatabase(path);
  const sqlite = sqliteConnection(db);
  try {
    db.pragma('journal_mode = WAL');
    checkIntegrity(db, path);
  } catch (error) {
    db.close();
    if (error instanceof CorruptStoreError) throw error;
    const code = (error as { code?: string }).code;
    if (code !== undefined && CORRUPT_CODES.has(code))
      throw new CorruptStoreError(path, (error as Error).message, error);
    throw error;
  }
  // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commit).
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // better-sqlite3 raises SQLite's page cache to 16 MB per connection; every query the service runs
  // is an index lookup or one page of a listing, and the OS caches the file anyway, so 4 MiB keeps
  // the hot index pages without holding a copy of a whole large store in the process.
  db.pragma('cache_size = -4096');
  migrate(sqlite, () => new Date().toISOString());
  return storeOver(sqlite, null);
}

/**
 * The store on a PostgreSQL server (`postgres://` or `postgresql://` URL), for more than one
 * replica. Replicas starting together migrate one at a time: the schema changes run in one
 * transaction under an advisory lock.
 */
export function openPostgresStore(url: string): TenantStore {
  const db = new PostgresConnection(url);
  try {
    db.transaction(() => {
      db.prepare('SELECT pg_advisory_xact_lock(?)').get(MIGRATION_LOCK);
      migrate(db, () => new Date().toISOString());
    })();
  } catch (error) {
    db.close();
    throw error;
  }
  return storeOver(db, postgresTenantLocks(db));
}

/** The advisory lock id replicas take to migrate: any constant the service uses for nothing else. */
const MIGRATION_LOCK = 7_402_114_001;

/** A `postgres://` URL opens the PostgreSQL store, anything else is a SQLite file path. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

export function openStore(location: string): TenantStore {
  return isPostgresUrl(location) ? openPostgresStore(location) : openSqliteStore(location);
}

function storeOver(db: SqlConnection, tenantLocks: TenantLocks | null): TenantStore {
  const commits = new CommitEffects();
  return {
    tenantLocks,
    tenants: new TenantsTable(db),
    history: new HistoryTable(db),
    idempotency: new IdempotencyTable(db),
    deliveries: new DeliveriesTable(db),
    outbox: new OutboxTable(db),
    jobs: new JobsTable(db),
    audit: new AuditTable(db),
    offboardApprovals: new OffboardApprovalsTable(db),
    deletionRecords: new DeletionRecordsTable(db),
    transaction: <T>(work: () => T): T => commits.around(db.transaction(work)),
    afterCommit: (effect) => commits.add(effect),
    close: () => db.close(),
  };
}

/** Effects waiting for the outermost transaction to commit; a nested one that rolls back drops its own. */
class CommitEffects {
  #depth = 0;
  #pending: (() => void)[] = [];

  around<T>(run: () => T): T {
    const mark = this.#pending.length;
    this.#depth += 1;
    let result: T;
    try {
      result = run();
    } catch (error) {
      this.#pending.length = mark;
      throw error;
    } finally {
      this.#depth -= 1;
    }
    if (this.#depth === 0) {
      const effects = this.#pending;
      this.#pending = [];
      for (const effect of effects) effect();
    }
    return result;
  }

  add(effect: () => void): void {
    if (this.#depth === 0) effect();
    else this.#pending.push(effect);
  }
}

export type * from './types.ts';
export type { TenantLocks } from './postgres.ts';
export { TENANT_STATES, EVENT_TYPES } from './types.ts';
