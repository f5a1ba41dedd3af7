// `tenantctl validate`: render every overlay on disk (kustomize-overlays.ts), check the isolation
// invariants against each tenant's AppProject, and kubeconform -strict everything the platform
// syncs (overlays, argocd/tenants, base/platform, base/crds), batch by batch as overlays render;
// meanwhile the specs and the clusters registry get generate's checks, the capacity gate included.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { checkOverlayInvariants, type TenantBoundary } from './invariants.ts';
import { KubeconformQueue } from './kubeconform-queue.ts';
import {
  kustomizeDirectory,
  kustomizeOverlays,
  type KustomizeOptions,
  type KustomizeOutcome,
  type Manifest,
} from './kustomize-overlays.ts';
import { yamlStream } from '../render/yaml-text.ts';
import { InputError } from '../../shared/errors.ts';
import { loadPlatform } from '../../tenant/load-platform.ts';
import { argocdTenantPath, OVERLAYS_DIR, overlayDir, TENANTS_DIR, tenantRecordPath } from '../../tenant/names.ts';
import { platformCollisions, type PlatformNamespaces } from '../../tenant/platform-namespaces.ts';
import { readPlatformNamespaces } from '../platform-namespaces.ts';

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
  const tenantJson = tenantRecordPath(tenant);
  const project = argocdTenantPath(tenant);
  if (!existsSync(join(root, tenantJson))) return `${tenantJson} is missing (fix: run tenantctl generate)`;
  if (!existsSync(join(root, project))) return `${project} is missing (fix: run tenantctl generate)`;
  const meta = JSON.parse(readFileSync(join(root, tenantJson), 'utf8')) as { namespaces?: string[] };
  const appProject = appProjectOf(readFileSync(join(root, project), 'utf8'));
  const spec = (appProject?.spec ?? {}) as {
    namespaceResourceWhitelist?: { group: string; kind: string }[];
    destinations?: { namespace: string }[];
  };
  const destinations = (spec.destinations ?? []).map((d) => d.namespace);
  const namespaces = (meta.namespaces ?? []).filter((ns) => destinations.includes(ns));
  return { tenant, namespaces, allowedKinds: spec.namespaceResourceWhitelist ?? [] };
}

const isAppProject = (doc: Manifest | null | undefined): doc is Manifest => doc?.kind === 'AppProject';

/**
 * The AppProject of an argocd/tenants file. The generator writes it as its own document with a
 * `kind: AppProject` line, so only that document is parsed: the tenant's Namespaces, most of the
 * file, cost a third of validate's own time at 1,000 tenants. Any other layout (a hand edit) is
 * read whole, as before.
 */
function appProjectOf(text: string): Manifest | undefined {
  const own = text.split(/^---$/m).find((doc) => /^kind: AppProject$/m.test(doc));
  if (own !== undefined) {
    const doc = parseDocument(own);
    const value = doc.errors.length === 0 ? (doc.toJS() as Manifest | null) : undefined;
    if (isAppProject(value)) return value;
  }
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Manifest | null)
    .find(isAppProject);
}

