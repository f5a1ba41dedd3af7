// What the CLI needs from spec/ (owned separately): loading and validating tenants/, the JSON
// Schema text, and the scaffold of a new tenant file.
import type { ResolvedTenant, Tier } from '../spec/types.ts';

export interface LoadedTenant {
  file: string;
  document: unknown;
  tenant: ResolvedTenant;
}

export interface SpecModule {
  /** Throws InputError naming file, field path and fix; reads nothing but tenants/. */
  loadTenants(root: string): Promise<LoadedTenant[]>;
  renderTenantJsonSchemaFile(): string;
  scaffoldTenantYaml(name: string, tier: Tier): string;
  parseTenantYaml(text: string, file: string): unknown;
}

const SPEC_MODULE = '../spec/index.ts';

export async function loadSpecModule(): Promise<SpecModule> {
  return (await import(SPEC_MODULE)) as SpecModule;
}
