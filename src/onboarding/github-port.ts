// The real edges behind SpecPort, ChangePort and GitHubPort: tenant/ validates, generate/render
// renders the overlay and AppProject, github/ commits them on branch tenants/<name> and opens the PR.
import { Document, parse as parseYaml } from 'yaml';
import {
  commentOnPullRequest,
  createGitHubClient,
  createWebhookVerifier,
  isSameOrDescendant,
  openTenantPullRequest,
  readDefaultBranchFile,
  renderPullRequestBody,
  type GitHubClient,
  type WebhookVerifier,
} from './github/index.ts';
import type { Logger } from '../shared/log.ts';
import { renderTenant } from '../generate/render/index.ts';
import { parseTenantDocument } from '../tenant/index.ts';
import { TENANT_SCHEMA_COMMENT, tenantRepositoryPaths, tenantSpecPath } from '../tenant/names.ts';
import type { ResolvedTenant } from '../tenant/types.ts';
import type { ChangePort, GitHubPort, PullRequestAction, SpecPort } from './ports.ts';

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
  /** The platform repository URL written into AppProjects. @default DEFAULT_PLATFORM_REPO_URL */
  platformRepoUrl?: string | undefined;
  log: Logger;
}

export async function loadGitHubEdges(options: GitHubEdgeOptions): Promise<GitHubEdges> {
  const gh = createGitHubClient({
    auth: options.token,
    baseUrl: options.baseUrl,
    owner: options.owner,
    repo: options.repo,
    log: options.log,
    throttle: options.throttle ?? true,
  });
  const verifyWebhook = createWebhookVerifier(options.webhookSecret);
  const parse: SpecPort['parse'] = (document, opts) => parseTenantDocument(document, opts);
  return {
    spec: { parse },
    change: {
      filesFor: (document, tenant) => {
        const files = new Map(renderTenant(tenant, { platformRepoUrl: options.platformRepoUrl }));
        files.set(tenantSpecPath(tenant.name), tenantSpecFile(document));
        return files;
      },
      offboardPaths: tenantRepositoryPaths,
      pullRequestBody: async (action: PullRequestAction, tenant: ResolvedTenant) => {
        const previous = action === 'create' ? null : await tenantOnMain(gh, parse, tenant.name);
        return renderPullRequestBody({ action, tenant, previous });
      },
    },
    github: {
      openTenantPullRequest: (request) => openTenantPullRequest(gh, request),
      commentOnPullRequest: async (number, body) => {
        await commentOnPullRequest(gh, number, body);
      },
      isSameOrDescendant: (ancestorSha, sha) => isSameOrDescendant(gh, ancestorSha, sha),
    },
    verifyWebhook,
  };
}

/** tenants/<name>.yaml: the spec as YAML under the schema comment editors use for completion. */
export function tenantSpecFile(document: unknown): string {
  const yaml = new Document(document);
  yaml.commentBefore = TENANT_SCHEMA_COMMENT;
  return yaml.toString({ lineWidth: 0 });
}

/** The tenant as it is on main, for the PR body's "change from main"; null when absent or unreadable. */
async function tenantOnMain(gh: GitHubClient, parse: SpecPort['parse'], name: string): Promise<ResolvedTenant | null> {
  const text = await readDefaultBranchFile(gh, tenantSpecPath(name));
  if (text === null) return null;
  try {
    return parse(parseYaml(text) as unknown, { expectedName: name }).tenant;
  } catch {
    return null;
  }
}
