// A file as it is on the default branch (the "before" of a PR body), or null when absent.
import type { GitHubClient } from './client.ts';
import { githubCall, isStatus } from './errors.ts';

export async function readDefaultBranchFile(gh: GitHubClient, path: string): Promise<string | null> {
  const { octokit, owner, repo } = gh;
  try {
    const content = await githubCall(`reading ${path} on the default branch`, () =>
      octokit.rest.repos.getContent({ owner, repo, path }),
    );
    const data = content.data;
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) {
      throw new Error(`tenant-gitops: ${path} on the default branch is not a file; expected the tenant's YAML`);
    }
    return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
  } catch (error) {
    if (isStatus(error, 404)) return null;
    throw error;
  }
}
