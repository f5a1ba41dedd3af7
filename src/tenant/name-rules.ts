// Tenant and sub-namespace names: DNS-1123 labels that stay valid once turned into namespaces,
// never a platform namespace, never something a path join could escape with.
import { DNS_LABEL, MAX_NAMESPACE_LENGTH, NAMESPACE_PREFIX, rootNamespace, subNamespace } from './names.ts';

/** Names the platform itself uses: a tenant called `argocd` would be granted `tenant-argocd`, but
 *  reviewers and tools would still confuse it with the real one. */
export const RESERVED_NAMES = [
  'admin',
  'argocd',
  'cert-manager',
  'default',
  'gitops',
  'hnc-system',
  'ingress-nginx',
  'kube',
  'monitoring',
  'platform',
  'system',
  'tenant',
  'tenant-gitops',
  'tenants',
] as const;
const RESERVED_PREFIXES = ['kube-', 'openshift-', 'system-'];

export interface NameProblem {
  message: string;
  fix: string;
}

/** A DNS-1123 label (any namespace name, e.g. an ingress source). */
export function checkDnsLabel(value: string, what: string): NameProblem | undefined {
  if (value.includes('/') || value.includes('\\') || value.includes('..')) {
    const bare = value
      .split(/[\\/]/)
      .filter((part) => part && part !== '.' && part !== '..')
      .pop();
    return {
      message: `${what} "${value}" looks like a path; names become namespaces and file names and must not contain "/", "\\" or ".."`,
      fix: bare && DNS_LABEL.test(bare) ? `use the bare name "${bare}"` : 'use a bare DNS label such as "acme"',
    };
  }
  if (value.length === 0) return { message: `${what} is empty`, fix: 'use a DNS label such as "acme"' };
  if (value.length > MAX_NAMESPACE_LENGTH) {
    return {
      message: `${what} "${value}" is ${value.length} characters; a DNS label has at most 63`,
      fix: 'shorten it',
    };
  }
  if (!DNS_LABEL.test(value)) {
    const suggestion = value
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '');
    return {
      message: `${what} "${value}" is not a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit)`,
      fix:
        suggestion && DNS_LABEL.test(suggestion) ? `use "${suggestion}"` : 'use lowercase letters, digits and "-" only',
    };
  }
  return undefined;
}

/** A tenant name or sub-namespace name: a DNS label that is not reserved. */
export function checkTenantName(value: string, what: string): NameProblem | undefined {
  const label = checkDnsLabel(value, what);
  if (label) return label;
  const prefix = RESERVED_PREFIXES.find((p) => value.startsWith(p));
  if ((RESERVED_NAMES as readonly string[]).includes(value) || prefix) {
    return {
      message: `${what} "${value}" is reserved for the platform (${prefix ? `names starting with "${prefix}"` : `"${value}"`})`,
      fix: "choose another name, e.g. the customer's company name",
    };
  }
  if (value.startsWith(NAMESPACE_PREFIX)) {
    return {
      message: `${what} "${value}" starts with "${NAMESPACE_PREFIX}", which every tenant namespace already gets`,
      fix: `use "${value.slice(NAMESPACE_PREFIX.length) || 'acme'}"`,
    };
  }
  return undefined;
}

/** The longest namespace this tenant derives, when it exceeds 63 characters. */
export function longestDerivedNamespace(name: string, subs: string[]): string {
  const all = [rootNamespace(name), ...subs.map((s) => subNamespace(name, s))];
  return all.reduce((longest, ns) => (ns.length > longest.length ? ns : longest), '');
}
