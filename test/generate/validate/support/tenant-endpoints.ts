// What the network proofs share: the example tenants' rendered NetworkPolicies, a pod endpoint in a
// tenant namespace labelled as the platform labels that Namespace (argocd/clusters/<cluster>/<t>.yaml), and a
// check that lists every flow cyclonus judges otherwise than expected.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kustomizeOverlays, type Manifest } from '../../../../src/generate/validate/index.ts';
import { type ResolvedTenant } from '../../../../src/tenant/types.ts';
import { tenantNamespacesPath } from '../../../../src/tenant/names.ts';
import { REPO_ROOT } from '../../../fixtures/platform-repo.ts';
import { analyzeFlows, type Endpoint, type Flow } from './cyclonus.ts';

/** Every NetworkPolicy of the tenants' overlays, rendered by kustomize. */
export async function renderedNetworkPolicies(tenants: ResolvedTenant[]): Promise<Manifest[]> {
  const rendered = await kustomizeOverlays(
    REPO_ROOT,
    tenants.map((t) => t.name),
  );
  if (rendered.failures.size > 0) throw new Error(`tenant-gitops: kustomize failed: ${[...rendered.failures]}`);
  return [...rendered.objects.values()].flat().filter((o) => o.kind === 'NetworkPolicy');
}

/** A pod in `namespace` of `tenant`, its Namespace labelled exactly as the platform renders it. */
export function tenantPod(
  tenant: ResolvedTenant,
  namespace: string,
  podLabels: Record<string, string>,
  ip: string,
): Endpoint {
  const file = tenantNamespacesPath(tenant.cluster, tenant.name);
  const docs = parseAllDocuments(readFileSync(join(REPO_ROOT, file), 'utf8')).map((d) => d.toJS() as Manifest);
  const ns = docs.find((d) => d.kind === 'Namespace' && d.metadata?.name === namespace);
  if (!ns) throw new Error(`tenant-gitops: ${file} has no Namespace ${namespace}`);
  const labels = { ...(ns.metadata!.labels as Record<string, string>), 'kubernetes.io/metadata.name': namespace };
  return { namespace, namespaceLabels: labels, podLabels, ip };
}

/** The flows cyclonus judges otherwise than expected, named (empty when all agree). */
export function wrongVerdicts(policies: Manifest[], cases: (Flow & { expected: boolean; what: string })[]): string[] {
  const verdicts = analyzeFlows(policies, cases);
  return cases
    .filter((c, i) => verdicts[i] !== c.expected)
    .map((c) => `${c.what}: expected ${c.expected ? 'allowed' : 'denied'}`);
}
