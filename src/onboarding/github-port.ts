// The real edges behind SpecPort, ChangePort and GitHubPort: tenant/ validates, generate/render
// renders the overlay and AppProject, github/ commits them on branch tenants/<name> and opens the PR.
import {
  commentOnPullRequest,
  createGitHubClient,
  createWebhookVerifier,
  isSameOrDescendant,
  listDefaultBranchDir,
  openTenantPullRequest,
  readDefaultBranchFile,
  readPullRequest,
  renderPullRequestBody,
  type WebhookVerifier,
} from './github/index.ts';
import type { GitHubAppCredentials } from './github/app-auth.ts';
import type { ContentPacing } from './github/content-pacing.ts';
import type { Logger } from '../shared/log.ts';
import { renderTenant } from '../generate/render/index.ts';
import { InputError } from '../shared/errors.ts';
import { committedCluster } from '../tenant/placement.ts';
import {
  parseClusterYaml,
  parsePlatformNamespacesFile,
  parseTenantValue,
  refusePlatformNamespaces,
  tenantSpecFile,
} from '../tenant/index.ts';
import {
  clusterFilePath,
  CLUSTERS_DIR,
  PLATFORM_NAMESPACES_PATH,
  tenantRecordPath,
  tenantRepositoryPaths,
  tenantSpecPath,
} from '../tenant/names.ts';
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
  /** Exactly one of a token and a GitHub App. */
  token?: string | undefined;
  app?: GitHubAppCredentials | undefined;
  owner: string;
  repo: string;
  webhookSecret: string;
  throttle?: boolean;
  /** Pacing of content-creating requests (github/content-pacing.ts); see GitHubClientOptions. */
  contentPacing?: Partial<ContentPacing> | false;
  /** The platform repository URL written into AppProjects. @default DEFAULT_PLATFORM_REPO_URL */
  platformRepoUrl?: string | undefined;
  log: Logger;
}

export async function loadGitHubEdges(options: GitHubEdgeOptions): Promise<GitHubEdges> {
  if (Boolean(options.token) === Boolean(options.app))
    throw new Error(
      'tenant-gitops: GitHub authentication needs exactly one of a token and a GitHub App ' +
        `(${options.token ? 'both are' : 'neither is'} given)`,
    );
  const gh = createGitHubClient({
    auth: options.app ?? options.token ?? '',
    baseUrl: options.baseUrl,
    owner: options.owner,
    repo: options.repo,
    log: options.log,
    throttle: options.throttle ?? true,
    ...(options.contentPacing !== undefined ? { contentPacing: options.contentPacing } : {}),
  });
  const verifyWebhook = createWebhookVerifier(options.webhookSecret);
  return {
    spec: {
      parse: parseTenantValue,
      // Read on every request, so a platform namespace merged a minute ago already counts.
      refusePlatformNamespaces: async (tenant) => {
        const text = await readDefaultBranchFile(gh, PLATFORM_NAMESPACES_PATH);
        if (text === null) {
          throw new Error(
            `tenant-gitops: ${PLATFORM_NAMESPACES_PATH} is missing on the default branch, so no tenant can be ` +
              'checked against the platform namespaces (fix: run tenantctl generate in the platform repository and merge the result)',
          );
        }
        refusePlatformNamespaces(tenant, parsePlatformNamespacesFile(text), tenantSpecPath(tenant.name));
      },
      readCluster: async (name) => {
        const file = clusterFilePath(name);
        const text = await readDefaultBranchFile(gh, file);
        if (text === null) {
          const names = await listDefaultBranchDir(gh, CLUSTERS_DIR);
          return { known: names.filter((n) => n.endsWith('.yaml')).map((n) => n.slice(0, -'.yaml'.length)) };
        }
        const { cluster, issues } = parseClusterYaml(text, { file, expectedName: name });
        if (!cluster) throw new InputError(issues);
        return { cluster };
      },
      readCommittedCluster: async (tenant) =>
        committedCluster(await readDefaultBranchFile(gh, tenantRecordPath(tenant))),
    },
    change: {
      filesFor: (document, tenant, cluster) => {
        const files = new Map(
          renderTenant(tenant, {
            platformRepoUrl: options.platformRepoUrl,
            clusters: new Map([[tenant.cluster, cluster]]),
          }),
        );
        files.set(tenantSpecPath(tenant.name), tenantSpecFile(document));
        return files;
      },
      offboardPaths: tenantRepositoryPaths,
      pullRequestBody: async (action: PullRequestAction, tenant: ResolvedTenant, headroom) => {
        const previousSpec = action === 'create' ? null : await readDefaultBranchFile(gh, tenantSpecPath(tenant.name));
        return renderPullRequestBody({ action, tenant, previousSpec, headroom });
      },
    },
    github: {
      repository: `${options.owner}/${options.repo}`,
      readPullRequest: (number) => readPullRequest(gh, number),
      openTenantPullRequest: (request) => openTenantPullRequest(gh, request),
      commentOnPullRequest: async (number, body) => {
        await commentOnPullRequest(gh, number, body);
      },
      isSameOrDescendant: (ancestorSha, sha) => isSameOrDescendant(gh, ancestorSha, sha),
    },
    verifyWebhook,
  };
}
