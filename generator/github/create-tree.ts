// A tree on top of the default branch's tree: new or changed files point at their blobs,
// removed files are entries with sha null (GitHub's way to delete under base_tree).
import type { GitHubClient } from './client.ts';
import { githubCall } from './errors.ts';

export async function createTree(
  gh: GitHubClient,
  input: { baseTree: string; blobs: Map<string, string>; deletions: string[] },
): Promise<string> {
  const { octokit, owner, repo } = gh;
  const tree = [
    ...[...input.blobs].map(([path, sha]) => ({ path, mode: '100644' as const, type: 'blob' as const, sha })),
    ...input.deletions.map((path) => ({ path, mode: '100644' as const, type: 'blob' as const, sha: null })),
  ];
  const created = await githubCall(`creating a tree on ${input.baseTree}`, () =>
    octokit.rest.git.createTree({ owner, repo, base_tree: input.baseTree, tree }),
  );
  return created.data.sha;
}
