// GitHub webhook deliveries by X-GitHub-Delivery id: stored on receipt (so a redelivery is
// recognised and ignored) and marked processed once handled (so a crash in between is resumed).
import type { SqlConnection, SqlStatement } from './sql.ts';
import type { StoredDelivery } from './types.ts';

export class DeliveriesTable {
  readonly #insert: SqlStatement;
  readonly #pending: SqlStatement;
  readonly #processed: SqlStatement;

  constructor(db: SqlConnection) {
    this.#insert = db.prepare(
      'INSERT INTO deliveries (id, event, payload_json, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.#pending = db.prepare(
      'SELECT id, event, payload_json FROM deliveries WHERE processed_at IS NULL ORDER BY received_at, id',
    );
    this.#processed = db.prepare('UPDATE deliveries SET processed_at = ? WHERE id = ?');
  }

  /** False when this delivery id was seen before. */
  insert(id: string, event: string, payload: unknown, at: string): boolean {
    return this.#insert.run(id, event, JSON.stringify(payload), at).changes === 1;
  }

  unprocessed(): StoredDelivery[] {
    return (this.#pending.all() as { id: string; event: string; payload_json: string }[]).map((row) => ({
      id: row.id,
      event: row.event,
      payload: JSON.parse(row.payload_json) as unknown,
    }));
  }

  markProcessed(id: string, at: string): void {
    this.#processed.run(at, id);
  }
}
