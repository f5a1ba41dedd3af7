// `tenantctl new <name> --tier <tier>`: scaffold tenants/<name>.yaml; never overwrites.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPlatformNamespaces } from '../generate/platform-namespaces.ts';
import { InputError } from '../shared/errors.ts';
import { tenantSpecPath } from '../tenant/names.ts';
import { TIERS, type Tier } from '../tenant/types.ts';
import { EXIT_OK, parseCommand, printJson, reportError } from './options.ts';
import * as spec from '../tenant/index.ts';

const USAGE = `usage: tenantctl new <name> --tier <${TIERS.join('|')}> [--root DIR] [--json]`;

export async function newCommand(argv: string[]): Promise<number> {
  const { values, positionals, common, help } = parseCommand(argv, { tier: { type: 'string' } }, USAGE);
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  try {
    const [name, ...rest] = positionals;
    if (!name || rest.length > 0) {
      throw new InputError([{ path: 'name', message: 'expected exactly one tenant name', fix: USAGE }]);
    }
    const tier = values.tier;
    if (typeof tier !== 'string' || !(TIERS as readonly string[]).includes(tier)) {
      throw new InputError([{ path: 'spec.tier', message: `--tier must be one of ${TIERS.join(', ')}`, fix: USAGE }]);
    }
    const file = tenantSpecPath(name);
    if (existsSync(join(common.root, file))) {
      throw new InputError([
        {
          file,
          path: 'metadata.name',
          message: `tenant ${name} already exists`,
          fix: 'edit the file, or choose another name',
        },
      ]);
    }
    const text = spec.scaffoldTenantYaml(name, tier as Tier);
    // The scaffold goes through the same validation as every tenant file (name rules included).
    const { tenant } = spec.parseTenantYaml(text, file);
    spec.refusePlatformNamespaces(tenant, await readPlatformNamespaces(common.root), file);
    mkdirSync(join(common.root, 'tenants'), { recursive: true });
    writeFileSync(join(common.root, file), text, { flag: 'wx' });
    if (common.json) printJson({ ok: true, file });
    else process.stdout.write(`tenant-gitops: wrote ${file} (next: tenantctl generate)\n`);
    return EXIT_OK;
  } catch (error) {
    return reportError(error, common.json);
  }
}
