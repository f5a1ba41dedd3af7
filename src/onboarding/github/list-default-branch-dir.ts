// The file names of a folder as it is on the default branch, or [] when the folder is absent.
import type { GitHubClient } from './client.ts';
import { githubCall, isStatus } from './errors.ts';

export async function listDefaultBranchDir(gh: GitHubClient, path: string): Promise<string[]> {
  const { octokit, owner, repo } = gh;
  try {
    const content = await githubCall(`listing ${path}/ on the default branch`, () =>
      octokit.rest.repos.getContent({ owner, repo, path }),
    );
    const data = content.data;
    if (!Array.isArray(data)) throw new Error(`tenant-gitops: ${path} on the default branch is not a folder`);
    return data
      .filter((entry) => entry.type === 'file')
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if (isStatus(error, 404)) return [];
    throw error;
  }
}
