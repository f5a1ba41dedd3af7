// The backend's requests: create, change and offboard a tenant. Each one is validated first (a bad
// spec writes nothing anywhere), then, in the tenant's queue: the idempotency key is checked, the
// request is persisted with its pending job in ONE transaction, and only then is GitHub called.
import { createHash } from 'node:crypto';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../shared/errors.ts';
import { checkIngressHostCollisions } from '../tenant/collisions.ts';
import type { ServiceContext } from './context.ts';
import type { JobRunner } from './job-runner.ts';
import { refuseMisplacement } from './placement.ts';
import { tenantNamespaces, tenantSpecPath } from '../tenant/names.ts';
import type { ResolvedTenant } from '../tenant/types.ts';
import type { PullRequestAction } from './ports.ts';
import { ACCEPTS_CHANGE, canTransition } from './state-machine.ts';
import type { TenantRecord } from './store/types.ts';
import { applyTransition } from './transition.ts';
import { OFFBOARD_APPROVAL_TTL_MS, pendingApproval } from './views.ts';

export interface Caller {
  name: string;
}

export interface AcceptedResponse {
  status: number;
  body: {
    name: string;
    state: string;
    pullRequest: { number: number; url: string } | null;
    /** An offboarding that waits for a second token's approval. */
    offboardApproval?: ReturnType<typeof pendingApproval>;
  };
}

interface ChangeRequest {
  kind: 'create' | 'update';
  document: unknown;
  /** From the URL for PUT. */
  name?: string;
  caller: Caller;
  idempotencyKey?: string;
}

export class TenantRequests {
  readonly #context: ServiceContext;
  readonly #jobs: JobRunner;
  /** 2: an offboarding request waits for a second token's approval. */
  readonly #offboardApprovals: 1 | 2;

  constructor(context: ServiceContext, jobs: JobRunner, offboardApprovals: 1 | 2) {
    this.#context = context;
    this.#jobs = jobs;
    this.#offboardApprovals = offboardApprovals;
  }

