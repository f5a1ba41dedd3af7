// Where the default branch is now: its name, head commit and that commit's tree. Every tenant
// branch is built on this, so a branch is always one commit ahead of the current main.
import type { GitHubClient } from './client.ts';
import { githubCall } from './errors.ts';

export interface DefaultBranchHead {
  branch: string;
  commitSha: string;
  treeSha: string;
}

export async function getDefaultBranchHead(gh: GitHubClient): Promise<DefaultBranchHead> {
  const { octokit, owner, repo } = gh;
  const repository = await githubCall(`reading repository ${owner}/${repo}`, () => octokit.rest.repos.get({ owner, repo }));
  const branch = repository.data.default_branch;
  const ref = await githubCall(`reading branch ${branch}`, () => octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` }));
  const commitSha = ref.data.object.sha;
  const commit = await githubCall(`reading commit ${commitSha} of ${branch}`, () =>
    octokit.rest.git.getCommit({ owner, repo, commit_sha: commitSha }),
  );
  return { branch, commitSha, treeSha: commit.data.tree.sha };
}
