// The service's HTTP server on node:http: authentication, per-token limits, the audit, body limits,
// JSON errors, metrics, and the operational routes; the tenant API's routes are tenant-routes.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../../shared/log.ts';
import type { ServiceMetrics } from '../metrics.ts';
import { openApiDocument } from './openapi.ts';
import type { OnboardingService } from '../service.ts';
import type { ApiTokenAuthenticator, Principal } from './auth.ts';
import { DEFAULT_TOKEN_LIMITS, RateLimitedError, TokenLimiter, type TokenLimits } from './rate-limit.ts';
import { ApiError, toErrorResponse } from './errors.ts';
import { TenantBusyError } from '../../shared/errors.ts';
import { matchRoute, type Handler, type Reply, type Route } from './routes.ts';
import { tenantApiRoutes } from './tenant-routes.ts';
import { recordAudit, type AuditSubject } from './audit.ts';
import { readRawBody } from './body.ts';
import { refuseUnlessAllowed, type Verb } from './scopes.ts';
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
  /** Per API token; GitHub's webhooks are never limited. */
  tokenLimits?: Partial<TokenLimits>;
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

const NOBODY: Principal = { name: '', scopes: [] };

export function createServiceHttpServer(options: HttpServerOptions): Server {
  const { service } = options;

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
    ...tenantApiRoutes(service),
  ];

  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.connections };
  const limiter = new TokenLimiter({ ...DEFAULT_TOKEN_LIMITS, ...options.tokenLimits });
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node checks both timeouts on this clock (30 s by default, which would triple a 10 s limit).
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs / 2),
    },
    (request, response) => {
      void handle(request, response, routes, options, limiter);
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
  limiter: TokenLimiter,
): Promise<void> {
  const started = process.hrtime.bigint();
  const url = new URL(request.url ?? '/', 'http://service.local');
  const method = request.method ?? 'GET';
  let routeLabel = 'unmatched';
  let reply: Reply;
  let audited: AuditSubject | null = null;
  let release: (() => void) | undefined;
  try {
    const { route, params } = matchRoute(routes, method, url.pathname);
    routeLabel = route.path;
    let caller = NOBODY;
    if (route.auth) {
      caller = options.auth.authenticate(request.headers['authorization']) ?? NOBODY;
      if (caller === NOBODY)
        throw new ApiError('UNAUTHORIZED', 'a valid bearer token is required (Authorization: Bearer <token>)');
      release = limiter.acquire(caller.name);
    }
    const subject = route.audit
      ? (audited = { action: route.audit, caller: caller.name, tenant: params['name'] ?? null })
      : null;
    let rawBody: Promise<Buffer> | undefined;
    const limit = Math.min(options.bodyLimitBytes, route.bodyLimitBytes ?? Number.POSITIVE_INFINITY);
    const raw = () => (rawBody ??= readRawBody(request, limit));
    const authorize = (verb: Verb, tenant: string | null) => {
      if (subject) subject.tenant = tenant;
      refuseUnlessAllowed(caller, verb, tenant);
    };
    reply = await route.handler({ request, url, params, caller, raw, authorize });
  } catch (error) {
    reply = toErrorResponse(error, options.log);
    if (reply.status === 401) response.setHeader('www-authenticate', 'Bearer');
    if (error instanceof RateLimitedError) response.setHeader('retry-after', String(error.retryAfterSeconds));
    if (error instanceof TenantBusyError) response.setHeader('retry-after', '2');
    // The body is not (all) read: closing the connection spares reading what the client still sends.
    if (reply.status === 429 || reply.status === 413) response.setHeader('connection', 'close');
  }
  if (audited) reply = recordAudit(options.service, options.log, audited, reply);
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'content-type': reply.contentType ?? 'application/json',
    'content-length': Buffer.byteLength(text),
    ...reply.headers,
  });
  response.end(text);
  release?.();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  options.metrics.countRequest(method, routeLabel, reply.status, seconds);
  options.log.debug(
    { method, route: routeLabel, status: reply.status, ms: Math.round(seconds * 1000) },
    'request answered',
  );
}
