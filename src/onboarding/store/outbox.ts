// The durable outbox of callbacks to the product backend. Events are appended in the same
// transaction as the state change they announce; the dispatcher delivers, per tenant, the oldest
// undelivered event first and never skips ahead of one that is still failing.
import { randomUUID } from 'node:crypto';
import type { SqlConnection, SqlStatement } from './sql.ts';
import type { EventType, OutboxEvent } from './types.ts';

interface Row {
  seq: number;
  event_id: string;
  tenant: string;
  type: string;
  payload_json: string;
  created_at: string;
  attempts: number;
}

export class OutboxTable {
  readonly #append: SqlStatement;
  readonly #heads: SqlStatement;
  readonly #delivered: SqlStatement;
  readonly #failed: SqlStatement;
  readonly #pending: SqlStatement;
  readonly #list: SqlStatement;

  constructor(db: SqlConnection) {
    this.#append = db.prepare(
      'INSERT INTO outbox (event_id, tenant, type, payload_json, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    // The head of each tenant's queue, when it is due: later events of that tenant wait behind it.
    this.#heads = db.prepare(
      `SELECT o.seq, o.event_id, o.tenant, o.type, o.payload_json, o.created_at, o.attempts FROM outbox o
       JOIN (SELECT tenant, MIN(seq) AS seq FROM outbox WHERE delivered_at IS NULL GROUP BY tenant) h ON h.seq = o.seq
       WHERE o.next_attempt_at <= ? ORDER BY o.seq LIMIT ?`,
    );
    this.#delivered = db.prepare(
      'UPDATE outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE seq = ?',
    );
    this.#failed = db.prepare(
      'UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE seq = ?',
    );
    this.#pending = db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE delivered_at IS NULL');
    this.#list = db.prepare('SELECT * FROM outbox WHERE tenant = ? ORDER BY seq');
  }

  append(tenant: string, type: EventType, payload: unknown, at: string): string {
    const eventId = randomUUID();
    this.#append.run(eventId, tenant, type, JSON.stringify(payload), at);
    return eventId;
  }

  /** At most one event per tenant: the oldest undelivered one, if its next attempt is due. */
  dueHeads(nowMs: number, limit: number): OutboxEvent[] {
    return (this.#heads.all(nowMs, limit) as Row[]).map(fromRow);
  }

  markDelivered(seq: number, at: string): void {
    this.#delivered.run(at, seq);
  }

  markFailed(seq: number, nextAttemptAtMs: number, error: string): void {
    this.#failed.run(nextAttemptAtMs, error.slice(0, 500), seq);
  }

  pendingCount(): number {
    return (this.#pending.get() as { n: number }).n;
  }

  forTenant(tenant: string): (OutboxEvent & { deliveredAt: string | null })[] {
    return (this.#list.all(tenant) as (Row & { delivered_at: string | null })[]).map((row) => ({
      ...fromRow(row),
      deliveredAt: row.delivered_at,
    }));
  }
}

function fromRow(row: Row): OutboxEvent {
  return {
    seq: row.seq,
    eventId: row.event_id,
    tenant: row.tenant,
    type: row.type as EventType,
    payload: JSON.parse(row.payload_json) as unknown,
    createdAt: row.created_at,
    attempts: row.attempts,
  };
}
