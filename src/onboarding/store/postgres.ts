// The store on a PostgreSQL server, for running more than one replica of the service: the same
// tables and statements as the SQLite file (sql.ts), over libpq's synchronous calls (the `libpq`
// binding), so the store interface and its transactions keep their meaning: a transaction runs to
// its end before the process does anything else. Each call blocks the event loop for one round trip
// to the server (well under a millisecond on a local network); statement_timeout and
// tcp_user_timeout bound a call to a stuck or unreachable server, so a fault becomes a store error
// (the background loops back off, /readyz answers 503) instead of a hung process.
import { createRequire } from 'node:module';
import type { SqlConnection, SqlRunResult, SqlStatement } from './sql.ts';

/** The parts of the `libpq` binding this file uses (it ships no types). */
interface Libpq {
  connectSync(params: string): void;
  execParams(text: string, params: (string | null)[]): void;
  exec(text: string): void;
  resultStatus(): string;
  resultErrorMessage(): string;
  resultErrorFields(): { sqlState?: string } | undefined;
  errorMessage(): string;
  /** PQtransactionStatus: 0 idle, 1 active, 2 in a transaction, 3 in a failed one, 4 unknown (no connection). */
  transactionStatus(): number;
  ntuples(): number;
  nfields(): number;
  fname(field: number): string;
  ftype(field: number): number;
  getvalue(row: number, field: number): string;
  getisnull(row: number, field: number): boolean;
  cmdTuples(): string;
  clear(): void;
  finish(): void;
}

/** A server-side failure, with PostgreSQL's SQLSTATE as `code` (23505: a unique key taken, …). */
export class PostgresError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'PostgresError';
    this.code = code;
  }
}

/** Numeric result columns by type OID (bool, int8, int2, int4, oid, float4, float8, numeric). */
const NUMBER_TYPES = new Set([20, 21, 23, 26, 700, 701, 1700]);
const BOOL_TYPE = 16;
const PQTRANS_UNKNOWN = 4;

/** Per call: a statement that runs longer, or a server that stops answering, is an error after this. */
export const POSTGRES_CALL_TIMEOUT_MS = 10_000;

/**
 * The connection string with the service's bounds added: a connect timeout, a statement timeout,
 * and a TCP user timeout so a server that vanishes without closing the socket does not block the
 * process; the caller's own settings in the URL win.
 */
export function boundedConnectionString(url: string): string {
  const parsed = new URL(url);
  const bounds: Record<string, string> = {
    connect_timeout: String(Math.ceil(POSTGRES_CALL_TIMEOUT_MS / 1000)),
    tcp_user_timeout: String(POSTGRES_CALL_TIMEOUT_MS),
    options: `-c statement_timeout=${POSTGRES_CALL_TIMEOUT_MS} -c client_min_messages=warning`,
    application_name: 'tenant-gitops-onboarding',
  };
  for (const [key, value] of Object.entries(bounds))
    if (!parsed.searchParams.has(key)) parsed.searchParams.set(key, value);
  // libpq decodes %20 but not the `+` URLSearchParams writes for a space.
  parsed.search = parsed.searchParams.toString().replaceAll('+', '%20');
  return parsed.toString();
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

/**
 * `?` placeholders (in order) and `@name` parameters (by name) rewritten to PostgreSQL's `$n`,
 * outside quoted strings and identifiers. Named parameters are bound from one object argument.
 */
export function toPostgresPlaceholders(sql: string): { text: string; names: string[] | null } {
  let text = '';
  let positional = 0;
  const names: string[] = [];
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (quote) {
      text += ch;
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      text += ch;
    } else if (ch === '?') {
      text += `$${++positional}`;
    } else if (ch === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))![0];
      let index = names.indexOf(name);
      if (index < 0) index = names.push(name) - 1;
      text += `$${index + 1}`;
      i += name.length;
    } else {
      text += ch;
    }
  }
  if (positional > 0 && names.length > 0)
    throw new Error('tenant-gitops: a statement mixes ? and @name parameters, which the store does not support');
  return { text, names: names.length > 0 ? names : null };
}

function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  throw new Error(`tenant-gitops: cannot bind a ${typeof value} to a statement`);
}

/**
 * Closes a binding's connection. The binding hands its socket watcher to libuv to close on a later
 * turn of the event loop, inside the binding object: an object collected before that turn makes
 * libuv touch freed memory (a process abort). Finished bindings are kept a moment for that.
 */
const finishing = new Set<Libpq>();
function finish(pq: Libpq): void {
  if (finishing.has(pq)) return;
  finishing.add(pq);
  pq.finish();
  setTimeout(() => finishing.delete(pq), 1000).unref();
}

export class PostgresConnection implements SqlConnection {
  readonly dialect = 'postgres' as const;
  readonly #url: string;
  #pq: Libpq;
  #depth = 0;
  readonly #translated = new Map<string, { text: string; names: string[] | null }>();

  constructor(url: string) {
    this.#url = url;
    this.#pq = PostgresConnection.#connect(url);
  }

