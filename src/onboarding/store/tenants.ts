// The tenants table: one row per tenant with its current state, PR, merge commit and the last
// Application status seen.
import type { SqlConnection, SqlStatement } from './sql.ts';
import type { PullRequestAction } from '../ports.ts';
import type { ApplicationSnapshot, TenantRecord, TenantState, TenantSummary } from './types.ts';

interface TenantRow {
  name: string;
  state: string;
  action: string;
  document_json: string;
  namespaces_json: string;
  pr_number: number | null;
  pr_url: string | null;
  head_sha: string | null;
  merge_sha: string | null;
  app_health: string | null;
  app_sync: string | null;
  app_revision: string | null;
  app_observed_at: string | null;
  requested_by: string;
  offboard_requested_by: string | null;
  offboard_requested_at: string | null;
  created_at: string;
  updated_at: string;
}

const SUMMARY_COLUMNS = `name, state, action, namespaces_json, pr_number, pr_url, head_sha, merge_sha, app_health, app_sync,
  app_revision, app_observed_at, requested_by, offboard_requested_by, offboard_requested_at, created_at, updated_at`;

/** A stored tenant's spec fields the capacity gate reads; absent fields take the tier's defaults. */
export interface CapacityClaim {
  name: string;
  tier: string;
  cluster: string | null;
  nodePool: string | null;
  gpuSlices: number;
  quota: Record<string, string | number>;
}

export type TenantPatch = Partial<Omit<TenantRecord, 'name' | 'createdAt'>>;

export class TenantsTable {
  readonly #db: SqlConnection;
  readonly #get: SqlStatement;
  readonly #page: SqlStatement;
  readonly #pageInState: SqlStatement;

  constructor(db: SqlConnection) {
    this.#db = db;
    this.#get = db.prepare('SELECT * FROM tenants WHERE name = ?');
    // Two statements rather than an optional filter, so the state filter uses tenants_by_state.
    this.#page = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM tenants WHERE name > ? ORDER BY name LIMIT ?`);
    this.#pageInState = db.prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM tenants WHERE state = ? AND name > ? ORDER BY name LIMIT ?`,
    );
  }

  get(name: string): TenantRecord | null {
    const row = this.#get.get(name) as TenantRow | undefined;
    return row ? fromRow(row) : null;
  }

  /**
   * One page of tenants in name order, after `after` (exclusive), optionally in one state. Rows are
   * summaries without the tenant document: a listing never needs it, and parsing it for every row
   * was most of what a large listing allocated.
   */
  listPage(options: { state?: TenantState; after?: string; limit: number }): TenantSummary[] {
    const after = options.after ?? '';
    const rows = (
      options.state ? this.#pageInState.all(options.state, after, options.limit) : this.#page.all(after, options.limit)
    ) as Omit<TenantRow, 'document_json'>[];
    return rows.map(summaryFromRow);
  }

  /**
   * The ingress hosts (spec.ingress.hosts) of every tenant whose document may be or become main's:
   * all but deleted tenants and rejected ones (a rejected tenant was never merged). Read with
   * the database's JSON functions, so only the tenants that claim hosts are decoded.
   */
  ingressHostClaims(): { name: string; hosts: string[] }[] {
    const hosts = this.#db.jsonField('document_json', ['spec', 'ingress', 'hosts']);
    const rows = this.#db
      .prepare(
        `SELECT name, ${hosts} AS hosts FROM tenants
         WHERE state NOT IN ('deleted', 'rejected') AND ${hosts} IS NOT NULL ORDER BY name`,
      )
      .all() as { name: string; hosts: string }[];
    return rows.map((r) => ({ name: r.name, hosts: (JSON.parse(r.hosts) as string[]).sort() }));
  }

  /**
   * What every tenant whose document may be or become main's (as ingressHostClaims) asks of a
   * cluster: the spec fields the capacity gate reads (tenant/capacity.ts), through the database's
   * JSON functions so no whole document is decoded.
   */
  capacityClaims(): CapacityClaim[] {
    const field = (...path: string[]) => this.#db.jsonField('document_json', ['spec', ...path]);
    const rows = this.#db
      .prepare(
        `SELECT name, ${field('tier')} AS tier, ${field('cluster')} AS cluster, ${field('nodePool')} AS node_pool,
                ${field('gpu', 'slices')} AS gpu_slices, ${field('quota')} AS quota
         FROM tenants WHERE state NOT IN ('deleted', 'rejected') ORDER BY name`,
      )
      .all() as {
      name: string;
      tier: string;
      cluster: string | null;
      node_pool: string | null;
      gpu_slices: number | string | null;
      quota: string | null;
    }[];
    return rows.map((r) => ({
      name: r.name,
      tier: r.tier,
      cluster: r.cluster,
      nodePool: r.node_pool,
      // A number from SQLite's json_extract, its text from PostgreSQL's #>>.
      gpuSlices: Number(r.gpu_slices ?? 0),
      quota: r.quota ? (JSON.parse(r.quota) as Record<string, string | number>) : {},
    }));
  }

  /** The names of the tenants in any of `states`, in name order. */
  namesInStates(states: readonly TenantState[]): string[] {
    const placeholders = states.map(() => '?').join(', ');
    const rows = this.#db
      .prepare(`SELECT name FROM tenants WHERE state IN (${placeholders}) ORDER BY name`)
      .all(...states) as { name: string }[];
    return rows.map((r) => r.name);
  }

  countByState(): Record<string, number> {
    const rows = this.#db.prepare('SELECT state, COUNT(*) AS n FROM tenants GROUP BY state').all() as {
      state: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  insert(record: TenantRecord): void {
    this.#db
      .prepare(
        `INSERT INTO tenants (name, state, action, document_json, namespaces_json, pr_number, pr_url, head_sha, merge_sha,
           app_health, app_sync, app_revision, app_observed_at, requested_by, offboard_requested_by, offboard_requested_at,
           created_at, updated_at)
         VALUES (@name, @state, @action, @document_json, @namespaces_json, @pr_number, @pr_url, @head_sha, @merge_sha,
           @app_health, @app_sync, @app_revision, @app_observed_at, @requested_by, @offboard_requested_by,
           @offboard_requested_at, @created_at, @updated_at)`,
      )
      .run(toRow(record));
  }

  update(name: string, patch: TenantPatch): TenantRecord {
    const current = this.get(name);
    if (!current) throw new Error(`tenant-gitops: tenant ${name} is not in the store`);
    const next: TenantRecord = { ...current, ...patch, name, createdAt: current.createdAt };
    const row = toRow(next);
    const columns = Object.keys(row).filter((c) => c !== 'name' && c !== 'created_at');
    this.#db.prepare(`UPDATE tenants SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE name = @name`).run(row);
    return next;
  }
}