async function platformFiles(
  root: string,
  workDir: string,
): Promise<{ files: string[]; problems: ValidationProblem[] }> {
  const files: string[] = [];
  const problems: ValidationProblem[] = [];
  for (const dir of ['base/platform', 'base/platform/onboarding-service', 'base/crds/hnc']) {
    if (!existsSync(join(root, dir))) continue;
    let objects: Manifest[];
    try {
      objects = await kustomizeDirectory(join(root, dir));
    } catch (error) {
      problems.push({ tenant: 'platform', file: dir, message: (error as Error).message });
      continue;
    }
    const file = join(workDir, `${dir.replaceAll('/', '_')}.yaml`);
    writeFileSync(file, yamlStream(objects));
    files.push(file);
  }
  const argoDir = join(root, 'argocd');
  if (existsSync(argoDir)) {
    for (const entry of readdirSync(argoDir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.yaml') && entry.name !== 'kustomization.yaml')
        files.push(join(entry.parentPath, entry.name));
    }
  }
  return { files, problems };
}

/** Overlays whose namespaces the platform uses (tenant/platform-namespaces.ts, the rule generate applies). */
function platformNamespaceProblems(boundaries: TenantBoundary[], platform?: PlatformNamespaces): ValidationProblem[] {
  if (platform === undefined) return [];
  return boundaries.flatMap(({ tenant, namespaces }) =>
    platformCollisions(
      tenant,
      namespaces.map((namespace, i) => ({ namespace, path: `namespaces[${i}]` })),
      platform,
    ).map((issue) => ({ tenant, file: overlayDir(tenant), message: `${issue.message} (fix: ${issue.fix})` })),
  );
}

export function overlayTenants(root: string): string[] {
  const dir = join(root, OVERLAYS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Orders problems by the tenants' order (platform last): batches finish in any order. */
function byTenantOrder(tenants: string[], problems: ValidationProblem[]): ValidationProblem[] {
  const rank = new Map(tenants.map((t, i) => [t, i]));
  const rankOf = (p: ValidationProblem) => rank.get(p.tenant) ?? tenants.length;
  return problems
    .map((p, i) => [p, i] as const)
    .sort(([a, i], [b, j]) => rankOf(a) - rankOf(b) || i - j)
    .map(([p]) => p);
}

/**
 * The reviewed files' own checks (tenant specs, the clusters registry, placement and the capacity
 * gate), as `generate` applies them; a repository without tenants/ has none to check.
 */
async function specProblems(root: string): Promise<ValidationProblem[]> {
  if (!existsSync(join(root, TENANTS_DIR))) return [];
  try {
    await loadPlatform(root);
    return [];
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.issues.map((issue) => ({
      tenant: issue.file?.startsWith(`${TENANTS_DIR}/`)
        ? issue.file.slice(TENANTS_DIR.length + 1, -'.yaml'.length)
        : 'platform',
      ...(issue.file ? { file: issue.file } : {}),
      message: `${issue.path}: ${issue.message}${issue.fix ? ` (fix: ${issue.fix})` : ''}`,
    }));
  }
}

export async function validateRepository(
  root: string,
  options: Omit<KustomizeOptions, 'onBatch'> & { tenants?: string[] } = {},
): Promise<ValidationReport> {
  const tenants = options.tenants ?? overlayTenants(root);
  const workDir = mkdtempSync(join(tmpdir(), 'tenantctl-validate-'));
  try {
    const schemas = new KubeconformQueue();
    const fileTenant = new Map<string, string>();
    const invariantProblems: ValidationProblem[] = [];
    const boundaries: TenantBoundary[] = [];
    let objects = 0;
    // Each batch is checked and handed to kubeconform as soon as it renders, while others render.
    const checkBatch = (batch: KustomizeOutcome) => {
      const files: string[] = [];
      for (const [tenant, list] of batch.objects) {
        objects += list.length;
        const boundary = readBoundary(root, tenant);
        if (typeof boundary === 'string') invariantProblems.push({ tenant, message: boundary });
        else {
          boundaries.push(boundary);
          for (const message of checkOverlayInvariants(boundary, list))
            invariantProblems.push({ tenant, file: overlayDir(tenant), message });
        }
        const file = join(workDir, `${tenant}.json`);
        writeFileSync(file, list.map((o) => JSON.stringify(o)).join('\n---\n'));
        files.push(file);
        fileTenant.set(file, tenant);
      }
      schemas.add(files);
    };
    const platform = platformFiles(root, workDir);
    // Awaited below; without this a rejection while the overlays render would go unhandled.
    platform.catch(() => {});
    // A platform kustomize refuses is reported by platformFiles; its namespaces are then unknown.
    const platformNamespaces = readPlatformNamespaces(root).catch(() => undefined);
    const specs = specProblems(root);
    specs.catch(() => {});
    const rendered = await kustomizeOverlays(root, tenants, { ...options, onBatch: checkBatch });
    const { files: platformFileList, problems: platformProblems } = await platform;
    schemas.add(platformFileList);
    const schemaProblems: ValidationProblem[] = (await schemas.finish()).map((p) => {
      const tenant = fileTenant.get(p.file);
      return {
        tenant: tenant ?? 'platform',
        file: tenant ? overlayDir(tenant) : p.file.startsWith(root) ? p.file.slice(root.length + 1) : p.file,
        message: `${p.kind}/${p.name}: ${p.message}`,
      };
    });
    invariantProblems.push(...platformNamespaceProblems(boundaries, await platformNamespaces));
    const failures = [...rendered.failures].map(([tenant, message]) => ({ tenant, file: overlayDir(tenant), message }));
    const problems = [
      ...(await specs),
      ...byTenantOrder(tenants, failures),
      ...byTenantOrder(tenants, invariantProblems),
      ...platformProblems,
      ...byTenantOrder(tenants, schemaProblems),
    ];
    return { ok: problems.length === 0, tenants: tenants.length, objects, problems };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