  static #connect(url: string): Libpq {
    const require = createRequire(import.meta.url);
    let Binding: new () => Libpq;
    try {
      Binding = require('libpq') as new () => Libpq;
    } catch (error) {
      throw new Error(
        'tenant-gitops: the PostgreSQL binding (libpq) is not compiled on this machine (fix: run npm run setup, which builds it)',
        { cause: error },
      );
    }
    const pq = new Binding();
    try {
      pq.connectSync(boundedConnectionString(url));
    } catch (error) {
      throw new Error(
        `tenant-gitops: cannot connect to the PostgreSQL store ${redactUrl(url)}: ${String((error as Error).message).trim()} ` +
          '(fix: check TENANT_GITOPS_DB, the postgres:// URL, and that the server accepts connections from here)',
        { cause: error },
      );
    }
    return pq;
  }

  prepare(sql: string): SqlStatement {
    const query = (params: unknown[]) => this.#query(sql, params);
    return {
      run: (...params): SqlRunResult => ({ changes: query(params).changes }),
      get: (...params) => query(params).rows[0],
      all: (...params) => query(params).rows,
    };
  }

  exec(sql: string): void {
    this.#run(sql, null);
  }

  transaction<T>(work: () => T): () => T {
    return () => {
      const depth = this.#depth;
      const savepoint = `store_${depth}`;
      this.exec(depth === 0 ? 'BEGIN' : `SAVEPOINT ${savepoint}`);
      this.#depth = depth + 1;
      let result: T;
      try {
        result = work();
      } catch (error) {
        this.#depth = depth;
        this.#rollback(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}`);
        throw error;
      }
      this.#depth = depth;
      try {
        this.exec(depth === 0 ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}`);
      } catch (error) {
        if (depth === 0) this.#rollback('ROLLBACK');
        throw error;
      }
      return result;
    };
  }

  jsonField(column: string, path: readonly string[]): string {
    return `(${column}::jsonb #>> '{${path.join(',')}}')`;
  }

  close(): void {
    finish(this.#pq);
  }

  /** A rollback on a connection that may be gone: the server drops an open transaction with it. */
  #rollback(sql: string): void {
    try {
      this.exec(sql);
    } catch {
      // A lost connection has already ended the transaction on the server.
    }
  }

  #query(sql: string, params: unknown[]): { rows: Record<string, unknown>[]; changes: number } {
    let translated = this.#translated.get(sql);
    if (!translated) {
      translated = toPostgresPlaceholders(sql);
      this.#translated.set(sql, translated);
    }
    const { text, names } = translated;
    const values = names
      ? names.map((name) => toText((params[0] as Record<string, unknown>)[name]))
      : params.map((value) => toText(value));
    return this.#run(text, values);
  }

  #run(text: string, values: (string | null)[] | null): { rows: Record<string, unknown>[]; changes: number } {
    this.#reconnectIfLost();
    const pq = this.#pq;
    if (values === null) pq.exec(text);
    else pq.execParams(text, values);
    const status = pq.resultStatus();
    if (status !== 'PGRES_COMMAND_OK' && status !== 'PGRES_TUPLES_OK') {
      const message = (pq.resultErrorMessage() || pq.errorMessage()).trim();
      const code = pq.resultErrorFields()?.sqlState;
      pq.clear();
      throw new PostgresError(`tenant-gitops: the PostgreSQL store refused a statement: ${message}`, code);
    }
    const fields = pq.nfields();
    const columns = Array.from({ length: fields }, (_, f) => ({ name: pq.fname(f), type: pq.ftype(f) }));
    const rows: Record<string, unknown>[] = [];
    for (let r = 0, n = pq.ntuples(); r < n; r++) {
      const row: Record<string, unknown> = {};
      columns.forEach(({ name, type }, f) => {
        if (pq.getisnull(r, f)) row[name] = null;
        else {
          const value = pq.getvalue(r, f);
          row[name] = NUMBER_TYPES.has(type) ? Number(value) : type === BOOL_TYPE ? value === 't' : value;
        }
      });
      rows.push(row);
    }
    const changes = Number(pq.cmdTuples()) || 0;
    pq.clear();
    return { rows, changes };
  }

  /**
   * A connection the server or the network dropped is replaced before the next statement, outside
   * a transaction only: inside one, the statement fails (the transaction is gone with the
   * connection) and the transaction's rollback ends it.
   */
  #reconnectIfLost(): void {
    if (this.#pq.transactionStatus() !== PQTRANS_UNKNOWN || this.#depth > 0) return;
    finish(this.#pq);
    this.#pq = PostgresConnection.#connect(this.#url);
  }
}

/** Held by one connection (one replica) at a time; released by `unlock` or when the connection ends. */
export interface TenantLocks {
  /** true when this connection now holds the tenant's lock (it may hold it already: locks nest). */
  tryLock(tenant: string): boolean;
  unlock(tenant: string): void;
}

/** The first key of the service's advisory locks (the second is the tenant name's hash). */
const TENANT_LOCK_CLASS = 7402;

/**
 * Tenant locks as PostgreSQL session advisory locks: a replica that dies (SIGKILL, a lost network)
 * loses its connection and with it every lock it held, so no tenant stays locked behind it. Two
 * names with the same hash share a lock, which only serialises them.
 */
export function postgresTenantLocks(db: SqlConnection): TenantLocks {
  const lock = db.prepare('SELECT pg_try_advisory_lock(?, hashtext(?)) AS locked');
  const unlock = db.prepare('SELECT pg_advisory_unlock(?, hashtext(?)) AS unlocked');
  return {
    tryLock: (tenant) => (lock.get(TENANT_LOCK_CLASS, tenant) as { locked: boolean }).locked,
    unlock: (tenant) => void unlock.get(TENANT_LOCK_CLASS, tenant),
  };
}
