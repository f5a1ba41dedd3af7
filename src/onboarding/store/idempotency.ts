// Idempotency keys, per caller: the first request with a key reserves it (with a hash of what was
// asked), the response is stored once the work is done, and a repeat gets that same response.
import type Database from 'better-sqlite3';
import type { IdempotencyRecord } from './types.ts';

interface Row {
  caller: string;
  key: string;
  tenant: string;
  request_hash: string;
  status: number | null;
  response_json: string | null;
}

export class IdempotencyTable {
  readonly #get: Database.Statement;
  readonly #reserve: Database.Statement;
  readonly #complete: Database.Statement;

  constructor(db: Database.Database) {
    this.#get = db.prepare('SELECT * FROM idempotency WHERE caller = ? AND key = ?');
    this.#reserve = db.prepare(
      'INSERT OR IGNORE INTO idempotency (caller, key, tenant, request_hash, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.#complete = db.prepare('UPDATE idempotency SET status = ?, response_json = ? WHERE caller = ? AND key = ?');
  }

  get(caller: string, key: string): IdempotencyRecord | null {
    const row = this.#get.get(caller, key) as Row | undefined;
    if (!row) return null;
    return {
      caller: row.caller,
      key: row.key,
      tenant: row.tenant,
      requestHash: row.request_hash,
      response:
        row.status === null ? null : { status: row.status, body: JSON.parse(row.response_json ?? 'null') as unknown },
    };
  }

  reserve(caller: string, key: string, tenant: string, requestHash: string, at: string): void {
    this.#reserve.run(caller, key, tenant, requestHash, at);
  }

  complete(caller: string, key: string, status: number, body: unknown): void {
    this.#complete.run(status, JSON.stringify(body), caller, key);
  }
}
