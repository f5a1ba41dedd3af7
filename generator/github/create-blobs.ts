// One blob per file, in path order so the sequence of calls is deterministic.
import type { GitHubClient } from './client.ts';
import { githubCall } from './errors.ts';

/** Returns repo-relative path → blob sha. */
export async function createBlobs(gh: GitHubClient, files: Map<string, string>): Promise<Map<string, string>> {
  const { octokit, owner, repo } = gh;
  const shas = new Map<string, string>();
  for (const path of [...files.keys()].sort()) {
    const content = files.get(path) ?? '';
    const blob = await githubCall(`creating the blob of ${path}`, () =>
      octokit.rest.git.createBlob({ owner, repo, content: Buffer.from(content, 'utf8').toString('base64'), encoding: 'base64' }),
    );
    shas.set(path, blob.data.sha);
  }
  return shas;
}
