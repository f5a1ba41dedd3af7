// `tenantctl render <name>`: the manifests one tenant gets, from its current spec (not from what is
// on disk): its AppProject (argocd/tenants), its Namespaces (argocd/clusters/<cluster>) and its overlay
// rendered by kustomize (render-overlays, as validate renders it), with the clusters registry's ArgoCD
// names and Vaults as generate writes them.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NotFoundError } from '../shared/errors.ts';
import { renderTenant } from '../generate/render/index.ts';
import { kustomizeDirectory, parseManifests } from '../generate/validate/index.ts';
import { yamlStream } from '../generate/render/yaml-text.ts';
import { EXIT_FAILED, EXIT_INVALID_INPUT, EXIT_OK, parseCommand, printJson, reportError } from './options.ts';
import * as spec from '../tenant/index.ts';
import { renderClusters } from '../tenant/clusters.ts';
import { argocdTenantPath, overlayDir, tenantNamespacesPath } from '../tenant/names.ts';
import { platformRepoUrlFromEnv } from '../tenant/platform.ts';

const USAGE = 'usage: tenantctl render <name> [--root DIR] [--json]';

export async function renderCommand(argv: string[]): Promise<number> {
  const { positionals, common, help } = parseCommand(argv, {}, USAGE);
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const [name] = positionals;
  if (!name || positionals.length !== 1) {
    process.stderr.write(`tenant-gitops: expected one tenant name\n${USAGE}\n`);
    return EXIT_INVALID_INPUT;
  }
  const work = mkdtempSync(join(tmpdir(), 'tenantctl-render-'));
  try {
    const loaded = (await spec.loadTenants(common.root)).find((l) => l.tenant.name === name);
    if (!loaded) throw new NotFoundError(`no tenant ${name} in tenants/ (fix: tenantctl new ${name} --tier <tier>)`);
    const files = renderTenant(loaded.tenant, {
      platformRepoUrl: platformRepoUrlFromEnv(process.env),
      clusters: renderClusters(common.root),
    });
    cpSync(join(common.root, 'base'), join(work, 'base'), { recursive: true });
    for (const [path, text] of files) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), text);
    }
    const overlay = await kustomizeDirectory(join(work, overlayDir(name)));
    // The tenant's platform part: its AppProject (platform app) and its Namespaces (its cluster's app).
    const cluster = loaded.tenant.cluster;
    const platformParts = [
      [argocdTenantPath(name), 'platform app'],
      [tenantNamespacesPath(cluster, name), `cluster-${cluster} app`],
    ].map(([path, app]) => [path!, app!, files.get(path!)!] as const);
    if (common.json) printJson([...platformParts.flatMap(([, , text]) => parseManifests(text)), ...overlay]);
    else
      process.stdout.write(
        [
          ...platformParts.map(([path, app, text]) => `# ${path} (${app})\n${text}`),
          `# ${overlayDir(name)} (tenant app)\n${yamlStream(overlay)}`,
        ].join('---\n'),
      );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof NotFoundError) {
      reportError(error, common.json);
      return EXIT_INVALID_INPUT;
    }
    return reportError(error, common.json) || EXIT_FAILED;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
