// The service's HTTP server on node:http: authentication, body limits, JSON errors, metrics, and
// the route handlers, each a thin call into OnboardingService.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../../shared/log.ts';
import type { ServiceMetrics } from '../metrics.ts';
import { openApiDocument } from './openapi.ts';
import type { OnboardingService } from '../service.ts';
import type { ApiTokenAuthenticator, Principal } from './auth.ts';
import { allows, refuseUnlessAllowed, type Verb } from './scopes.ts';
import { parseJsonBody, readRawBody } from './body.ts';
import { ApiError, toErrorResponse } from './errors.ts';
import { encodeListCursor } from './list-cursor.ts';
import { matchRoute, type Route } from './routes.ts';
import { DNS_LABEL } from '../../tenant/names.ts';
import { documentName, recordAudit, type AuditSubject } from './audit.ts';
import { AuditQuerySchema, IdempotencyKeySchema, ListQuerySchema, parseOr422, TokenRequestSchema } from './schemas.ts';
import type { WebhookVerifier } from '../github/index.ts';
import { receiveWebhook } from './webhook.ts';

export interface HttpServerOptions {
  service: OnboardingService;
  auth: ApiTokenAuthenticator;
  verifyWebhook: WebhookVerifier;
  metrics: ServiceMetrics;
  log: Logger;
  bodyLimitBytes: number;
  /** /readyz answers 200 only when this says so (store open, watch listed, start-up resumed). */
  isReady: () => boolean;
  connections?: Partial<ConnectionLimits>;
}

/** What one client connection may take, so slow or many clients cannot starve GitHub's webhooks. */
export interface ConnectionLimits {
  /** All request headers must arrive within this (a client dripping them is cut off with 408). */
  headersTimeoutMs: number;
  /** The whole request, body included. */
  requestTimeoutMs: number;
  /** Open connections at once; more are refused by the server until one closes. */
  maxConnections: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnections: 1024,
};

interface Reply {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** The audit record's detail, for an audited route. */
  audit?: string;
}

interface Call {
  request: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  caller: Principal;
  raw: () => Promise<Buffer>;
  /**
   * Refuses (403) unless the caller's scopes allow `verb` on `tenant`; the tenant is also what the
   * audit record names.
   */
  authorize(verb: Verb, tenant: string | null): void;
}

const NOBODY: Principal = { name: '', scopes: [] };

type Handler = (call: Call) => Promise<Reply> | Reply;

export function createServiceHttpServer(options: HttpServerOptions): Server {
  const { service } = options;
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

  const routes: Route<Handler>[] = [
    { method: 'GET', path: '/healthz', auth: false, handler: () => ({ status: 200, body: { status: 'ok' } }) },
    {
      method: 'GET',
      path: '/readyz',
      auth: false,
      handler: () => {
        if (!options.isReady()) return { status: 503, body: { status: 'starting' } };
        const failing = service.health.failing();
        if (failing.length > 0)
          return { status: 503, body: { status: 'degraded', failing: Object.fromEntries(failing) } };
        return { status: 200, body: { status: 'ready' } };
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      auth: false,
      handler: () => ({
        status: 200,
        body: options.metrics.render(service.store, service.health),
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
      }),
    },
    { method: 'GET', path: '/openapi.json', auth: false, handler: () => ({ status: 200, body: openApiDocument() }) },
    ...['/github/webhook', '/v1/github/webhook'].map((path): Route<Handler> => ({
      method: 'POST',
      path,
      auth: false,
      handler: async (call) =>
        receiveWebhook(call.request, await call.raw(), {
          service,
          verify: options.verifyWebhook,
          metrics: options.metrics,
        }),
    })),
    {
      method: 'POST',
      path: '/v1/tenants',
      auth: true,
      audit: 'tenant.create',
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
        else if (!call.caller.scopes.some((scope) => scope.verb === '*' || scope.verb === 'audit'))
          call.authorize('audit', null);
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

  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.connections };
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node checks both timeouts on this clock (30 s by default, which would triple a 10 s limit).
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs / 2),
    },
    (request, response) => {
      void handle(request, response, routes, options);
    },
  );
  server.maxConnections = limits.maxConnections;
  return server;
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  routes: Route<Handler>[],
  options: HttpServerOptions,
): Promise<void> {
  const started = process.hrtime.bigint();
  const url = new URL(request.url ?? '/', 'http://service.local');
  const method = request.method ?? 'GET';
  let routeLabel = 'unmatched';
  let reply: Reply;
  let audited: AuditSubject | null = null;
  try {
    const { route, params } = matchRoute(routes, method, url.pathname);
    routeLabel = route.path;
    let caller = NOBODY;
    if (route.auth) {
      caller = options.auth.authenticate(request.headers['authorization']) ?? NOBODY;
      if (caller === NOBODY)
        throw new ApiError('UNAUTHORIZED', 'a valid bearer token is required (Authorization: Bearer <token>)');
    }
    const subject = route.audit
      ? (audited = { action: route.audit, caller: caller.name, tenant: params['name'] ?? null })
      : null;
    let rawBody: Promise<Buffer> | undefined;
    const raw = () => (rawBody ??= readRawBody(request, options.bodyLimitBytes));
    const authorize = (verb: Verb, tenant: string | null) => {
      if (subject) subject.tenant = tenant;
      refuseUnlessAllowed(caller, verb, tenant);
    };
    reply = await route.handler({ request, url, params, caller, raw, authorize });
  } catch (error) {
    reply = toErrorResponse(error, options.log);
    if (reply.status === 401) response.setHeader('www-authenticate', 'Bearer');
  }
  if (audited) reply = recordAudit(options.service, options.log, audited, reply);
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'content-type': reply.contentType ?? 'application/json',
    'content-length': Buffer.byteLength(text),
    ...reply.headers,
  });
  response.end(text);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  options.metrics.countRequest(method, routeLabel, reply.status, seconds);
  options.log.debug(
    { method, route: routeLabel, status: reply.status, ms: Math.round(seconds * 1000) },
    'request answered',
  );
}
