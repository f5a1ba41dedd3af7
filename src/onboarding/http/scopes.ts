// What an API token may do: scopes `verb:tenants`, e.g. `create:acme-*` or `read:*`. The verb is one
// of VERBS or `*`; tenants is `*`, one tenant name, or a name prefix ending in `*`. A token carries
// one or more scopes and may do exactly what one of them allows, nothing by default.
import { ForbiddenError } from '../../shared/errors.ts';
import { DNS_LABEL } from '../../tenant/names.ts';

export const VERBS = ['read', 'create', 'update', 'offboard', 'approve', 'token', 'audit'] as const;
export type Verb = (typeof VERBS)[number];

export interface Scope {
  verb: Verb | '*';
  /** `*`, a tenant name, or `prefix*`. */
  tenants: string;
}

/** Every verb on every tenant: the programmatic default for a bare token (tests, the sandbox). */
export const FULL_ACCESS: readonly Scope[] = [{ verb: '*', tenants: '*' }];

const PREFIX = /^[a-z0-9][a-z0-9-]{0,61}\*$/;

/** A scope from its text, or the reason it is not one. */
export function parseScope(text: string): Scope | string {
  const at = text.indexOf(':');
  if (at <= 0) return `"${text}" is not a scope: write verb:tenants, e.g. read:* or create:acme-*`;
  const verb = text.slice(0, at);
  const tenants = text.slice(at + 1);
  if (verb !== '*' && !(VERBS as readonly string[]).includes(verb))
    return `"${verb}" in "${text}" is not a verb: use one of ${VERBS.join(', ')}, or *`;
  if (tenants !== '*' && !DNS_LABEL.test(tenants) && !PREFIX.test(tenants))
    return `"${tenants}" in "${text}" names no tenants: use *, a tenant name, or a name prefix ending in * (acme-*)`;
  return { verb: verb as Verb | '*', tenants };
}

/** Whether one of `scopes` lets its holder do `verb` to `tenant` (null: a request naming no tenant). */
export function allows(scopes: readonly Scope[], verb: Verb, tenant: string | null): boolean {
  return scopes.some((scope) => grantsVerb(scope, verb) && coversTenant(scope.tenants, tenant));
}

/** Whether one of `scopes` lets its holder do `verb` to any tenant at all. */
export function allowsVerb(scopes: readonly Scope[], verb: Verb): boolean {
  return scopes.some((scope) => grantsVerb(scope, verb));
}

function grantsVerb(scope: Scope, verb: Verb): boolean {
  return scope.verb === '*' || scope.verb === verb;
}

/** Throws FORBIDDEN (403) naming the scope that would allow the request, unless one of the caller's does. */
export function refuseUnlessAllowed(
  caller: { name: string; scopes: readonly Scope[] },
  verb: Verb,
  tenant: string | null,
): void {
  if (allows(caller.scopes, verb, tenant)) return;
  throw new ForbiddenError(
    `the token "${caller.name}" may not ${verb} ${tenant === null ? 'without naming a tenant' : `tenant ${tenant}`} ` +
      `(fix: use a token with the scope ${verb}:${tenant ?? '*'}, or one covering it)`,
  );
}

function coversTenant(pattern: string, tenant: string | null): boolean {
  if (pattern === '*') return true;
  if (tenant === null) return false;
  return pattern.endsWith('*') ? tenant.startsWith(pattern.slice(0, -1)) : tenant === pattern;
}