function fromRow(row: TenantRow): TenantRecord {
  return { ...summaryFromRow(row), document: JSON.parse(row.document_json) as unknown };
}

function summaryFromRow(row: Omit<TenantRow, 'document_json'>): TenantSummary {
  const application: ApplicationSnapshot | null =
    row.app_health === null
      ? null
      : {
          health: row.app_health,
          sync: row.app_sync ?? 'Unknown',
          revision: row.app_revision,
          observedAt: row.app_observed_at ?? '',
        };
  return {
    name: row.name,
    state: row.state as TenantState,
    action: row.action as PullRequestAction,
    namespaces: JSON.parse(row.namespaces_json) as string[],
    pullRequest: row.pr_number === null ? null : { number: row.pr_number, url: row.pr_url ?? '' },
    headSha: row.head_sha,
    mergeSha: row.merge_sha,
    application,
    requestedBy: row.requested_by,
    offboardRequestedBy: row.offboard_requested_by,
    offboardRequestedAt: row.offboard_requested_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(record: TenantRecord): TenantRow {
  return {
    name: record.name,
    state: record.state,
    action: record.action,
    document_json: JSON.stringify(record.document),
    namespaces_json: JSON.stringify(record.namespaces),
    pr_number: record.pullRequest?.number ?? null,
    pr_url: record.pullRequest?.url ?? null,
    head_sha: record.headSha,
    merge_sha: record.mergeSha,
    app_health: record.application?.health ?? null,
    app_sync: record.application?.sync ?? null,
    app_revision: record.application?.revision ?? null,
    app_observed_at: record.application?.observedAt ?? null,
    requested_by: record.requestedBy,
    offboard_requested_by: record.offboardRequestedBy,
    offboard_requested_at: record.offboardRequestedAt,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}
