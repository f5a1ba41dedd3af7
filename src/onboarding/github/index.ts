// The GitHub side of the onboarding service: client, tenant branch + PR, reads, comments,
// history checks, PR body, webhook verification.
export { createGitHubClient, type GitHubClient, type GitHubClientOptions } from './client.ts';
export { type GitHubAppCredentials } from './app-auth.ts';
export { ContentPacer, DEFAULT_CONTENT_PACING, type ContentPacing } from './content-pacing.ts';
export { GitHubRequestError } from './errors.ts';
export { openTenantPullRequest, type OpenedPullRequest, type TenantChange } from './open-tenant-pull-request.ts';
export { readDefaultBranchFile } from './read-default-branch-file.ts';
export { listDefaultBranchDir } from './list-default-branch-dir.ts';
export { listTree } from './list-tree.ts';
export { commentOnPullRequest } from './comment-on-pull-request.ts';
export { isSameOrDescendant } from './compare-commits.ts';
export { readPullRequest, type PullRequestTruth } from './read-pull-request.ts';
export { renderPullRequestBody, type PullRequestBodyInput } from './pull-request-body.ts';
export { createWebhookVerifier, type WebhookVerifier } from './webhooks.ts';
