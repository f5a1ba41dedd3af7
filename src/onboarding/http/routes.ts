// The API's routes: a table of method + path pattern → handler, matched in order, and what a
// handler is given (the call) and returns (the reply).
import type { IncomingMessage } from 'node:http';
import type { Principal } from './auth.ts';
import { ApiError } from './errors.ts';
import type { Verb } from './scopes.ts';

export interface Reply {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** The audit record's detail, for an audited route. */
  audit?: string;
}

export interface Call {
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

export type Handler = (call: Call) => Promise<Reply> | Reply;

export interface Route<H> {
  method: string;
  /** OpenAPI-style template, also the `route` label in metrics. */
  path: string;
  auth: boolean;
  /** Writes and token issuance: every call, allowed or refused, becomes an audit record of this action. */
  audit?: string;
  /** A lower body limit than the server's (which is the most any route reads). */
  bodyLimitBytes?: number;
  handler: H;
}

export function matchRoute<H>(
  routes: Route<H>[],
  method: string,
  pathname: string,
): { route: Route<H>; params: Record<string, string> } {
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (!params) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  if (pathMatched) throw new ApiError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${pathname}`);
  throw new ApiError('NOT_FOUND', `no route for ${method} ${pathname}`);
}

function matchPath(template: string, pathname: string): Record<string, string> | null {
  const want = template.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith('{') && w.endsWith('}')) {
      if (g === '') return null;
      params[w.slice(1, -1)] = decodePathSegment(g);
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}

/** A path parameter as text; malformed percent-encoding (`%E0%A4%A`) is the caller's error. */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError('INVALID_PATH', `the path segment "${segment}" is not valid percent-encoded UTF-8`);
  }
}
