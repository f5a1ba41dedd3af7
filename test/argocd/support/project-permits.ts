// A small evaluator of ArgoCD's documented AppProject rules, to check rendered objects against a
// tenant's project without running ArgoCD: destinations (server or name + namespace, globs, `!`
// negation), cluster-scoped kinds only through clusterResourceWhitelist (empty = none), namespaced
// kinds through namespaceResourceWhitelist (absent = all, empty = none) minus the blacklists.
// Mirrors AppProject.IsResourcePermitted / isDestinationMatched / IsGroupKindNamePermitted.

export interface GroupKind {
  group: string;
  kind: string;
  name?: string;
}

export interface AppProjectSpec {
  destinations?: { server?: string; name?: string; namespace?: string }[];
  clusterResourceWhitelist?: GroupKind[];
  clusterResourceBlacklist?: GroupKind[];
  namespaceResourceWhitelist?: GroupKind[];
  namespaceResourceBlacklist?: GroupKind[];
  sourceRepos?: string[];
}

export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

export interface Verdict {
  permitted: boolean;
  reason: string;
}

/** ArgoCD's glob: `*` matches any run of characters (not crossing `separator` when given). */
export function globMatch(pattern: string, value: string, separator?: string): boolean {
  if (pattern === '*') return true;
  const any = separator ? `[^${separator.replace(/[\\\]^-]/g, '\\$&')}]*` : '.*';
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join(any);
  return new RegExp(`^${source}$`).test(value);
}

function negatable(pattern: string, value: string): boolean {
  return pattern.startsWith('!') ? !globMatch(pattern.slice(1), value) : globMatch(pattern, value);
}

/** An Application's destination: a server address, ArgoCD's cluster name, or both. */
export type Destination = string | { server?: string; name?: string };

/** As ArgoCD's isDestinationMatched: the server OR the cluster name matches, and the namespace. */
export function destinationPermitted(spec: AppProjectSpec, destination: Destination, namespace: string): boolean {
  const { server = '', name = '' } = typeof destination === 'string' ? { server: destination } : destination;
  let matchedAny = false;
  for (const item of spec.destinations ?? []) {
    const serverMatched = server !== '' && negatable(item.server ?? '', server);
    const nameMatched = name !== '' && negatable(item.name ?? '', name);
    const namespaceMatched = negatable(item.namespace ?? '', namespace);
    const denied =
      (!nameMatched && (item.name ?? '').startsWith('!')) || (!serverMatched && (item.server ?? '').startsWith('!'));
    if ((serverMatched || nameMatched) && namespaceMatched) matchedAny = true;
    else if (denied && namespaceMatched) return false;
    else if (!namespaceMatched && (item.namespace ?? '').startsWith('!') && serverMatched) return false;
  }
  return matchedAny;
}

function inList(list: GroupKind[], gk: GroupKind): boolean {
  return list.some(
    (item) =>
      globMatch(item.kind, gk.kind) &&
      globMatch(item.group, gk.group) &&
      (!item.name || globMatch(item.name, gk.name ?? '')),
  );
}

export function groupKindPermitted(spec: AppProjectSpec, gk: GroupKind, namespaced: boolean): boolean {
  if (namespaced) {
    const white = spec.namespaceResourceWhitelist;
    const listed = white === undefined || (white.length > 0 && inList(white, gk));
    return listed && !inList(spec.namespaceResourceBlacklist ?? [], gk);
  }
  const white = spec.clusterResourceWhitelist ?? [];
  return white.length > 0 && inList(white, gk) && !inList(spec.clusterResourceBlacklist ?? [], gk);
}

export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/**
 * Whether ArgoCD would let an Application of this project sync `object` to `server` (or the cluster
 * ArgoCD calls `name`).
 * `namespaced` says whether the kind is namespaced; a namespaced object without a namespace lands
 * in the Application's destination namespace, as ArgoCD does it.
 */
export function resourcePermitted(
  spec: AppProjectSpec,
  object: RenderedObject,
  options: { server?: string; name?: string; destinationNamespace: string; namespaced: boolean },
): Verdict {
  const gk = { group: groupOf(object.apiVersion), kind: object.kind, name: object.metadata.name };
  const label = `${object.kind}/${object.metadata.name}`;
  if (!groupKindPermitted(spec, gk, options.namespaced)) {
    const scope = options.namespaced ? 'namespaced' : 'cluster-scoped';
    return {
      permitted: false,
      reason: `${label}: ${scope} kind ${gk.group || 'core'}/${gk.kind} is not permitted in the project`,
    };
  }
  if (!options.namespaced) return { permitted: true, reason: `${label}: cluster-scoped kind permitted` };
  const namespace = object.metadata.namespace ?? options.destinationNamespace;
  if (!destinationPermitted(spec, { server: options.server, name: options.name }, namespace)) {
    return { permitted: false, reason: `${label}: namespace ${namespace} is not a permitted destination` };
  }
  return { permitted: true, reason: `${label}: permitted in ${namespace}` };
}
