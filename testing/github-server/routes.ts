// The shape of a route: GitHub's path template (the key into the OpenAPI description), a method,
// and a handler over the parsed request.
import type { GitHubState } from './state.ts';

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  state: GitHubState;
  /** What the Authorization header carried (a token, or an App's JWT). */
  credentials?: string | undefined;
}

export interface RouteReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  /** Exactly as in GitHub's OpenAPI description. */
  template: string;
  /** 'app-jwt': authenticated by a GitHub App's JWT (checked by the route), not by a token, and not under a repository. */
  auth?: 'app-jwt';
  handle(request: RouteRequest): Promise<RouteReply>;
}

/** Path parameters that may contain slashes (git refs, file paths) take the rest of the path. */
const GREEDY = new Set(['ref', 'path']);

export function matchRoute(
  routes: Route[],
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | null {
  const segments = pathname.split('/').slice(1);
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchTemplate(route.template, segments);
    if (params) return { route, params };
  }
  return null;
}

function matchTemplate(template: string, segments: string[]): Record<string, string> | null {
  const parts = template.split('/').slice(1);
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    const segment = segments[i];
    if (segment === undefined) return null;
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (!name) {
      if (part !== segment) return null;
      continue;
    }
    if (GREEDY.has(name) && i === parts.length - 1) {
      params[name] = segments.slice(i).map(decodeURIComponent).join('/');
      return params[name] ? params : null;
    }
    params[name] = decodeURIComponent(segment);
  }
  return segments.length === parts.length ? params : null;
}

export function str(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * One page of a list, as GitHub pages it: `per_page` (capped) and `page` (1-based), with a Link
 * header naming the next page when there is one, so clients that follow pages stop at the end.
 */
export function pageOf<T>(
  items: T[],
  query: URLSearchParams,
  pageUrl: string,
  sizes: { default: number; max: number },
): { shown: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Number(query.get('per_page') ?? sizes.default) || sizes.default, sizes.max);
  const page = Math.max(Math.trunc(Number(query.get('page') ?? 1)) || 1, 1);
  const shown = items.slice((page - 1) * perPage, page * perPage);
  if (page * perPage >= items.length) return { shown, headers: {} };
  const next = new URLSearchParams(query);
  next.set('page', String(page + 1));
  next.set('per_page', String(perPage));
  return { shown, headers: { link: `<${pageUrl}?${next}>; rel="next"` } };
}
