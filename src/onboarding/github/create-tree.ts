// A tree on top of the default branch's tree in ONE call: new or changed files carry their content
// inline (GitHub writes the blobs itself, so no call per file), removed files are entries with
// sha null (GitHub's way to delete under base_tree). Entries go in path order for a stable request.
import type { GitHubClient } from './client.ts';
import { githubCall } from './errors.ts';

export async function createTree(
  gh: GitHubClient,
  input: { baseTree: string; files: Map<string, string>; deletions: string[] },
): Promise<string> {
  const { octokit, owner, repo } = gh;
  const tree = [
    ...[...input.files.keys()]
      .sort()
      .map((path) => ({ path, mode: '100644' as const, type: 'blob' as const, content: input.files.get(path) ?? '' })),
    ...input.deletions.map((path) => ({ path, mode: '100644' as const, type: 'blob' as const, sha: null })),
  ];
  const created = await githubCall(`creating a tree on ${input.baseTree}`, () =>
    octokit.rest.git.createTree({ owner, repo, base_tree: input.baseTree, tree }),
  );
  return created.data.sha;
}
