// `tenantctl validate`: render every overlay on disk (batched kustomize), check the isolation
// invariants against each tenant's AppProject, then kubeconform -strict everything the platform
// syncs (overlays, argocd/tenants, base/platform, base/crds) in one process.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { checkOverlayInvariants, type TenantBoundary } from './invariants.ts';
import { kubeconformFiles } from './kubeconform.ts';
import { kustomizeOverlays, type KustomizeOptions, type Manifest } from './kustomize-batch.ts';
import { runProcess } from './run-process.ts';
import { toolPath } from '../tools.ts';

export interface ValidationProblem {
  /** Tenant name, or `platform` for base/. */
  tenant: string;
  file?: string;
  message: string;
}

export interface ValidationReport {
  ok: boolean;
  tenants: number;
  objects: number;
  problems: ValidationProblem[];
}

function readBoundary(root: string, tenant: string): TenantBoundary | string {
  const tenantJson = join(root, 'overlays', tenant, 'tenant.json');
  const project = join(root, 'argocd', 'tenants', `${tenant}.yaml`);
  if (!existsSync(tenantJson)) return `overlays/${tenant}/tenant.json is missing (fix: run tenantctl generate)`;
  if (!existsSync(project)) return `argocd/tenants/${tenant}.yaml is missing (fix: run tenantctl generate)`;
  const meta = JSON.parse(readFileSync(tenantJson, 'utf8')) as { namespaces?: string[] };
  const docs = parseAllDocuments(readFileSync(project, 'utf8')).map((d) => d.toJS() as Manifest);
  const appProject = docs.find((d) => d?.kind === 'AppProject');
  const spec = (appProject?.spec ?? {}) as { namespaceResourceWhitelist?: { group: string; kind: string }[]; destinations?: { namespace: string }[] };
  const destinations = (spec.destinations ?? []).map((d) => d.namespace);
  const namespaces = (meta.namespaces ?? []).filter((ns) => destinations.includes(ns));
  return { tenant, namespaces, allowedKinds: spec.namespaceResourceWhitelist ?? [] };
}

async function platformFiles(root: string, workDir: string): Promise<{ files: string[]; problems: ValidationProblem[] }> {
  const files: string[] = [];
  const problems: ValidationProblem[] = [];
  for (const dir of ['base/platform', 'base/crds/hnc']) {
    if (!existsSync(join(root, dir))) continue;
    const result = await runProcess(toolPath('kubectl'), ['kustomize', join(root, dir)]);
    if (result.code !== 0) {
      problems.push({ tenant: 'platform', file: dir, message: result.stderr.trim() });
      continue;
    }
    const file = join(workDir, `${dir.replaceAll('/', '_')}.yaml`);
    writeFileSync(file, result.stdout);
    files.push(file);
  }
  const argoDir = join(root, 'argocd');
  if (existsSync(argoDir)) {
    for (const entry of readdirSync(argoDir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.yaml') && entry.name !== 'kustomization.yaml') files.push(join(entry.parentPath, entry.name));
    }
  }
  return { files, problems };
}

export function overlayTenants(root: string): string[] {
  const dir = join(root, 'overlays');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

export async function validateRepository(root: string, options: KustomizeOptions & { tenants?: string[] } = {}): Promise<ValidationReport> {
  const tenants = options.tenants ?? overlayTenants(root);
  const problems: ValidationProblem[] = [];
  const rendered = await kustomizeOverlays(root, tenants, options);
  for (const [tenant, message] of rendered.failures) problems.push({ tenant, file: `overlays/${tenant}`, message });

  const workDir = mkdtempSync(join(tmpdir(), 'tenantctl-validate-'));
  try {
    const files: string[] = [];
    const fileTenant = new Map<string, string>();
    let objects = 0;
    for (const [tenant, list] of rendered.objects) {
      objects += list.length;
      const boundary = readBoundary(root, tenant);
      if (typeof boundary === 'string') problems.push({ tenant, message: boundary });
      else for (const message of checkOverlayInvariants(boundary, list)) problems.push({ tenant, file: `overlays/${tenant}`, message });
      const file = join(workDir, `${tenant}.json`);
      writeFileSync(file, list.map((o) => JSON.stringify(o)).join('\n---\n'));
      files.push(file);
      fileTenant.set(file, tenant);
    }
    const platform = await platformFiles(root, workDir);
    problems.push(...platform.problems);
    for (const p of await kubeconformFiles([...files, ...platform.files])) {
      const tenant = fileTenant.get(p.file);
      problems.push({
        tenant: tenant ?? 'platform',
        file: tenant ? `overlays/${tenant}` : p.file.startsWith(root) ? p.file.slice(root.length + 1) : p.file,
        message: `${p.kind}/${p.name}: ${p.message}`,
      });
    }
    return { ok: problems.length === 0, tenants: tenants.length, objects, problems };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
