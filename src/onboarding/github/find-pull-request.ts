// The open PR of a branch, if any: the key to "never open a second PR for the same tenant".
import type { GitHubClient } from './client.ts';
import { githubCall } from './errors.ts';

export interface PullRequestRef {
  number: number;
  url: string;
}

export async function findOpenPullRequest(
  gh: GitHubClient,
  branch: string,
  base: string,
): Promise<PullRequestRef | null> {
  const { octokit, owner, repo } = gh;
  const open = await githubCall(`looking for the open PR of ${branch}`, () =>
    octokit.rest.pulls.list({ owner, repo, state: 'open', head: `${owner}:${branch}`, base, per_page: 10 }),
  );
  const pr = open.data.find((candidate) => candidate.head.ref === branch);
  return pr ? { number: pr.number, url: pr.html_url } : null;
}
