// Repository-level reads: the repository itself, file contents, and commit comparison.
import { posix } from 'node:path';
import type { TreeEntry } from './bare-repo.ts';
import { fullRepositoryObject, nodeId } from './github-objects.ts';
import { pageOf, type Route } from './routes.ts';
import { HttpFailure, type GitHubState } from './state.ts';

function contentItem(state: GitHubState, entry: TreeEntry, ref: string) {
  const type = entry.type === 'tree' ? 'dir' : entry.type === 'commit' ? 'submodule' : 'file';
  const self = `${state.apiRepo}/contents/${entry.path}?ref=${encodeURIComponent(ref)}`;
  const git = `${state.apiRepo}/git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`;
  const html = `${state.urls.web}/${state.fullName}/${type === 'dir' ? 'tree' : 'blob'}/${ref}/${entry.path}`;
  return {
    type,
    size: entry.size ?? 0,
    name: posix.basename(entry.path),
    path: entry.path,
    sha: entry.sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: type === 'file' ? `${state.urls.web}/${state.fullName}/raw/${ref}/${entry.path}` : null,
    _links: { self, git, html },
  };
}

async function commitObject(state: GitHubState, sha: string) {
  const commit = await state.git.readCommit(sha);
  const web = `${state.urls.web}/${state.fullName}/commit`;
  return {
    url: `${state.apiRepo}/commits/${sha}`,
    sha,
    node_id: nodeId('Commit', sha),
    html_url: `${web}/${sha}`,
    comments_url: `${state.apiRepo}/commits/${sha}/comments`,
    commit: {
      url: `${state.apiRepo}/git/commits/${sha}`,
      author: commit.author,
      committer: commit.committer,
      message: commit.message.replace(/\n$/, ''),
      comment_count: 0,
      tree: { sha: commit.tree, url: `${state.apiRepo}/git/trees/${commit.tree}` },
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    // Commits here are made by git identities, not GitHub accounts.
    author: null,
    committer: null,
    parents: commit.parents.map((p) => ({ sha: p, url: `${state.apiRepo}/commits/${p}`, html_url: `${web}/${p}` })),
  };
}

export const repoRoutes: Route[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}',
    async handle({ state }) {
      return { status: 200, body: fullRepositoryObject(state.urls, state.facts()) };
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/contents/{path}',
    async handle({ params, query, state }) {
      const ref = query.get('ref') ?? state.defaultBranch;
      const commit = await state.resolveCommitish(ref);
      const path = (params.path ?? '').replace(/\/+$/, '');
      const [entry] = await state.git.lsTree(commit, { path });
      if (!entry || entry.path !== path) throw new HttpFailure(404, 'Not Found');
      if (entry.type === 'tree') {
        const children = await state.git.lsTree(`${commit}:${path}`);
        return {
          status: 200,
          body: children.map((child) => contentItem(state, { ...child, path: `${path}/${child.path}` }, ref)),
        };
      }
      const content = await state.git.readBlob(entry.sha);
      // GitHub wraps base64 at 60 characters per line.
      const base64 = (content.toString('base64').match(/.{1,60}/g) ?? []).join('\n');
      return {
        status: 200,
        body: { ...contentItem(state, entry, ref), content: base64 ? `${base64}\n` : '', encoding: 'base64' },
      };
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/compare/{basehead}',
    async handle({ params, query, state }) {
      const [baseInput = '', headInput = ''] = (params.basehead ?? '').split('...');
      if (!baseInput || !headInput) throw new HttpFailure(404, 'Not Found');
      const base = await state.resolveCommitish(baseInput);
      const head = await state.resolveCommitish(headInput);
      const mergeBase = (await state.git.mergeBase(base, head)) ?? base;
      const ahead = await state.git.commitsBetween(base, head);
      const behind = await state.git.commitsBetween(head, base);
      const status =
        base === head ? 'identical' : behind.length === 0 ? 'ahead' : ahead.length === 0 ? 'behind' : 'diverged';
      const { shown, headers } = pageOf(ahead, query, `${state.apiRepo}/compare/${baseInput}...${headInput}`, {
        default: 250,
        max: 250,
      });
      const web = `${state.urls.web}/${state.fullName}/compare/${baseInput}...${headInput}`;
      return {
        status: 200,
        headers,
        body: {
          url: `${state.apiRepo}/compare/${baseInput}...${headInput}`,
          html_url: web,
          permalink_url: `${state.urls.web}/${state.fullName}/compare/${state.owner}:${base.slice(0, 7)}...${state.owner}:${head.slice(0, 7)}`,
          diff_url: `${web}.diff`,
          patch_url: `${web}.patch`,
          base_commit: await commitObject(state, base),
          merge_base_commit: await commitObject(state, mergeBase),
          status,
          ahead_by: ahead.length,
          behind_by: behind.length,
          total_commits: ahead.length,
          commits: await Promise.all(shown.map((sha) => commitObject(state, sha))),
        },
      };
    },
  },
];
