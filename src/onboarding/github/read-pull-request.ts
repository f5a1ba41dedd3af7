// A pull request as GitHub holds it now. The service acts on a PR's merge or close only after
// reading it here: a webhook only says "look again", so a forged, replayed or misdirected delivery
// cannot change a tenant, and the reconciler repairs a delivery that never came.
import type { GitHubClient } from './client.ts';
import { getDefaultBranchName } from './default-branch.ts';
import { githubCall, isStatus } from './errors.ts';

export interface PullRequestTruth {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  /** The merge commit on the base branch, once merged. */
  mergeCommitSha: string | null;
  headRef: string;
  headSha: string;
  baseRef: string;
  /** The repository's default branch, which every tenant PR must target. */
  defaultBranch: string;
  /** The GitHub login that merged it, once merged. */
  mergedBy: string | null;
}

/**
 * Reads the PR conditionally: with the ETag of its last answer in If-None-Match, GitHub answers
 * 304 while it is unchanged, and a 304 does not count against the rate limit; so the reconciler's
 * rounds over every waiting PR cost (nearly) none of it.
 */
export async function readPullRequest(gh: GitHubClient, number: number): Promise<PullRequestTruth> {
  const { octokit, owner, repo } = gh;
  const known = gh.memo.pullRequests.get(number);
  let fields: Omit<PullRequestTruth, 'defaultBranch'>;
  try {
    const response = await githubCall(`reading PR #${number}`, () =>
      octokit.rest.pulls.get({
        owner,
        repo,
        pull_number: number,
        ...(known ? { headers: { 'if-none-match': known.etag } } : {}),
      }),
    );
    const { data } = response;
    fields = {
      number: data.number,
      state: data.state === 'open' ? 'open' : 'closed',
      merged: data.merged === true,
      mergeCommitSha: data.merged === true ? data.merge_commit_sha : null,
      headRef: data.head.ref,
      headSha: data.head.sha,
      baseRef: data.base.ref,
      mergedBy: data.merged === true ? (data.merged_by?.login ?? null) : null,
    };
    const etag = response.headers.etag;
    if (etag) gh.memo.rememberPullRequest(number, etag, fields);
  } catch (error) {
    if (!known || !isStatus(error, 304)) throw error;
    fields = known.fields;
  }
  return { ...fields, defaultBranch: await getDefaultBranchName(gh) };
}
