// The namespaces the platform itself uses, and the rule that no tenant ever derives one. A tenant
// whose namespace were the onboarding service's own would get tenant-admin there (its Secret holds
// the GitHub token) and, once offboarded, delete the service. The set is read from the platform
// repository, never kept by hand: generate/platform-namespaces.ts renders base/platform and argocd/
// for the CLI, and writes it as tenants/platform-namespaces.json, which the onboarding service reads
// from the default branch. Both then apply platformNamespaceIssues, the one check.
import { z } from 'zod';
import { InputError, type FieldIssue } from '../shared/errors.ts';
import { NAMESPACE_PREFIX, PLATFORM_NAMESPACES_PATH, rootNamespace, subNamespace } from './names.ts';

/** Platform namespace → where the platform declares it, e.g. `base/platform: Namespace argocd`. */
export type PlatformNamespaces = ReadonlyMap<string, string>;

/** Namespaces every Kubernetes cluster has, declared by no file of the platform repository. */
export const KUBERNETES_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'] as const;
const KUBERNETES_DECLARATION = 'Kubernetes: built-in namespace';

/** The few fields of a rendered object that name a namespace. */
export interface PlatformObject {
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown } | Record<string, unknown>;
  subjects?: unknown;
}

/**
 * The namespaces `objects` (one kustomization of the platform repository, rendered) name: every
 * Namespace object, every metadata.namespace, and the namespace of every ServiceAccount an RBAC
 * binding grants to. A Namespace object is the declaration shown; otherwise the first object.
 */
export function namespacesOfObjects(source: string, objects: readonly PlatformObject[]): Map<string, string> {
  const found = new Map<string, string>();
  const note = (namespace: unknown, declaration: string, isNamespaceObject = false) => {
    if (typeof namespace !== 'string' || namespace === '') return;
    if (isNamespaceObject || !found.has(namespace)) found.set(namespace, `${source}: ${declaration}`);
  };
  for (const object of objects) {
    const kind = typeof object.kind === 'string' ? object.kind : 'object';
    const name = typeof object.metadata?.name === 'string' ? object.metadata.name : '';
    if (kind === 'Namespace') note(name, `Namespace ${name}`, true);
    note(object.metadata?.namespace, `${kind} ${name}`);
    if (Array.isArray(object.subjects))
      for (const subject of object.subjects as { kind?: unknown; namespace?: unknown }[])
        if (subject?.kind === 'ServiceAccount') note(subject.namespace, `${kind} ${name} (subject)`);
  }
  return found;
}

/** Everything declared, plus the Kubernetes built-ins, sorted by namespace. */
export function platformNamespaceSet(declared: Iterable<readonly [string, string]>): PlatformNamespaces {
  const all = new Map<string, string>(KUBERNETES_NAMESPACES.map((ns) => [ns, KUBERNETES_DECLARATION]));
  for (const [namespace, declaration] of declared) if (!all.has(namespace)) all.set(namespace, declaration);
  return new Map([...all].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Why a tenant cannot have its namespaces: one derived namespace is a platform namespace, or a
 * platform namespace lies inside the tenant's `tenant-<name>-*` space (offboarding and every other
 * tool take that space for the tenant's own). Empty when none collides.
 */
export function platformNamespaceIssues(
  tenant: { name: string; subNamespaces: readonly string[] },
  platform: PlatformNamespaces,
  file?: string,
): FieldIssue[] {
  const derived = [
    { namespace: rootNamespace(tenant.name), path: 'metadata.name' },
    ...tenant.subNamespaces.map((sub, i) => ({
      namespace: subNamespace(tenant.name, sub),
      path: `spec.subNamespaces[${i}].name`,
    })),
  ];
  return platformCollisions(tenant.name, derived, platform, file);
}

/** Throws the InputError of platformNamespaceIssues (HTTP 422, CLI exit 2) when there is one. */
export function refusePlatformNamespaces(
  tenant: { name: string; subNamespaces: readonly string[] },
  platform: PlatformNamespaces,
  file?: string,
): void {
  const issues = platformNamespaceIssues(tenant, platform, file);
  if (issues.length > 0) throw new InputError(issues);
}

/** The same rule over namespaces already derived (a generated tenant.json), each with its field. */
export function platformCollisions(
  tenant: string,
  derived: readonly { namespace: string; path: string }[],
  platform: PlatformNamespaces,
  file?: string,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const at = file === undefined ? {} : { file };
  for (const { namespace, path } of derived) {
    const declaration = platform.get(namespace);
    if (declaration === undefined) continue;
    issues.push({
      ...at,
      path,
      message: `namespace "${namespace}" is a platform namespace (${declaration}); a tenant never gets a namespace the platform uses`,
      fix:
        `rename the tenant${path === 'metadata.name' ? '' : ' or the sub-namespace'} so that no ` +
        `${NAMESPACE_PREFIX}<name>[-<sub>] namespace is one of ${PLATFORM_NAMESPACES_PATH}`,
    });
  }
  const space = `${rootNamespace(tenant)}-`;
  for (const [namespace, declaration] of platform) {
    if (!namespace.startsWith(space) || derived.some((d) => d.namespace === namespace)) continue;
    issues.push({
      ...at,
      path: derived[0]?.path ?? 'metadata.name',
      message: `platform namespace "${namespace}" (${declaration}) lies inside tenant ${tenant}'s namespaces ${space}*`,
      fix: 'rename the tenant, or move the platform object out of the tenant- prefix',
    });
  }
  return issues;
}

// tenants/platform-namespaces.json: the set as the onboarding service reads it ---------------------

const FILE_COMMENT = [
  'Generated by tenantctl generate from base/platform and argocd/ (as kustomize renders them):',
  'the namespaces no tenant may derive. Do not edit.',
].join(' ');

const fileSchema = z.object({ $comment: z.string().optional(), namespaces: z.record(z.string(), z.string()) });

/** The file's bytes: sorted, stable, so `generate --check` sees any change of the platform. */
export function renderPlatformNamespacesFile(platform: PlatformNamespaces): string {
  return `${JSON.stringify({ $comment: FILE_COMMENT, namespaces: Object.fromEntries(platformNamespaceSet(platform)) }, null, 2)}\n`;
}

/** The set from the file's text; throws naming the file and the fix when it is not that file. */
export function parsePlatformNamespacesFile(text: string): PlatformNamespaces {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success)
    throw new Error(
      `tenant-gitops: ${PLATFORM_NAMESPACES_PATH} is not the generated list of platform namespaces (fix: run tenantctl generate and commit the result)`,
    );
  return platformNamespaceSet(Object.entries(parsed.data.namespaces));
}
