// Numbered schema migrations, applied in order inside one transaction each and recorded in the
// `migrations` table, so a database file written by an older service is upgraded in place.
// Append new migrations; never edit an applied one.
import type { SqlConnection } from './sql.ts';

interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'tenants, history, idempotency, deliveries, outbox, jobs',
    sql: `
      CREATE TABLE tenants (
        name TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        action TEXT NOT NULL,
        document_json TEXT NOT NULL,
        namespaces_json TEXT NOT NULL,
        pr_number INTEGER,
        pr_url TEXT,
        head_sha TEXT,
        merge_sha TEXT,
        app_health TEXT,
        app_sync TEXT,
        app_revision TEXT,
        app_observed_at TEXT,
        requested_by TEXT NOT NULL,
        offboard_requested_by TEXT,
        offboard_requested_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX tenants_by_state ON tenants (state, name);

      CREATE TABLE history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        reason TEXT NOT NULL,
        actor TEXT,
        at TEXT NOT NULL
      );
      CREATE INDEX history_by_tenant ON history (tenant, id);

      CREATE TABLE idempotency (
        caller TEXT NOT NULL,
        key TEXT NOT NULL,
        tenant TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status INTEGER,
        response_json TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (caller, key)
      );

      CREATE TABLE deliveries (
        id TEXT PRIMARY KEY,
        event TEXT NOT NULL,
        payload_json TEXT NOT NULL,
        received_at TEXT NOT NULL,
        processed_at TEXT
      );
      CREATE INDEX deliveries_unprocessed ON deliveries (processed_at, received_at);

      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        tenant TEXT NOT NULL,
        type TEXT NOT NULL,
        payload_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        delivered_at TEXT,
        last_error TEXT
      );
      CREATE INDEX outbox_undelivered ON outbox (delivered_at, tenant, seq);

      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant TEXT NOT NULL,
        kind TEXT NOT NULL,
        payload_json TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX jobs_pending ON jobs (status, tenant, id);
    `,
  },
  {
    id: 2,
    name: 'audit, offboard approvals',
    sql: `
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        caller TEXT NOT NULL,
        tenant TEXT,
        action TEXT NOT NULL,
        result TEXT NOT NULL,
        status INTEGER NOT NULL,
        detail TEXT
      );
      CREATE INDEX audit_tenant ON audit (tenant, id);

      CREATE TABLE offboard_approvals (
        tenant TEXT PRIMARY KEY,
        requested_by TEXT NOT NULL,
        requested_at TEXT NOT NULL
      );
    `,
  },
  {
    id: 3,
    name: 'deletion records',
    sql: `
      CREATE TABLE deletion_records (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant TEXT NOT NULL,
        record_json TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX deletion_records_by_tenant ON deletion_records (tenant, id);
    `,
  },
];

/** Applies every migration not yet recorded; returns the ids applied now. */
export function migrate(db: SqlConnection, now: () => string): number[] {
  db.exec(
    `CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
  );
  const applied = new Set((db.prepare('SELECT id FROM migrations').all() as { id: number }[]).map((row) => row.id));
  const done: number[] = [];
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.id)) continue;
    db.transaction(() => {
      db.exec(db.dialect === 'postgres' ? postgresSchema(migration.sql) : migration.sql);
      db.prepare('INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)').run(
        migration.id,
        migration.name,
        now(),
      );
    })();
    done.push(migration.id);
  }
  return done;
}

/**
 * The migrations' SQLite schema in PostgreSQL's words: SQLite's INTEGER is 64-bit (ids, and times in
 * milliseconds since the epoch, outgrow PostgreSQL's 32-bit INTEGER), and an AUTOINCREMENT key is an
 * identity column. Everything else they use (TEXT, NOT NULL, DEFAULT, UNIQUE, indexes) is the same.
 */
export function postgresSchema(sql: string): string {
  return sql
    .replace(/INTEGER PRIMARY KEY AUTOINCREMENT/g, 'BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY')
    .replace(/\bINTEGER\b/g, 'BIGINT');
}
