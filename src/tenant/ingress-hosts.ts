// Ingress hostnames a tenant owns: exact DNS names (`shop.acme.example`) and wildcard patterns
// (`*.apps.acme.example`). One grammar for the schema, the JSON Schema, the cross-tenant collision
// check and the tests; the admission policy (base/platform/admission-tenant-ingress.yaml) applies
// the same matching rule in CEL.
import { MAX_HOSTNAME_LENGTH } from './limits.ts';
import type { NameProblem } from './name-rules.ts';

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
/** An exact name (RFC 1123 subdomain, at least two labels) or `*.` and at least two labels. */
export const INGRESS_HOST = new RegExp(`^(\\*\\.)?${LABEL}(\\.${LABEL})+$`);
export const INGRESS_HOST_PATTERN = INGRESS_HOST.source;
const MAX_LABEL_LENGTH = 63;

export function isWildcardHost(host: string): boolean {
  return host.startsWith('*.');
}

/** The grammar of a claimed host, with a fix that says what is allowed. */
export function checkIngressHost(value: string): NameProblem | undefined {
  const shown = JSON.stringify(value);
  const example = 'e.g. "shop.acme.example" or "*.apps.acme.example"';
  if (value.length === 0) return { message: 'ingress host is empty', fix: `write a DNS name, ${example}` };
  if (value.length > MAX_HOSTNAME_LENGTH) {
    return {
      message: `ingress host ${shown.slice(0, 40)}… is ${value.length} characters; a DNS name has at most ${MAX_HOSTNAME_LENGTH}`,
      fix: 'shorten it',
    };
  }
  if (value !== value.toLowerCase() && INGRESS_HOST.test(value.toLowerCase())) {
    return {
      message: `ingress host ${shown} has upper-case letters`,
      fix: `write it in lower case: "${value.toLowerCase()}"`,
    };
  }
  const labels = value.split('.');
  if (value === '*' || (labels[0] === '*' && labels.length < 3)) {
    return {
      message: `ingress host ${shown} is a wildcard over a whole top-level domain (or everything)`,
      fix: 'a wildcard needs at least two labels after "*.", e.g. "*.apps.acme.example"',
    };
  }
  if (labels.slice(1).includes('*') || (value.includes('*') && !isWildcardHost(value))) {
    return {
      message: `ingress host ${shown} has "*" somewhere other than as its whole first label`,
      fix: 'only the first label may be "*", e.g. "*.apps.acme.example"',
    };
  }
  const long = labels.find((label) => label.length > MAX_LABEL_LENGTH);
  if (long !== undefined) {
    return {
      message: `ingress host ${shown} has a label of ${long.length} characters; DNS allows 63`,
      fix: 'shorten it',
    };
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) {
    return {
      message: `ingress host ${shown} ends in a numeric label (an IP address is not an Ingress host)`,
      fix: `write a DNS name, ${example}`,
    };
  }
  if (!INGRESS_HOST.test(value)) {
    return {
      message:
        `ingress host ${shown} is not a DNS name of at least two labels (lowercase letters, digits and "-", ` +
        'each label starting and ending with a letter or digit; no trailing dot, port or path)',
      fix: `write a DNS name, ${example}`,
    };
  }
  return undefined;
}

/**
 * Whether an Ingress may use `host` given the hosts a tenant owns, as the Ingress API defines
 * wildcards: an exact host is owned itself or matches an owned `*.d` by exactly one label; a
 * wildcard host `*.d` needs the pattern `*.d` itself. The admission policy's CEL is the same rule.
 */
export function ingressHostAllowed(owned: readonly string[], host: string): boolean {
  if (owned.includes(host)) return true;
  if (isWildcardHost(host)) return false;
  const dot = host.indexOf('.');
  return dot > 0 && owned.includes(`*${host.slice(dot)}`);
}

/**
 * Whether two tenants' claims can reach the same name. Stricter than ingressHostAllowed: a
 * wildcard `*.d` conflicts with every name below `d` at any depth (`x.d`, `y.x.d`, `*.x.d`),
 * because ingress controllers such as nginx match `*.d` at any depth, so a deeper name of another
 * tenant would be served by this tenant until that tenant creates its own Ingress.
 */
export function ingressClaimsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const below = (wildcard: string, other: string) => isWildcardHost(wildcard) && other.endsWith(wildcard.slice(1));
  return below(a, b) || below(b, a);
}
