// The API's routes: a table of method + path pattern → handler, matched in order.
import { ApiError } from './errors.ts';

export interface Route<H> {
  method: string;
  /** OpenAPI-style template, also the `route` label in metrics. */
  path: string;
  auth: boolean;
  /** Writes and token issuance: every call, allowed or refused, becomes an audit record of this action. */
  audit?: string;
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
