// The audit log: every write through the API and every tenant token issued, with who asked, for
// which tenant, what was done and how it ended. Append-only; GET /v1/audit reads it in pages.
import type { SqlConnection, SqlStatement } from './sql.ts';
import type { AuditRecord } from './types.ts';

interface AuditRow {
  id: number;
  at: string;
  caller: string;
  tenant: string | null;
  action: string;
  result: string;
  status: number;
  detail: string | null;
}

export class AuditTable {
  readonly #append: SqlStatement;
  readonly #page: SqlStatement;
  readonly #pageOfTenant: SqlStatement;

  constructor(db: SqlConnection) {
    this.#append = db.prepare(
      'INSERT INTO audit (at, caller, tenant, action, result, status, detail) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
    );
    this.#page = db.prepare('SELECT * FROM audit WHERE id > ? ORDER BY id LIMIT ?');
    this.#pageOfTenant = db.prepare('SELECT * FROM audit WHERE tenant = ? AND id > ? ORDER BY id LIMIT ?');
  }

  append(record: Omit<AuditRecord, 'id'>): number {
    const { at, caller, tenant, action, result, status, detail } = record;
    return (this.#append.get(at, caller, tenant, action, result, status, detail) as { id: number }).id;
  }

  /** Records after id `after`, oldest first; of one tenant when `tenant` is given. */
  page(options: { tenant?: string; after: number; limit: number }): AuditRecord[] {
    const rows = (
      options.tenant === undefined
        ? this.#page.all(options.after, options.limit)
        : this.#pageOfTenant.all(options.tenant, options.after, options.limit)
    ) as AuditRow[];
    return rows.map((row) => ({ ...row, result: row.result as AuditRecord['result'] }));
  }
}

/** A pending offboarding that waits for a second token's approval. */
export class OffboardApprovalsTable {
  readonly #put: SqlStatement;
  readonly #get: SqlStatement;
  readonly #delete: SqlStatement;

  constructor(db: SqlConnection) {
    this.#put = db.prepare(
      'INSERT INTO offboard_approvals (tenant, requested_by, requested_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT (tenant) DO UPDATE SET requested_by = excluded.requested_by, requested_at = excluded.requested_at',
    );
    this.#get = db.prepare('SELECT requested_by, requested_at FROM offboard_approvals WHERE tenant = ?');
    this.#delete = db.prepare('DELETE FROM offboard_approvals WHERE tenant = ?');
  }

  put(tenant: string, requestedBy: string, requestedAt: string): void {
    this.#put.run(tenant, requestedBy, requestedAt);
  }

  get(tenant: string): { requestedBy: string; requestedAt: string } | null {
    const row = this.#get.get(tenant) as { requested_by: string; requested_at: string } | undefined;
    return row ? { requestedBy: row.requested_by, requestedAt: row.requested_at } : null;
  }

  delete(tenant: string): void {
    this.#delete.run(tenant);
  }
}
