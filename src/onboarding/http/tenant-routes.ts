// The tenant API's routes (/v1/tenants…, /v1/audit): each parses what it reads, checks the caller's
// scopes, and is a thin call into OnboardingService.
import { MAX_TENANT_FILE_BYTES } from '../../tenant/limits.ts';
import { DNS_LABEL } from '../../tenant/names.ts';
import type { OnboardingService } from '../service.ts';
import { parseJsonBody } from './body.ts';
import { ApiError } from './errors.ts';
import { encodeListCursor } from './list-cursor.ts';
import type { Call, Handler, Route } from './routes.ts';
import { allows, allowsVerb, type Verb } from './scopes.ts';
import { AuditQuerySchema, IdempotencyKeySchema, ListQuerySchema, parseOr422, TokenRequestSchema } from './schemas.ts';

/**
 * A tenant document's body: the spec file the service commits may be at most MAX_TENANT_FILE_BYTES,
 * so a body four times that can never become one, and is refused (413) before it is parsed.
 */
export const TENANT_DOCUMENT_BODY_BYTES = 4 * MAX_TENANT_FILE_BYTES;

const json = async (call: Call) => parseJsonBody(await call.raw(), call.request.headers['content-type']);

const idempotencyKey = (call: Call) => {
  const key = call.request.headers['idempotency-key'];
  return key === undefined ? undefined : parseOr422(IdempotencyKeySchema, key, 'header.Idempotency-Key');
};

const tenantName = (call: Call) => {
  const name = call.params['name'] ?? '';
  if (!DNS_LABEL.test(name)) throw new ApiError('NOT_FOUND', `no tenant can be named ${JSON.stringify(name)}`);
  return name;
};

/** A listing shows what the caller's scopes cover; a caller with no scope of that verb at all is refused. */
function refuseWithoutVerb(call: Call, verb: Verb): void {
  if (!allowsVerb(call.caller.scopes, verb)) call.authorize(verb, null);
}

/** The tenant a document names, if it names one: who may create it is decided before it is validated. */
function documentName(document: unknown): string | null {
  const name = (document as { metadata?: { name?: unknown } } | null)?.metadata?.name;
  return typeof name === 'string' && DNS_LABEL.test(name) ? name : null;
}

export function tenantApiRoutes(service: OnboardingService): Route<Handler>[] {
  return [
    {
      method: 'POST',
      path: '/v1/tenants',
      auth: true,
      audit: 'tenant.create',
      bodyLimitBytes: TENANT_DOCUMENT_BODY_BYTES,
      handler: async (call) => {
        const document = await json(call);
        call.authorize('create', documentName(document));
        return service.requests.submitChange({
          kind: 'create',
          document,
          caller: call.caller,
          idempotencyKey: idempotencyKey(call),
        });
      },
    },
    {
      method: 'GET',
      path: '/v1/tenants',
      auth: true,
      handler: (call) => {
        const query = parseOr422(ListQuerySchema, Object.fromEntries(call.url.searchParams), 'query');
        refuseWithoutVerb(call, 'read');
        const page = service.listTenants({
          state: query.state,
          after: query.cursor,
          limit: query.limit,
          visible: (name) => allows(call.caller.scopes, 'read', name),
        });
        return {
          status: 200,
          body: {
            tenants: page.tenants,
            nextCursor: page.nextAfter === null ? null : encodeListCursor(page.nextAfter),
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/v1/tenants/{name}',
      auth: true,
      handler: (call) => {
        const name = tenantName(call);
        call.authorize('read', name);
        return { status: 200, body: service.getTenant(name) };
      },
    },
    {
      method: 'PUT',
      path: '/v1/tenants/{name}',
      auth: true,
      audit: 'tenant.update',
      bodyLimitBytes: TENANT_DOCUMENT_BODY_BYTES,
      handler: async (call) => {
        const name = tenantName(call);
        call.authorize('update', name);
        return service.requests.submitChange({
          kind: 'update',
          name,
          document: await json(call),
          caller: call.caller,
          idempotencyKey: idempotencyKey(call),
        });
      },
    },
    {
      method: 'DELETE',
      path: '/v1/tenants/{name}',
      auth: true,
      audit: 'tenant.offboard',
      handler: (call) => {
        const name = tenantName(call);
        call.authorize('offboard', name);
        return service.requests.offboard({ name, caller: call.caller, idempotencyKey: idempotencyKey(call) });
      },
    },
    {
      method: 'POST',
      path: '/v1/tenants/{name}/offboard-approval',
      auth: true,
      audit: 'tenant.offboard_approve',
      handler: (call) => {
        const name = tenantName(call);
        call.authorize('approve', name);
        return service.requests.approveOffboard({ name, caller: call.caller });
      },
    },
    {
      method: 'POST',
      path: '/v1/tenants/{name}/token',
      auth: true,
      audit: 'tenant.token',
      handler: async (call) => {
        const name = tenantName(call);
        call.authorize('token', name);
        const raw = await call.raw();
        const body = parseOr422(
          TokenRequestSchema,
          raw.length === 0 ? {} : parseJsonBody(raw, call.request.headers['content-type']),
          'body',
        );
        const token = await service.issueToken(name, body.expirationSeconds);
        return {
          status: 200,
          body: token,
          headers: { 'cache-control': 'no-store' },
          audit: `expires ${token.expiresAt} (${body.expirationSeconds} s)`,
        };
      },
    },
    {
      method: 'GET',
      path: '/v1/audit',
      auth: true,
      handler: (call) => {
        const query = parseOr422(AuditQuerySchema, Object.fromEntries(call.url.searchParams), 'query');
        if (query.tenant !== undefined) call.authorize('audit', query.tenant);
        else refuseWithoutVerb(call, 'audit');
        const page = service.auditPage({
          tenant: query.tenant,
          after: query.cursor ?? 0,
          limit: query.limit,
          visible: (tenant) => allows(call.caller.scopes, 'audit', tenant),
        });
        return {
          status: 200,
          body: { records: page.records, nextCursor: page.nextAfter === null ? null : String(page.nextAfter) },
        };
      },
    },
  ];
}
