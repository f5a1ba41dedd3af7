// A throwaway platform repository for the generate benchmark: this checkout's base/ and argocd/
// (working tree, so the figures describe what is on disk now) with tenants/ holding N synthetic
// specs and none of the checkout's generated files, so the first generate starts from nothing.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { TENANTS_DIR } from '../../src/tenant/names.ts';
import { listGeneratedFiles } from '../../src/generate/write/index.ts';
import { syntheticCluster } from './cluster.ts';
import { syntheticTenantName, syntheticTenantSpec } from './tenants.ts';

/** Hand-written folders the generator and validator read besides tenants/. */
const PLATFORM_SOURCE_FOLDERS = ['base', 'argocd', 'clusters'] as const;

export interface SyntheticPlatform {
  root: string;
  tenants: number;
  remove(): void;
}

/** A platform in a new folder under `parent` (the system temp folder unless told). */
export function createSyntheticPlatform(checkout: string, tenants: number, parent = tmpdir()): SyntheticPlatform {
  const root = mkdtempSync(join(parent, `bench-generate-${tenants}-`));
  try {
    for (const folder of PLATFORM_SOURCE_FOLDERS)
      cpSync(join(checkout, folder), join(root, folder), { recursive: true });
    // argocd/ carries the checkout's own AppProjects; the generator's definition of its territory
    // says which files those are, so they are dropped without naming them here.
    for (const path of listGeneratedFiles(root)) rmSync(join(root, path));
    mkdirSync(join(root, TENANTS_DIR));
    for (let i = 0; i < tenants; i++) writeSyntheticSpec(root, i);
    // The checkout's cluster is sized for its example tenants; these need one sized for them.
    for (const [path, text] of Object.entries(syntheticCluster(tenants))) writeFileSync(join(root, path), text);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(
      `tenant-gitops: cannot build a synthetic platform with ${tenants} tenants in ${root}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return { root, tenants, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Write tenants/<name>.yaml for synthetic tenant `i`; a non-zero `variant` changes one quota. */
export function writeSyntheticSpec(root: string, i: number, variant = 0): string {
  const name = syntheticTenantName(i);
  writeFileSync(join(root, TENANTS_DIR, `${name}.yaml`), stringify(syntheticTenantSpec(i, variant)));
  return name;
}
