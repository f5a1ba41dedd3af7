// "Synced at the merge commit or a later one": ArgoCD's revision must be the merge commit or a
// descendant of it, which GitHub's compare API answers without a clone.
import type { GitHubClient } from './client.ts';
import { githubCall, isStatus } from './errors.ts';

export async function isSameOrDescendant(gh: GitHubClient, ancestorSha: string, sha: string): Promise<boolean> {
  if (ancestorSha === sha) return true;
  const { octokit, owner, repo } = gh;
  try {
    const comparison = await githubCall(`comparing ${ancestorSha} with ${sha}`, () =>
      octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${ancestorSha}...${sha}`, per_page: 1 }),
    );
    return comparison.data.status === 'identical' || comparison.data.status === 'ahead';
  } catch (error) {
    // A revision GitHub does not know cannot be after the merge commit.
    if (isStatus(error, 404)) return false;
    throw error;
  }
}
