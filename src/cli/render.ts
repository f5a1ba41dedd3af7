// `tenantctl render <name>`: the manifests one tenant gets, from its current spec (not from what is
// on disk): the argocd/tenants file (AppProject, Namespaces) and `kubectl kustomize` of its overlay.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NotFoundError } from '../shared/errors.ts';
import { renderTenant } from '../generate/render/index.ts';
import { toolPath } from '../shared/tools.ts';
import { parseManifests } from '../generate/validate/index.ts';
import { runProcess } from '../generate/validate/run-process.ts';
import { EXIT_FAILED, EXIT_INVALID_INPUT, EXIT_OK, parseCommand, printJson, reportError } from './options.ts';
import * as spec from '../tenant/index.ts';
import { argocdTenantPath, overlayDir } from '../tenant/names.ts';
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
    const files = renderTenant(loaded.tenant, { platformRepoUrl: platformRepoUrlFromEnv(process.env) });
    cpSync(join(common.root, 'base'), join(work, 'base'), { recursive: true });
    for (const [path, text] of files) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), text);
    }
    const result = await runProcess(toolPath('kubectl'), ['kustomize', join(work, overlayDir(name))]);
    if (result.code !== 0)
      throw new Error(`tenant-gitops: kubectl kustomize ${overlayDir(name)} failed: ${result.stderr.trim()}`);
    const platformPart = files.get(argocdTenantPath(name))!;
    if (common.json) printJson([...parseManifests(platformPart), ...parseManifests(result.stdout)]);
    else
      process.stdout.write(
        `# ${argocdTenantPath(name)} (platform app)\n${platformPart}---\n# ${overlayDir(name)} (tenant app)\n${result.stdout}`,
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
