// The platform namespaces of a checkout, read the way ArgoCD will apply them: base/platform and the
// argocd/ kustomization rendered by kustomize (one render-overlays process for both), plus the
// namespace the generator itself writes every tenant AppProject into. tenant/platform-namespaces.ts
// holds the rule; this is only the reading, once per run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../shared/errors.ts';
import { ARGOCD_TENANTS_DIR } from '../tenant/names.ts';
import { ARGOCD_NAMESPACE } from '../tenant/platform.ts';
import { namespacesOfObjects, platformNamespaceSet, type PlatformNamespaces } from '../tenant/platform-namespaces.ts';
import { kustomizeDirectories } from './validate/kustomize-overlays.ts';

/** The kustomizations of the platform repository that declare platform objects. */
export const PLATFORM_KUSTOMIZATIONS = ['base/platform', 'base/platform/onboarding-service', 'argocd'] as const;

export async function readPlatformNamespaces(root: string): Promise<PlatformNamespaces> {
  // A folder the repository lacks declares nothing (a repository without argocd/ yet).
  const present = PLATFORM_KUSTOMIZATIONS.filter((dir) => existsSync(join(root, dir, 'kustomization.yaml')));
  let rendered;
  try {
    rendered = await kustomizeDirectories(present.map((dir) => join(root, dir)));
  } catch (error) {
    throw new InputError(
      [
        {
          file: present.join(', '),
          path: '(kustomization)',
          message: `cannot render the platform to learn its namespaces: ${(error as Error).message}`,
          fix: 'fix the kustomization (tenantctl validate reports the same problem)',
        },
      ],
      { cause: error },
    );
  }
  const declared = present.flatMap((dir, i) => [...namespacesOfObjects(dir, rendered[i]!)]);
  declared.push([ARGOCD_NAMESPACE, `${ARGOCD_TENANTS_DIR}: every tenant's AppProject`]);
  return platformNamespaceSet(declared);
}
