// The single commit of a tenant branch: the new tree, parent = the default branch's head.
import type { GitHubClient } from './client.ts';
import { githubCall } from './errors.ts';

export async function createCommit(
  gh: GitHubClient,
  input: { message: string; tree: string; parent: string },
): Promise<string> {
  const { octokit, owner, repo } = gh;
  const commit = await githubCall(`creating a commit on ${input.parent}`, () =>
    octokit.rest.git.createCommit({ owner, repo, message: input.message, tree: input.tree, parents: [input.parent] }),
  );
  return commit.data.sha;
}

/**
 * True when `sha` already is the commit we would make (same tree, sole parent = main's head):
 * a re-run then keeps the branch as it is instead of minting an equivalent commit.
 */
export async function isEquivalentCommit(
  gh: GitHubClient,
  sha: string,
  input: { tree: string; parent: string },
): Promise<boolean> {
  const { octokit, owner, repo } = gh;
  const commit = await githubCall(`reading commit ${sha}`, () =>
    octokit.rest.git.getCommit({ owner, repo, commit_sha: sha }),
  );
  const parents = commit.data.parents.map((p) => p.sha);
  return commit.data.tree.sha === input.tree && parents.length === 1 && parents[0] === input.parent;
}
