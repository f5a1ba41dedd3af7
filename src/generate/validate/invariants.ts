// The isolation invariants every rendered overlay must satisfy, checked against the tenant's own
// AppProject (what ArgoCD would enforce) and tenant.json: every object namespaced, in one of the
// tenant's namespaces, of a kind the project allows, labelled with its tenant.
import { appProjectName, LABEL_TENANT } from '../../tenant/names.ts';
import type { Manifest } from './kustomize-overlays.ts';

export interface TenantBoundary {
  tenant: string;
  namespaces: string[];
  /** `group/kind` pairs from the AppProject's namespaceResourceWhitelist. */
  allowedKinds: { group: string; kind: string }[];
}

function groupOf(apiVersion: unknown): string {
  const text = String(apiVersion ?? '');
  return text.includes('/') ? text.split('/')[0]! : '';
}

export function checkOverlayInvariants(boundary: TenantBoundary, objects: Manifest[]): string[] {
  const problems: string[] = [];
  if (objects.length === 0) problems.push('the overlay renders no objects');
  for (const object of objects) {
    const kind = String(object.kind);
    const name = String(object.metadata?.name ?? '?');
    const id = `${kind}/${name}`;
    const namespace = object.metadata?.namespace;
    if (typeof namespace !== 'string' || namespace === '') {
      problems.push(`${id} has no namespace: cluster-scoped or unplaced objects are forbidden in a tenant overlay`);
    } else if (!boundary.namespaces.includes(namespace)) {
      problems.push(
        `${id} is in namespace ${namespace}, outside the tenant's namespaces (${boundary.namespaces.join(', ')})`,
      );
    }
    const group = groupOf(object.apiVersion);
    if (!boundary.allowedKinds.some((k) => k.group === group && k.kind === kind)) {
      problems.push(
        `${id} (${group || 'core'}) is not in AppProject ${appProjectName(boundary.tenant)}'s namespaceResourceWhitelist`,
      );
    }
    const labels = (object.metadata?.labels ?? {}) as Record<string, string>;
    if (labels[LABEL_TENANT] !== boundary.tenant) {
      problems.push(`${id} is not labelled ${LABEL_TENANT}=${boundary.tenant}`);
    }
  }
  return problems;
}
