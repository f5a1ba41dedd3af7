// node:http glue: authentication, JSON bodies, routing by GitHub's path templates, OpenAPI checks
// of every request and response, injected faults, and the admin routes tests and the sandbox use.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppInstallations } from './app-installations.ts';
import { createsContent, type ContentLimiter } from './content-limits.ts';
import type { Faults } from './faults.ts';
import { GITHUB_LIMITS } from './limits.ts';
import { closePullRequest, mergePullRequest } from './merge-pull-request.ts';
import type { OpenApiValidator } from './openapi-validator.ts';
import { matchRoute, type Route, type RouteReply } from './routes.ts';
import { HttpFailure, type GitHubState } from './state.ts';

export interface HandlerDeps {
  state: GitHubState;
  routes: Route[];
  validator: OpenApiValidator;
  faults: Faults;
  /** `METHOD /template` of every API call, in arrival order (retries included). */
  calls: string[];
  /** Accepted tokens; empty = any non-empty token (or, with an App, only the tokens it minted). */
  tokens: string[];
  /** The App installed on the repository: its minted tokens are accepted, and its token route served. */
  app?: AppInstallations | undefined;
  /** GitHub's secondary limit on content creation, when switched on. */
  contentLimits?: ContentLimiter | undefined;
  /** `METHOD /template` of every call answered with a secondary rate limit by contentLimits. */
  secondaryRateLimited: string[];
}

const DOCS = 'https://docs.github.com/rest';
// Large enough for the biggest file GitHub accepts, base64-encoded in JSON, so that the file-size
// limit (a 422, as GitHub answers) is what refuses a big blob rather than this cap.
const MAX_BODY = Math.ceil((GITHUB_LIMITS.fileBytes * 4) / 3) + 1024 * 1024;

export function createHandler(deps: HandlerDeps) {
  return (request: IncomingMessage, response: ServerResponse) => {
    handle(deps, request, response).catch((error: unknown) => {
      send(response, { status: 500, body: { message: error instanceof Error ? error.message : String(error) } });
    });
  };
}

async function handle(deps: HandlerDeps, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://local');
  const method = request.method ?? 'GET';
  const raw = await readBody(request);

  if (url.pathname.startsWith('/_admin/')) {
    send(response, await admin(deps, method, url.pathname));
    return;
  }

  const credentials = /^(?:token|bearer)\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const matched = matchRoute(deps.routes, method, url.pathname);
  const identity = matched?.route.auth === 'app-jwt' ? 'app' : authenticate(deps, credentials);
  if (typeof identity !== 'string') {
    send(response, identity);
    return;
  }

  if (!matched) {
    deps.validator.record({
      operation: `${method} ${url.pathname}`,
      where: 'route',
      message: 'the local server does not implement this endpoint',
    });
    send(response, { status: 404, body: { message: 'Not Found', documentation_url: DOCS } });
    return;
  }
  const { route, params } = matched;
  deps.calls.push(`${method} ${route.template}`);

  let body: unknown;
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      deps.validator.record({
        operation: `${method} ${route.template}`,
        where: 'request',
        message: 'body is not JSON',
      });
      send(response, { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS } });
      return;
    }
  }
  // Octokit sends `{}` for body-less PUTs; GitHub accepts an empty object where a body is optional.
  const checkedBody = method === 'GET' ? (raw.length > 0 ? body : undefined) : body;
  deps.validator.checkRequest(route.template, method, {
    path: params,
    query: url.searchParams,
    body: checkedBody,
    contentType: request.headers['content-type'] ?? '',
  });

  const fault = deps.faults.take(method, route.template);
  if (fault) {
    send(response, fault);
    return;
  }
  const limited = createsContent(method, route.template) ? deps.contentLimits?.take(identity) : null;
  if (limited) {
    deps.secondaryRateLimited.push(`${method} ${route.template}`);
    send(response, limited);
    return;
  }

  let reply: RouteReply;
  try {
    if (route.auth !== 'app-jwt' && (params.owner !== deps.state.owner || params.repo !== deps.state.name))
      throw new HttpFailure(404, 'Not Found');
    reply = await route.handle({
      params,
      query: url.searchParams,
      body: (body ?? {}) as Record<string, unknown>,
      state: deps.state,
      credentials,
    });
  } catch (error) {
    if (!(error instanceof HttpFailure)) throw error;
    const errors = error.errors ? { errors: error.errors } : {};
    reply = {
      status: error.status,
      headers: error.headers,
      body: { message: error.message, ...errors, documentation_url: DOCS },
    };
  }
  reply = conditional(request, method, reply);
  deps.validator.checkResponse(route.template, method, reply.status, reply.body);
  send(response, reply);
}

/**
 * GitHub's conditional requests: a GET answer carries an ETag, and the same GET sent with that
 * ETag in If-None-Match is answered 304 without a body (which GitHub does not count against the
 * rate limit) while the resource is unchanged.
 */
function conditional(request: IncomingMessage, method: string, reply: RouteReply): RouteReply {
  if (method !== 'GET' || reply.status !== 200 || reply.body === undefined) return reply;
  const etag = `W/"${createHash('sha256').update(JSON.stringify(reply.body)).digest('hex').slice(0, 40)}"`;
  const headers = { ...reply.headers, etag };
  if (request.headers['if-none-match'] === etag) return { status: 304, headers };
  return { ...reply, headers };
}

/**
 * Who is calling (the key of the content limits): the installation for a token the App minted,
 * else the token. A reply instead when the token is missing or not accepted.
 */
function authenticate(deps: HandlerDeps, token: string | undefined): string | RouteReply {
  const refuse = (message: string): RouteReply => ({ status: 401, body: { message, documentation_url: DOCS } });
  if (!token) return refuse('Requires authentication');
  if (deps.app) {
    if (deps.app.check(token) === 'valid') return `installation ${deps.app.installationId}`;
    return deps.tokens.includes(token) ? `token ${token}` : refuse('Bad credentials');
  }
  return deps.tokens.length > 0 && !deps.tokens.includes(token) ? refuse('Bad credentials') : `token ${token}`;
}

async function admin(deps: HandlerDeps, method: string, pathname: string): Promise<RouteReply> {
  const merge = /^\/_admin\/pulls\/(\d+)\/(merge|squash|close)$/.exec(pathname);
  try {
    if (method === 'POST' && merge) {
      const number = Number(merge[1]);
      if (merge[2] === 'close') {
        await closePullRequest(deps.state, number);
        return { status: 200, body: { number, state: 'closed', merged: false } };
      }
      const merged = await mergePullRequest(deps.state, number, { method: merge[2] === 'squash' ? 'squash' : 'merge' });
      return { status: 200, body: { number, state: 'closed', merged: true, merge_commit_sha: merged.sha } };
    }
    if (method === 'GET' && pathname === '/_admin/violations') return { status: 200, body: deps.validator.violations };
    if (method === 'GET' && pathname === '/_admin/pulls') return { status: 200, body: [...deps.state.pulls.values()] };
  } catch (error) {
    if (error instanceof HttpFailure) return { status: error.status, body: { message: error.message } };
    throw error;
  }
  return {
    status: 404,
    body: {
      message: 'admin routes: POST /_admin/pulls/{n}/merge|squash|close, GET /_admin/pulls, GET /_admin/violations',
    },
  };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, reply: RouteReply): void {
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'x-github-media-type': 'github.v3; format=json',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    ...reply.headers,
  });
  response.end(text);
}
