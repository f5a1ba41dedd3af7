// The real edges behind SpecPort, ChangePort and GitHubPort: spec/ validates, render/ generates
// the overlay and AppProject, github/ commits them on branch tenants/<name> and opens the PR.
import { Document } from 'yaml';
import type { Logger } from '../log.ts';
import type { ResolvedTenant } from '../spec/types.ts';
import type { WebhookVerifier } from './http/webhook.ts';
import type { ChangePort, GitHubPort, PullRequestAction, SpecPort, TenantPullRequestRequest } from './ports.ts';

export const TENANT_SCHEMA_COMMENT = ' yaml-language-server: $schema=./tenant.schema.json';

export interface GitHubEdges {
  spec: SpecPort;
  change: ChangePort;
  github: GitHubPort;
  verifyWebhook: WebhookVerifier;
}

export interface GitHubEdgeOptions {
  baseUrl?: string;
  token: string;
  owner: string;
  repo: string;
  webhookSecret: string;
  throttle?: boolean;
  log: Logger;
  crashBeforePullRequest: boolean;
}

interface SpecModule {
  parseTenantDocument(doc: unknown, opts?: { file?: string; expectedName?: string }): { document: unknown; tenant: ResolvedTenant };
}
interface RenderModule {
  renderTenant(tenant: ResolvedTenant): Map<string, string>;
}
interface GitHubModule {
  createGitHubClient(options: Record<string, unknown>): unknown;
  openTenantPullRequest(gh: unknown, request: TenantPullRequestRequest): Promise<{ number: number; url: string; headSha: string; created: boolean }>;
  commentOnPullRequest(gh: unknown, number: number, body: string): Promise<unknown>;
  isSameOrDescendant(gh: unknown, ancestorSha: string, sha: string): Promise<boolean>;
  readDefaultBranchFile(gh: unknown, path: string): Promise<string | null>;
  renderPullRequestBody(input: Record<string, unknown>): string;
  createWebhookVerifier(secret: string): unknown;
}

// Loaded by path: spec/, render/ and github/ are separate modules with their own owners.
const SPEC_MODULE = '../spec/index.ts';
const RENDER_MODULE = '../render/index.ts';
const GITHUB_MODULE = '../github/index.ts';

export async function loadGitHubEdges(options: GitHubEdgeOptions): Promise<GitHubEdges> {
  const spec = (await import(SPEC_MODULE)) as SpecModule;
  const render = (await import(RENDER_MODULE)) as RenderModule;
  const github = (await import(GITHUB_MODULE)) as GitHubModule;
  const gh = github.createGitHubClient({
    auth: options.token,
    baseUrl: options.baseUrl,
    owner: options.owner,
    repo: options.repo,
    log: options.log,
    throttle: options.throttle ?? true,
  });
  if (options.crashBeforePullRequest) installCrashBeforePullRequest(gh);
  const verifier = github.createWebhookVerifier(options.webhookSecret);
  return {
    spec: { parse: (document, opts) => spec.parseTenantDocument(document, opts) },
    change: {
      filesFor: (document, tenant) => {
        const files = new Map(render.renderTenant(tenant));
        files.set(`tenants/${tenant.name}.yaml`, tenantSpecFile(document));
        return files;
      },
      offboardPaths: (name) => [`tenants/${name}.yaml`, `overlays/${name}/`, `argocd/tenants/${name}.yaml`],
      pullRequestBody: async (action: PullRequestAction, tenant: ResolvedTenant) => {
        const previous = action === 'create' ? null : await github.readDefaultBranchFile(gh, `tenants/${tenant.name}.yaml`);
        return github.renderPullRequestBody({ action, tenant, previousSpec: previous });
      },
    },
    github: {
      openTenantPullRequest: (request) => github.openTenantPullRequest(gh, request),
      commentOnPullRequest: async (number, body) => {
        await github.commentOnPullRequest(gh, number, body);
      },
      isSameOrDescendant: (ancestorSha, sha) => github.isSameOrDescendant(gh, ancestorSha, sha),
    },
    verifyWebhook: toVerifier(verifier),
  };
}

/** tenants/<name>.yaml: the spec as YAML under the schema comment editors use for completion. */
export function tenantSpecFile(document: unknown): string {
  const yaml = new Document(document);
  yaml.commentBefore = TENANT_SCHEMA_COMMENT;
  return yaml.toString({ lineWidth: 0 });
}

function toVerifier(verifier: unknown): WebhookVerifier {
  if (typeof verifier === 'function') return async (raw, signature) => Boolean(await (verifier as (r: string, s: string) => unknown)(raw, signature));
  const object = verifier as { verify?: (raw: string, signature: string) => unknown };
  if (typeof object.verify === 'function') return async (raw, signature) => Boolean(await object.verify?.(raw, signature));
  throw new Error('tenant-gitops: createWebhookVerifier returned neither a function nor an object with verify()');
}

/**
 * Crash-safety test hook: kill the process with SIGKILL when the PR is about to be created, i.e.
 * after the branch commit exists on GitHub. The restarted service must still end with one PR.
 */
function installCrashBeforePullRequest(gh: unknown): void {
  const octokit = ((gh as { hook?: unknown }).hook ? gh : (gh as { octokit?: unknown }).octokit) as
    | { hook: { before(name: string, fn: (options: { method?: string; url?: string }) => void): void } }
    | undefined;
  if (!octokit?.hook) throw new Error('tenant-gitops: crashBeforePullRequest needs an Octokit client');
  octokit.hook.before('request', (request) => {
    if (request.method === 'POST' && /\/pulls$/.test(request.url ?? '')) process.kill(process.pid, 'SIGKILL');
  });
}
