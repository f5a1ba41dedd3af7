// Points branch tenants/<name> at a commit: created when absent, force-moved when present (the
// branch is rebuilt on the current main, so its old commit is not an ancestor).
import type { GitHubClient } from './client.ts';
import { githubCall, isStatus } from './errors.ts';

/** The sha a branch points at, or null when it does not exist. */
export async function getBranchSha(gh: GitHubClient, branch: string): Promise<string | null> {
  const { octokit, owner, repo } = gh;
  try {
    const ref = await githubCall(`reading branch ${branch}`, () =>
      octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` }),
    );
    return ref.data.object.sha;
  } catch (error) {
    if (isStatus(error, 404)) return null;
    throw error;
  }
}

/** Creates the branch at `sha`; false when it exists already (GitHub: 422), leaving it as it is. */
export async function createBranch(gh: GitHubClient, branch: string, sha: string): Promise<boolean> {
  const { octokit, owner, repo } = gh;
  try {
    await githubCall(`creating branch ${branch}`, () =>
      octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha }),
    );
    return true;
  } catch (error) {
    if (isStatus(error, 422)) return false;
    throw error;
  }
}

export async function updateRef(
  gh: GitHubClient,
  input: { branch: string; sha: string; exists: boolean },
): Promise<void> {
  const { octokit, owner, repo } = gh;
  const forceUpdate = () =>
    githubCall(`moving branch ${input.branch} to ${input.sha}`, () =>
      octokit.rest.git.updateRef({ owner, repo, ref: `heads/${input.branch}`, sha: input.sha, force: true }),
    );
  if (input.exists) {
    await forceUpdate();
    return;
  }
  try {
    await githubCall(`creating branch ${input.branch}`, () =>
      octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${input.branch}`, sha: input.sha }),
    );
  } catch (error) {
    // Someone created it between our read and this write: move it instead.
    if (!isStatus(error, 422)) throw error;
    await forceUpdate();
  }
}
