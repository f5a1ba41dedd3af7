// Backup and restore of the service's SQLite file. A backup is taken with SQLite's online backup
// API from a read-only connection, so it runs while the service does and is a consistent snapshot
// (a plain copy of a live WAL database can be torn). Both directions check the copy before it
// replaces anything: SQLite's quick_check, and migrations this service knows (a store written by a
// newer service is refused, not run by older code).
import type Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { InputError } from '../../shared/errors.ts';
import { MIGRATIONS } from './migrations.ts';
import { checkIntegrity, CorruptStoreError, isPostgresUrl, openDatabase } from './index.ts';
import { redactUrl } from './postgres.ts';

export interface StoreCopy {
  path: string;
  bytes: number;
  tenants: number;
  /** The newest migration the copy holds. */
  schema: number;
}

/** A PostgreSQL store is the database's to back up; these commands copy a SQLite file only. */
function refusePostgres(dbPath: string): void {
  if (isPostgresUrl(dbPath))
    throw new InputError([
      {
        path: '--db',
        message: `${redactUrl(dbPath)} is a PostgreSQL store; tenantctl store backup and restore copy the SQLite file`,
        fix: "back it up and restore it with the database's own tools (pg_dump and pg_restore, or the provider's snapshots)",
      },
    ]);
}

/** Copies the live store at `dbPath` to `toPath` (which must not exist yet). */
export async function backupStore(dbPath: string, toPath: string): Promise<StoreCopy> {
  refusePostgres(dbPath);
  if (!existsSync(dbPath))
    throw new InputError([
      { path: '--db', message: `no store at ${dbPath}`, fix: 'name the service’s TENANT_GITOPS_DB' },
    ]);
  if (existsSync(toPath))
    throw new InputError([
      { path: '--to', message: `${toPath} already exists`, fix: 'choose a new file; a backup never overwrites one' },
    ]);
  const partial = `${toPath}.partial`;
  rmSync(partial, { force: true });
  const source = openDatabase(dbPath, { readonly: true, fileMustExist: true });
  try {
    await source.backup(partial);
  } finally {
    source.close();
  }
  try {
    const copy = inspectCopy(partial);
    syncFile(partial);
    renameSync(partial, toPath);
    return { ...copy, path: toPath };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/**
 * Replaces the store at `dbPath` with the backup `fromPath`, once the backup is checked. The service
 * must be stopped: a store with a write-ahead log beside it is refused unless `force` is given
 * (a crashed service leaves one too; its unflushed writes are then discarded).
 */
export function restoreStore(fromPath: string, dbPath: string, options: { force?: boolean } = {}): StoreCopy {
  refusePostgres(dbPath);
  if (!existsSync(fromPath))
    throw new InputError([
      { path: '--from', message: `no backup at ${fromPath}`, fix: 'name a file made by tenantctl store backup' },
    ]);
  const copy = inspectCopy(fromPath);
  const wal = `${dbPath}-wal`;
  if (!options.force && existsSync(wal) && statSync(wal).size > 0)
    throw new InputError([
      {
        path: '--db',
        message: `${wal} holds writes: the service is running on ${dbPath}, or stopped without closing the store`,
        fix: 'stop the service first; if it crashed, pass --force to discard what the log holds',
      },
    ]);
  const restoring = `${dbPath}.restoring`;
  copyFileSync(fromPath, restoring);
  syncFile(restoring);
  rmSync(wal, { force: true });
  rmSync(`${dbPath}-shm`, { force: true });
  renameSync(restoring, dbPath);
  return { ...copy, path: dbPath };
}

/** Opens a copy read-only and checks it is a whole store this service can run on. */
function inspectCopy(path: string): Omit<StoreCopy, 'path'> {
  let db: Database.Database | undefined;
  try {
    db = openDatabase(path, { readonly: true, fileMustExist: true });
    checkIntegrity(db, path);
    const applied = (db.prepare('SELECT id FROM migrations ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    const known = new Set(MIGRATIONS.map((m) => m.id));
    const unknown = applied.filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw new InputError([
        {
          path,
          message: `the store has migrations ${unknown.join(', ')}, which this service does not know (a newer service wrote it)`,
          fix: 'restore it with the service version that made it',
        },
      ]);
    const tenants = (db.prepare('SELECT COUNT(*) AS n FROM tenants').get() as { n: number }).n;
    return { bytes: statSync(path).size, tenants, schema: applied.at(-1) ?? 0 };
  } catch (error) {
    if (error instanceof InputError) throw error;
    const detail = error instanceof CorruptStoreError ? error.message : (error as Error).message;
    throw new InputError(
      [{ path, message: `is not a whole store (${detail})`, fix: 'use another backup; nothing was replaced' }],
      { cause: error },
    );
  } finally {
    db?.close();
  }
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
