// Where the default branch is now: its name, head commit and that commit's tree. Every tenant
// branch is built on this, so a branch is always one commit ahead of the current main.
// Only the ref is read every time: the branch's name is remembered (read again if the ref is gone,
// e.g. after a rename) and a commit's tree never changes, so each costs a call once per client.
import type { GitHubClient } from './client.ts';
import { githubCall, isStatus } from './errors.ts';

export interface DefaultBranchHead {
  branch: string;
  commitSha: string;
  treeSha: string;
}

/** The default branch's name (remembered; read again by getDefaultBranchHead when it is gone). */
export async function getDefaultBranchName(gh: GitHubClient): Promise<string> {
  return gh.memo.defaultBranch ?? readDefaultBranchName(gh);
}

export async function getDefaultBranchHead(gh: GitHubClient): Promise<DefaultBranchHead> {
  const { octokit, owner, repo, memo } = gh;
  const remembered = memo.defaultBranch;
  const branch = remembered ?? (await readDefaultBranchName(gh));
  let commitSha: string;
  try {
    commitSha = await readBranchHead(gh, branch);
  } catch (error) {
    if (remembered === undefined || !isStatus(error, 404)) throw error;
    memo.defaultBranch = undefined;
    return getDefaultBranchHead(gh);
  }
  let treeSha = memo.treeOfCommit.get(commitSha);
  if (treeSha === undefined) {
    const commit = await githubCall(`reading commit ${commitSha} of ${branch}`, () =>
      octokit.rest.git.getCommit({ owner, repo, commit_sha: commitSha }),
    );
    treeSha = commit.data.tree.sha;
    memo.rememberTree(commitSha, treeSha);
  }
  return { branch, commitSha, treeSha };
}

async function readDefaultBranchName(gh: GitHubClient): Promise<string> {
  const { octokit, owner, repo } = gh;
  const repository = await githubCall(`reading repository ${owner}/${repo}`, () =>
    octokit.rest.repos.get({ owner, repo }),
  );
  gh.memo.defaultBranch = repository.data.default_branch;
  return repository.data.default_branch;
}

async function readBranchHead(gh: GitHubClient, branch: string): Promise<string> {
  const { octokit, owner, repo } = gh;
  const ref = await githubCall(`reading branch ${branch}`, () =>
    octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` }),
  );
  return ref.data.object.sha;
}
