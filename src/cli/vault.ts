// `tenantctl vault apply`: the platform step that gives Vault the reviewed Vault side of every tenant
// secret store (overlays/<name>/vault.json): each tenant's policy and Kubernetes auth role. The files
// are rendered from the specs as `generate` renders them, so what is applied is what was reviewed;
// a stale repository (generate --check fails) is refused. --prune deletes the policies and roles of
// tenants no longer in the repository, --purge-data their KV folders too. Exit 0 applied, 1 Vault
// refused or failed (what was done so far is printed), 2 bad input (nothing sent to Vault).
import { readFileSync } from 'node:fs';
import { InputError, type FieldIssue } from '../shared/errors.ts';
import { planIsClean, planWrite } from '../generate/write/index.ts';
import type { VaultTenantFile } from '../generate/render/secret-store.ts';
import { tenantRecordPath } from '../tenant/names.ts';
import { applyVaultTenants, describeVaultAction, type VaultAction } from '../vault/apply.ts';
import { vaultClient } from '../vault/client.ts';
import { renderRepository } from './generate.ts';
import { EXIT_OK, parseCommand, printJson, reportError } from './options.ts';

const USAGE =
  'usage: tenantctl vault apply [--addr URL] [--token-file FILE] [--cluster NAME] [--prune [--purge-data]] [--dry-run] [--root DIR] [--json]';

export async function vaultCommand(argv: string[]): Promise<number> {
  const { values, positionals, common, help } = parseCommand(
    argv,
    {
      addr: { type: 'string' },
      'token-file': { type: 'string' },
      cluster: { type: 'string' },
      prune: { type: 'boolean', default: false },
      'purge-data': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    },
    USAGE,
  );
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  const done: VaultAction[] = [];
  try {
    if (positionals.length !== 1 || positionals[0] !== 'apply')
      throw new InputError([
        { path: '(command)', message: `expected "apply", got ${positionals.join(' ') || 'nothing'}`, fix: USAGE },
      ]);
    const issues: FieldIssue[] = [];
    const address = typeof values.addr === 'string' ? values.addr : process.env.VAULT_ADDR;
    if (!address)
      issues.push({ path: '--addr', message: 'is required', fix: "pass Vault's address with --addr or VAULT_ADDR" });
    const token = readToken(values['token-file'], issues);
    if (values['purge-data'] === true && values.prune !== true)
      issues.push({ path: '--purge-data', message: 'needs --prune', fix: 'add --prune, or leave --purge-data out' });
    const { files, allTenants } = await reviewedVaultFiles(common.root);
    const cluster = typeof values.cluster === 'string' ? values.cluster : undefined;
    const selected = cluster === undefined ? files : files.filter((f) => f.cluster === cluster);
    if (cluster !== undefined && selected.length === 0)
      issues.push({
        path: '--cluster',
        message: `no tenant on cluster "${cluster}" has a secret store`,
        fix: `name a cluster whose tenants have one (${[...new Set(files.map((f) => f.cluster))].join(', ') || 'none has'})`,
      });
    if (issues.length > 0) throw new InputError(issues);
    const client = vaultClient({ address: address!, token: token! });
    await applyVaultTenants(client, selected, {
      allTenants,
      prune: values.prune === true,
      purgeData: values['purge-data'] === true,
      dryRun: values['dry-run'] === true,
      onAction: (action) => done.push(action),
    });
    if (common.json) printJson({ ok: true, dryRun: values['dry-run'] === true, actions: done });
    else {
      const verb = values['dry-run'] === true ? 'would' : 'did';
      for (const a of done) process.stdout.write(`${verb} ${describeVaultAction(a)}\n`);
      process.stdout.write(
        `tenant-gitops: ${done.length} Vault changes for ${selected.length} tenants${values['dry-run'] === true ? ' (dry run: none made)' : ''}\n`,
      );
    }
    return EXIT_OK;
  } catch (error) {
    if (done.length > 0 && !common.json)
      process.stderr.write(
        `tenant-gitops: made before the failure: ${done.map((a) => `${a.action} ${a.target}`).join(', ')}\n`,
      );
    return reportError(error, common.json);
  }
}

function readToken(file: unknown, issues: FieldIssue[]): string | undefined {
  if (typeof file !== 'string') {
    if (process.env.VAULT_TOKEN) return process.env.VAULT_TOKEN;
    issues.push({
      path: '--token-file',
      message: 'is required',
      fix: 'pass a file holding a Vault token with --token-file, or set VAULT_TOKEN',
    });
    return undefined;
  }
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token === '')
      issues.push({ path: '--token-file', message: `${file} is empty`, fix: 'write the Vault token into it' });
    return token;
  } catch (error) {
    issues.push({
      path: '--token-file',
      message: `cannot read ${file}: ${(error as Error).message}`,
      fix: 'name a readable file',
    });
    return undefined;
  }
}

/** Every tenant's vault.json as the specs render it, refused when the committed tree differs. */
async function reviewedVaultFiles(root: string): Promise<{ files: VaultTenantFile[]; allTenants: string[] }> {
  const rendered = new Map(await renderRepository(root));
  const plan = planWrite(root, rendered);
  if (!planIsClean(plan)) {
    const paths = [...plan.differing, ...plan.missing, ...plan.extra];
    throw new InputError([
      {
        path: '(repository)',
        message:
          `the generated files are stale or hand-edited (${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', …' : ''}), ` +
          'so Vault would not get what was reviewed',
        fix: 'run tenantctl generate, commit the result through review, and apply from that commit',
      },
    ]);
  }
  const files: VaultTenantFile[] = [];
  const allTenants: string[] = [];
  for (const [path, text] of rendered) {
    if (path.endsWith('/vault.json')) files.push(JSON.parse(text) as VaultTenantFile);
    const tenant = /^overlays\/([^/]+)\/tenant\.json$/.exec(path)?.[1];
    if (tenant !== undefined && path === tenantRecordPath(tenant)) allTenants.push(tenant);
  }
  return { files, allTenants };
}
