// Pending work that calls something outside the process (GitHub, the cluster). A job is written in
// the same transaction as the request that needs it, BEFORE the call, so a crash at any point
// leaves it pending and the job runner resumes it at start-up.
import type { SqlConnection, SqlStatement } from './sql.ts';
import type { Job, JobKind } from './types.ts';

interface Row {
  id: number;
  tenant: string;
  kind: string;
  payload_json: string;
  attempts: number;
  next_attempt_at: number;
}

export class JobsTable {
  readonly #enqueue: SqlStatement;
  readonly #pendingFor: SqlStatement;
  readonly #tenants: SqlStatement;
  readonly #finish: SqlStatement;
  readonly #retry: SqlStatement;
  readonly #cancel: SqlStatement;
  readonly #setPayload: SqlStatement;

  constructor(db: SqlConnection) {
    this.#enqueue = db.prepare(
      'INSERT INTO jobs (tenant, kind, payload_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.#pendingFor = db.prepare(
      "SELECT id, tenant, kind, payload_json, attempts, next_attempt_at FROM jobs WHERE status = 'pending' AND tenant = ? ORDER BY id",
    );
    this.#tenants = db.prepare("SELECT DISTINCT tenant FROM jobs WHERE status = 'pending' ORDER BY tenant");
    this.#finish = db.prepare(
      'UPDATE jobs SET status = ?, last_error = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?',
    );
    this.#retry = db.prepare(
      'UPDATE jobs SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?',
    );
    this.#setPayload = db.prepare('UPDATE jobs SET payload_json = ?, updated_at = ? WHERE id = ?');
    this.#cancel = db.prepare(
      "UPDATE jobs SET status = 'superseded', updated_at = ? WHERE status = 'pending' AND tenant = ? AND kind = ?",
    );
  }

  enqueue(tenant: string, kind: JobKind, payload: Record<string, unknown>, at: string): void {
    this.#enqueue.run(tenant, kind, JSON.stringify(payload), at, at);
  }

  /** A newer request replaces the older pending one of the same kind (one PR per tenant). */
  supersede(tenant: string, kind: JobKind, at: string): void {
    this.#cancel.run(at, tenant, kind);
  }

  pendingFor(tenant: string): Job[] {
    return (this.#pendingFor.all(tenant) as Row[]).map((row) => ({
      id: row.id,
      tenant: row.tenant,
      kind: row.kind as JobKind,
      payload: JSON.parse(row.payload_json) as Record<string, unknown>,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at,
    }));
  }

  tenantsWithPending(): string[] {
    return (this.#tenants.all() as { tenant: string }[]).map((row) => row.tenant);
  }

  markDone(id: number, at: string): void {
    this.#finish.run('done', null, at, id);
  }

  markFailed(id: number, error: string, at: string): void {
    this.#finish.run('failed', error.slice(0, 500), at, id);
  }

  markRetry(id: number, nextAttemptAtMs: number, error: string, at: string): void {
    this.#retry.run(nextAttemptAtMs, error.slice(0, 500), at, id);
  }

  /** What a job has done so far, kept for its next attempt (the offboarding's finished steps). */
  setPayload(id: number, payload: Record<string, unknown>, at: string): void {
    this.#setPayload.run(JSON.stringify(payload), at, id);
  }
}
