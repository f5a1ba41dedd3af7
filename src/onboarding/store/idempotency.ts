// Idempotency keys, per caller: the first request with a key reserves it (with a hash of what was
// asked), the response is stored once the work is done, and a repeat gets that same response.
import type { SqlConnection, SqlStatement } from './sql.ts';
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
  readonly #get: SqlStatement;
  readonly #reserve: SqlStatement;
  readonly #complete: SqlStatement;

  constructor(db: SqlConnection) {
    this.#get = db.prepare('SELECT * FROM idempotency WHERE caller = ? AND key = ?');
    this.#reserve = db.prepare(
      'INSERT INTO idempotency (caller, key, tenant, request_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
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
