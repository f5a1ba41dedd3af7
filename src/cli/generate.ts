// `tenantctl generate [--check]`: tenants/*.yaml → overlays/ and argocd/tenants/. Specs are all
// validated before anything is written; --check writes nothing and lists what differs.
import { readPlatformNamespaces } from '../generate/platform-namespaces.ts';
import { renderTree } from '../generate/render/index.ts';
import { openTreeWriter, planIsClean, planWrite, type TreeWriter } from '../generate/write/index.ts';
import { EXIT_FAILED, EXIT_OK, parseCommand, printJson, reportError } from './options.ts';
import * as spec from '../tenant/index.ts';
import { platformRepoUrlFromEnv } from '../tenant/platform.ts';

const USAGE = 'usage: tenantctl generate [--check] [--root DIR] [--json]';

/** Every generated file of the repository, rendered lazily; every spec is loaded and validated first. */
export async function renderRepository(root: string): Promise<Iterable<[string, string]>> {
  // kustomize renders the platform in its own process while the specs are read.
  const platformNamespaces = readPlatformNamespaces(root);
  platformNamespaces.catch(() => {});
  const { tenants, clusters } = await spec.loadPlatform(root, { platformNamespaces });
  return renderTree(
    tenants.map((l) => l.tenant),
    {
      tenantSchemaText: spec.renderTenantJsonSchemaFile(),
      clusterSchemaText: spec.renderClusterJsonSchemaFile(),
      platformNamespacesText: spec.renderPlatformNamespacesFile(await platformNamespaces),
      platformRepoUrl: platformRepoUrlFromEnv(process.env),
      clusters,
    },
  );
}

export async function generateCommand(argv: string[]): Promise<number> {
  const { values, common, help } = parseCommand(argv, { check: { type: 'boolean', default: false } }, USAGE);
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  // The writer thread starts while the specs load; if one is invalid it is closed unused.
  const writer: TreeWriter | undefined = values.check === true ? undefined : openTreeWriter(common.root);
  try {
    const files = await renderRepository(common.root);
    if (writer === undefined) {
      const rendered = new Map(files);
      const plan = planWrite(common.root, rendered);
      const clean = planIsClean(plan);
      if (common.json) printJson({ ok: clean, differing: plan.differing, extra: plan.extra, missing: plan.missing });
      else if (clean) process.stdout.write(`tenant-gitops: ${rendered.size} generated files are up to date\n`);
      else {
        const lines = [
          ...plan.differing.map((p) => `differs  ${p}`),
          ...plan.missing.map((p) => `missing  ${p}`),
          ...plan.extra.map((p) => `extra    ${p}`),
        ];
        process.stderr.write(
          `tenant-gitops: generated files are stale or hand-edited (fix: run tenantctl generate and commit the result)\n${lines.join('\n')}\n`,
        );
      }
      return clean ? EXIT_OK : EXIT_FAILED;
    }
    const result = await writer.write(files);
    if (common.json)
      printJson({ ok: true, written: result.written, removed: result.removed, unchanged: result.unchanged });
    else {
      process.stdout.write(
        `tenant-gitops: ${result.written.length} files written, ${result.removed.length} removed, ${result.unchanged} unchanged\n`,
      );
    }
    return EXIT_OK;
  } catch (error) {
    return reportError(error, common.json);
  } finally {
    await writer?.close();
  }
}
