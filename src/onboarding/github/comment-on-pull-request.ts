import type { GitHubClient } from './client.ts';
import { githubCall } from './errors.ts';

export async function commentOnPullRequest(
  gh: GitHubClient,
  number: number,
  body: string,
): Promise<{ id: number; url: string }> {
  const { octokit, owner, repo } = gh;
  const comment = await githubCall(`commenting on PR #${number}`, () =>
    octokit.rest.issues.createComment({ owner, repo, issue_number: number, body }),
  );
  return { id: comment.data.id, url: comment.data.html_url };
}
