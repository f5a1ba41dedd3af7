// The signed deletion record of every finished offboarding, kept for good: a tenant onboarded again
// under the same name adds records, it never replaces one. GET /v1/tenants/{name} shows the latest
// while the tenant is deleted.
import type { SignedDeletionRecord } from '../deletion-record.ts';
import type { SqlConnection, SqlStatement } from './sql.ts';

export class DeletionRecordsTable {
  readonly #add: SqlStatement;
  readonly #latest: SqlStatement;

  constructor(db: SqlConnection) {
    this.#add = db.prepare('INSERT INTO deletion_records (tenant, record_json, created_at) VALUES (?, ?, ?)');
    this.#latest = db.prepare('SELECT record_json FROM deletion_records WHERE tenant = ? ORDER BY id DESC LIMIT 1');
  }

  add(tenant: string, record: SignedDeletionRecord, at: string): void {
    this.#add.run(tenant, JSON.stringify(record), at);
  }

  latest(tenant: string): SignedDeletionRecord | null {
    const row = this.#latest.get(tenant) as { record_json: string } | undefined;
    return row ? (JSON.parse(row.record_json) as SignedDeletionRecord) : null;
  }
}
