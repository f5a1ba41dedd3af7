// The files (blobs) of a tree, recursively, optionally only those under a folder.
import type { GitHubClient } from './client.ts';
import { githubCall } from './errors.ts';

export async function listTree(gh: GitHubClient, treeSha: string, dir = ''): Promise<string[]> {
  const { octokit, owner, repo } = gh;
  const tree = await githubCall(`listing tree ${treeSha}`, () =>
    octokit.rest.git.getTree({ owner, repo, tree_sha: treeSha, recursive: 'true' }),
  );
  if (tree.data.truncated) {
    throw new Error(
      `tenant-gitops: GitHub truncated the listing of tree ${treeSha}; the repository is too large to list in one call`,
    );
  }
  const prefix = dir === '' || dir.endsWith('/') ? dir : `${dir}/`;
  return tree.data.tree
    .filter((entry) => entry.type === 'blob' && entry.path !== undefined && entry.path.startsWith(prefix))
    .map((entry) => entry.path as string)
    .sort();
}

/**
 * The files a change removes: each plain path that exists, and everything under each path ending
 * in '/'. Files the change also writes are kept. GitHub refuses to delete a path that is absent,
 * so only present files are named.
 */
export function filesToDelete(present: string[], deletePaths: string[], written: Set<string>): string[] {
  const existing = new Set(present);
  const out = new Set<string>();
  for (const target of deletePaths) {
    if (target.endsWith('/')) for (const path of present) if (path.startsWith(target)) out.add(path);
    if (!target.endsWith('/') && existing.has(target)) out.add(target);
  }
  return [...out].filter((path) => !written.has(path)).sort();
}