  async submitChange(request: ChangeRequest): Promise<AcceptedResponse> {
    // Throws InputError (→ 422) before anything is stored or sent.
    const { document, tenant } = this.#context.spec.parse(
      request.document,
      request.name ? { expectedName: request.name } : {},
    );
    const requestHash = hashRequest(request.kind, document);
    return this.#context.queue.run(tenant.name, async () => {
      const replay = this.#replay(request.caller, request.idempotencyKey, requestHash);
      if (replay) return replay;
      this.#refuseHostCollisions(tenant);
      // Against main's platform namespaces (one read), after a replay, which needs no GitHub call.
      await this.#context.spec.refusePlatformNamespaces(tenant);
      const existing = this.#context.store.tenants.get(tenant.name);
      // Against main's clusters registry and tenant record, and every stored tenant's grants.
      await refuseMisplacement(this.#context, tenant, Boolean(existing?.mergeSha) && existing?.state !== 'deleted');
      const sameAsOpen =
        existing?.state === 'pr_open' &&
        JSON.stringify(existing.document) === JSON.stringify(document) &&
        this.#context.store.jobs.pendingFor(tenant.name).length === 0;
      if (!sameAsOpen) this.#persist(request, existing, document, tenant.name, tenantNamespaces(tenant));
      return this.#finish(request.caller, request.idempotencyKey, requestHash, tenant.name);
    });
  }

  async offboard(request: { name: string; caller: Caller; idempotencyKey?: string }): Promise<AcceptedResponse> {
    const requestHash = hashRequest('offboard', request.name);
    return this.#context.queue.run(request.name, async () => {
      const replay = this.#replay(request.caller, request.idempotencyKey, requestHash);
      if (replay) return replay;
      const existing = this.#offboardable(request.name);
      if (existing.state !== 'offboarding') {
        const now = this.#context.now().toISOString();
        if (this.#offboardApprovals === 2) return this.#awaitApproval(request, existing, requestHash, now);
        this.#startOffboarding(
          request.name,
          request.caller.name,
          now,
          `offboarding requested by ${request.caller.name}`,
          {
            key: request.idempotencyKey,
            requestHash,
          },
        );
      }
      return this.#finish(request.caller, request.idempotencyKey, requestHash, request.name);
    });
  }

  /**
   * The second token's approval of a waiting offboarding request: from any other token with the
   * approve scope, within OFFBOARD_APPROVAL_TTL_MS of the request. Approving one already under way
   * changes nothing.
   */
  async approveOffboard(request: { name: string; caller: Caller }): Promise<AcceptedResponse> {
    return this.#context.queue.run(request.name, async () => {
      const existing = this.#offboardable(request.name);
      if (existing.state !== 'offboarding') {
        const now = this.#context.now();
        const pending = pendingApproval(this.#context.store, request.name, now);
        if (!pending)
          throw new ConflictError(
            `no offboarding of tenant ${request.name} waits for approval (request one with DELETE /v1/tenants/${request.name}; ` +
              `a request lapses after ${OFFBOARD_APPROVAL_TTL_MS / 3_600_000} h)`,
          );
        if (pending.requestedBy === request.caller.name)
          throw new ForbiddenError(
            `the offboarding of ${request.name} was requested by "${request.caller.name}", which cannot approve it too; ` +
              'approve it with another token that has the approve scope',
          );
        this.#startOffboarding(
          request.name,
          pending.requestedBy,
          now.toISOString(),
          `offboarding requested by ${pending.requestedBy}, approved by ${request.caller.name}`,
          { actor: request.caller.name, requestedAt: pending.requestedAt },
        );
      }
      return this.#finish(request.caller, undefined, '', request.name);
    });
  }

  /** The tenant, if it is one that can be (or is being) offboarded. */
  #offboardable(name: string): TenantRecord {
    const existing = this.#context.store.tenants.get(name);
    if (!existing || existing.state === 'deleted') throw new NotFoundError(`tenant ${name} does not exist`);
    if (existing.state !== 'offboarding' && !canTransition(existing.state, 'offboarding')) {
      throw new ConflictError(
        `tenant ${name} is ${existing.state}: only a merged tenant can be offboarded; close its open PR in GitHub instead`,
      );
    }
    return existing;
  }

  /** Records the request and answers 202 with the tenant unchanged until another token approves. */
  #awaitApproval(
    request: { name: string; caller: Caller; idempotencyKey?: string },
    existing: TenantRecord,
    requestHash: string,
    now: string,
  ): AcceptedResponse {
    const store = this.#context.store;
    const pending = pendingApproval(store, request.name, new Date(now));
    // A second request from the same token renews it; one from another token does not replace it.
    if (!pending || pending.requestedBy === request.caller.name) {
      store.transaction(() => {
        store.offboardApprovals.put(request.name, request.caller.name, now);
        store.history.append(request.name, {
          from: existing.state,
          to: existing.state,
          reason: `offboarding requested by ${request.caller.name}; waits for a second token's approval`,
          actor: request.caller.name,
          at: now,
        });
      });
    }
    const response: AcceptedResponse = {
      status: 202,
      body: {
        name: request.name,
        state: existing.state,
        pullRequest: existing.pullRequest,
        offboardApproval: pendingApproval(store, request.name, new Date(now)),
      },
    };
    if (request.idempotencyKey) {
      store.idempotency.reserve(request.caller.name, request.idempotencyKey, request.name, requestHash, now);
      store.idempotency.complete(request.caller.name, request.idempotencyKey, response.status, response.body);
    }
    return response;
  }

  /** offboarding, and its PR queued, in one transaction. */
  #startOffboarding(
    name: string,
    requestedBy: string,
    now: string,
    reason: string,
    options: { key?: string; requestHash?: string; actor?: string; requestedAt?: string },
  ): void {
    const store = this.#context.store;
    store.transaction(() => {
      if (options.key && options.requestHash)
        store.idempotency.reserve(requestedBy, options.key, name, options.requestHash, now);
      store.offboardApprovals.delete(name);
      applyTransition(store, this.#context.log, now, {
        tenant: name,
        to: 'offboarding',
        reason,
        actor: options.actor ?? requestedBy,
        patch: {
          action: 'offboard',
          offboardRequestedBy: requestedBy,
          offboardRequestedAt: options.requestedAt ?? now,
        },
      });
      store.jobs.supersede(name, 'open_pull_request', now);
      store.jobs.enqueue(name, 'open_pull_request', { action: 'offboard' }, now);
    });
  }

  /**
   * The generator's cross-tenant host check (422 before anything is written), against every other
   * tenant the service stores. Tenants added to main by hand are checked by `generate` in CI.
   */
  #refuseHostCollisions(tenant: ResolvedTenant): void {
    if (tenant.ingress.hosts.length === 0) return;
    const others = this.#context.store.tenants
      .ingressHostClaims()
      .filter((claim) => claim.name !== tenant.name)
      .map((claim) => ({
        file: tenantSpecPath(claim.name),
        tenant: { name: claim.name, ingress: { hosts: claim.hosts } },
      }));
    // The request comes last, so every issue is reported on its own file.
    const issues = checkIngressHostCollisions([...others, { file: tenantSpecPath(tenant.name), tenant }]);
    if (issues.length > 0) throw new InputError(issues);
  }

  /** A stored response for this key, or a refusal when the key was used for something else. */
  #replay(caller: Caller, key: string | undefined, requestHash: string): AcceptedResponse | null {
    if (!key) return null;
    const record = this.#context.store.idempotency.get(caller.name, key);
    if (!record) return null;
    if (record.requestHash !== requestHash) {
      throw new ConflictError(
        `Idempotency-Key ${key} was already used for a different request (tenant ${record.tenant}); use a new key for a new request`,
      );
    }
    return record.response ? (record.response as AcceptedResponse) : null;
  }

  #persist(
    request: ChangeRequest,
    existing: TenantRecord | null,
    document: unknown,
    name: string,
    namespaces: string[],
  ): void {
    const store = this.#context.store;
    const now = this.#context.now().toISOString();
    if (request.kind === 'update' && (!existing || existing.state === 'deleted')) {
      throw new NotFoundError(`tenant ${name} does not exist; create it with POST /v1/tenants`);
    }
    if (request.kind === 'create' && existing?.mergeSha && existing.state !== 'deleted') {
      throw new ConflictError(
        `tenant ${name} already exists (${existing.state}); change it with PUT /v1/tenants/${name}`,
      );
    }
    if (existing && !ACCEPTS_CHANGE.includes(existing.state)) {
      throw new ConflictError(`tenant ${name} is ${existing.state}; wait until that finishes before changing it`);
    }
    const action: PullRequestAction = existing?.mergeSha && existing.state !== 'deleted' ? 'update' : 'create';
    const reason = `${action} requested by ${request.caller.name}`;
    store.transaction(() => {
      if (request.idempotencyKey)
        store.idempotency.reserve(
          request.caller.name,
          request.idempotencyKey,
          name,
          hashRequest(request.kind, document),
          now,
        );
      const patch = { action, document, namespaces, requestedBy: request.caller.name };
      const fresh = { mergeSha: null, pullRequest: null, headSha: null, application: null };
      applyTransition(store, this.#context.log, now, {
        tenant: name,
        to: existing?.state === 'pr_open' ? 'pr_open' : 'requested',
        reason,
        actor: request.caller.name,
        patch: { ...patch, ...(existing?.state === 'deleted' ? fresh : {}) },
        create: { ...patch, ...fresh, offboardRequestedBy: null, offboardRequestedAt: null },
      });
      store.jobs.supersede(name, 'open_pull_request', now);
      store.jobs.enqueue(name, 'open_pull_request', { action }, now);
    });
  }

  async #finish(caller: Caller, key: string | undefined, requestHash: string, name: string): Promise<AcceptedResponse> {
    await this.#jobs.runDue(name);
    const tenant = this.#context.store.tenants.get(name);
    if (!tenant) throw new Error(`tenant-gitops: tenant ${name} vanished from the store`);
    const response: AcceptedResponse = {
      status: 202,
      body: { name, state: tenant.state, pullRequest: tenant.pullRequest },
    };
    // Only a finished answer is replayed; while GitHub is still being retried a repeat re-checks.
    if (key && tenant.pullRequest && this.#context.store.jobs.pendingFor(name).length === 0) {
      this.#context.store.idempotency.reserve(caller.name, key, name, requestHash, this.#context.now().toISOString());
      this.#context.store.idempotency.complete(caller.name, key, response.status, response.body);
    }
    return response;
  }
}

function hashRequest(kind: string, document: unknown): string {
  return createHash('sha256').update(kind).update('\0').update(canonicalJson(document)).digest('hex');
}

/** JSON with object keys sorted, so the same document hashes the same whatever its key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
