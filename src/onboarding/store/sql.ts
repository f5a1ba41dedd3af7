// The SQL connection the store's tables are written against: the part of better-sqlite3's API they
// use (prepare → run/get/all, exec, transaction), so the embedded SQLite file and a PostgreSQL
// server (postgres.ts) run the same table code and the same statements. Both are synchronous: a
// transaction never interleaves with other work of the process, which is what the service's
// atomicity rests on. The statements are written in the SQL both accept (`?` placeholders or
// `@name` parameters, ON CONFLICT, RETURNING); `jsonField` is the one place the dialects differ.
import type Database from 'better-sqlite3';

export type SqlDialect = 'sqlite' | 'postgres';

export interface SqlRunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

export interface SqlStatement {
  run(...params: unknown[]): SqlRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface SqlConnection {
  readonly dialect: SqlDialect;
  prepare(sql: string): SqlStatement;
  exec(sql: string): void;
  /** better-sqlite3's shape: the returned function runs `work` in a transaction (a savepoint when nested). */
  transaction<T>(work: () => T): () => T;
  /**
   * The SQL expression for a JSON text column's value at `path`: a scalar as text or number, an
   * array or object as JSON text, null when absent.
   */
  jsonField(column: string, path: readonly string[]): string;
  close(): void;
}

export function sqliteConnection(db: Database.Database): SqlConnection {
  return {
    dialect: 'sqlite',
    prepare: (sql) => db.prepare(sql),
    exec: (sql) => void db.exec(sql),
    transaction: (work) => db.transaction(work),
    jsonField: (column, path) => `json_extract(${column}, '$.${path.join('.')}')`,
    close: () => db.close(),
  };
}
