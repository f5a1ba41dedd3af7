// Every state transition of every tenant, with its reason and (for requests) who asked: the audit
// trail GET /v1/tenants/{name} returns.
import type { SqlConnection, SqlStatement } from './sql.ts';
import type { TenantState, TransitionRecord } from './types.ts';

export class HistoryTable {
  readonly #append: SqlStatement;
  readonly #list: SqlStatement;

  constructor(db: SqlConnection) {
    this.#append = db.prepare(
      'INSERT INTO history (tenant, from_state, to_state, reason, actor, at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#list = db.prepare('SELECT from_state, to_state, reason, actor, at FROM history WHERE tenant = ? ORDER BY id');
  }

  append(tenant: string, record: TransitionRecord): void {
    this.#append.run(tenant, record.from, record.to, record.reason, record.actor, record.at);
  }

  list(tenant: string): TransitionRecord[] {
    return (
      this.#list.all(tenant) as {
        from_state: string | null;
        to_state: string;
        reason: string;
        actor: string | null;
        at: string;
      }[]
    ).map((row) => ({
      from: row.from_state as TenantState | null,
      to: row.to_state as TenantState,
      reason: row.reason,
      actor: row.actor,
      at: row.at,
    }));
  }
}
