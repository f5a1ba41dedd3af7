// Git data API: refs, blobs, trees, commits, over the bare repository.
import type { CommitInfo, TreeChange, TreeEntry } from './bare-repo.ts';
import { nodeId } from './github-objects.ts';
import { checkFileSize } from './limits.ts';
import { str, type Route } from './routes.ts';
import { HttpFailure, now, type GitHubState } from './state.ts';

const SHA = /^[0-9a-f]{40}$/;

function refObject(state: GitHubState, fullRef: string, sha: string) {
  return {
    ref: fullRef,
    node_id: nodeId('Ref', fullRef),
    url: `${state.apiRepo}/git/${fullRef}`,
    object: { type: 'commit', sha, url: `${state.apiRepo}/git/commits/${sha}` },
  };
}

export function gitCommitObject(state: GitHubState, commit: CommitInfo) {
  return {
    sha: commit.sha,
    node_id: nodeId('Commit', commit.sha),
    url: `${state.apiRepo}/git/commits/${commit.sha}`,
    html_url: `${state.urls.web}/${state.fullName}/commit/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    tree: { sha: commit.tree, url: `${state.apiRepo}/git/trees/${commit.tree}` },
    message: commit.message.replace(/\n$/, ''),
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${state.apiRepo}/git/commits/${sha}`,
      html_url: `${state.urls.web}/${state.fullName}/commit/${sha}`,
    })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

function treeEntryObject(state: GitHubState, entry: TreeEntry) {
  const kind = entry.type === 'tree' ? 'trees' : 'blobs';
  return {
    path: entry.path,
    mode: entry.mode,
    type: entry.type,
    sha: entry.sha,
    ...(entry.size !== undefined ? { size: entry.size } : {}),
    url: `${state.apiRepo}/git/${kind}/${entry.sha}`,
  };
}

async function treeObject(state: GitHubState, sha: string, recursive: boolean) {
  const entries = await state.git.lsTree(sha, { recursive });
  return {
    sha,
    url: `${state.apiRepo}/git/trees/${sha}`,
    tree: entries.map((e) => treeEntryObject(state, e)),
    truncated: false,
  };
}

async function requireType(state: GitHubState, sha: string | undefined, type: string, what: string): Promise<string> {
  if (!sha || !SHA.test(sha) || (await state.git.objectType(sha)) !== type)
    throw new HttpFailure(422, `${what} ${sha ?? '(none)'} is not a ${type}`);
  return sha;
}

export const gitRoutes: Route[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/git/ref/{ref}',
    async handle({ params, state }) {
      const fullRef = `refs/${params.ref}`;
      const sha = await state.git.resolveRef(fullRef);
      if (!sha) throw new HttpFailure(404, 'Not Found');
      return { status: 200, body: refObject(state, fullRef, sha) };
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/git/refs',
    handle: ({ body, state }) =>
      state.locked(async () => {
        const ref = str(body, 'ref') ?? '';
        if (!/^refs\/[^/]+\/.+/.test(ref)) throw new HttpFailure(422, `${ref} is not a valid ref name.`);
        const sha = await requireType(state, str(body, 'sha'), 'commit', 'Object');
        if (await state.git.resolveRef(ref)) throw new HttpFailure(422, 'Reference already exists');
        await state.updateRef(ref, sha, null);
        return { status: 201, body: refObject(state, ref, sha), headers: { location: `${state.apiRepo}/git/${ref}` } };
      }),
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}/git/refs/{ref}',
    handle: ({ params, body, state }) =>
      state.locked(async () => {
        const ref = `refs/${params.ref}`;
        const current = await state.git.resolveRef(ref);
        if (!current) throw new HttpFailure(422, 'Reference does not exist');
        const sha = await requireType(state, str(body, 'sha'), 'commit', 'Object');
        if (body.force !== true && !(await state.git.isAncestor(current, sha)))
          throw new HttpFailure(422, 'Update is not a fast forward');
        await state.updateRef(ref, sha, current);
        return { status: 200, body: refObject(state, ref, sha) };
      }),
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/git/blobs',
    async handle({ body, state }) {
      const encoding = str(body, 'encoding') ?? 'utf-8';
      if (encoding !== 'utf-8' && encoding !== 'base64')
        throw new HttpFailure(422, `encoding ${encoding} is not utf-8 or base64`);
      const content = Buffer.from(str(body, 'content') ?? '', encoding === 'base64' ? 'base64' : 'utf8');
      checkFileSize(state.limits, content);
      const sha = await state.git.writeBlob(content);
      const url = `${state.apiRepo}/git/blobs/${sha}`;
      return { status: 201, body: { url, sha }, headers: { location: url } };
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/git/trees',
    async handle({ body, state }) {
      const base = str(body, 'base_tree');
      if (base !== undefined) await requireType(state, base, 'tree', 'base_tree');
      const changes: TreeChange[] = [];
      for (const raw of (body.tree as Record<string, unknown>[] | undefined) ?? []) {
        const path = str(raw, 'path') ?? '';
        const mode = str(raw, 'mode') ?? '100644';
        if (str(raw, 'type') !== 'blob')
          throw new HttpFailure(422, `tree entry ${path}: only blob entries are supported here`);
        if (raw.sha === null) {
          const [present] = base ? await state.git.lsTree(base, { path }) : [];
          if (present?.path !== path)
            throw new HttpFailure(422, `GitRPC::BadObjectState: ${path} does not exist in base_tree`);
          changes.push({ path, mode, sha: null });
        } else if (typeof raw.content === 'string') {
          const content = Buffer.from(raw.content, 'utf8');
          checkFileSize(state.limits, content);
          changes.push({ path, mode, sha: await state.git.writeBlob(content) });
        } else {
          changes.push({
            path,
            mode,
            sha: await requireType(state, str(raw, 'sha'), 'blob', `tree entry ${path}: sha`),
          });
        }
      }
      const sha = await state.git.buildTree(base ?? null, changes);
      return {
        status: 201,
        body: await treeObject(state, sha, false),
        headers: { location: `${state.apiRepo}/git/trees/${sha}` },
      };
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/git/trees/{tree_sha}',
    async handle({ params, query, state }) {
      const sha = params.tree_sha ?? '';
      if ((await state.git.objectType(sha)) !== 'tree') throw new HttpFailure(404, 'Not Found');
      const recursive = query.has('recursive') && !['0', 'false'].includes(query.get('recursive') ?? '');
      return { status: 200, body: await treeObject(state, sha, recursive) };
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/git/commits',
    async handle({ body, state }) {
      const tree = await requireType(state, str(body, 'tree'), 'tree', 'Tree SHA');
      const parents: string[] = [];
      for (const parent of (body.parents as string[] | undefined) ?? [])
        parents.push(await requireType(state, parent, 'commit', 'Parent SHA'));
      const date = now();
      const identity = (raw: unknown) => {
        const given = (raw ?? {}) as Record<string, unknown>;
        return {
          name: str(given, 'name') ?? 'tenant-gitops-bot',
          email: str(given, 'email') ?? 'tenant-gitops-bot@users.noreply.local',
          date: str(given, 'date') ?? date,
        };
      };
      const author = identity(body.author);
      const committer = body.committer ? identity(body.committer) : author;
      const sha = await state.git.commitTree({ tree, parents, message: str(body, 'message') ?? '', author, committer });
      return {
        status: 201,
        body: gitCommitObject(state, await state.git.readCommit(sha)),
        headers: { location: `${state.apiRepo}/git/commits/${sha}` },
      };
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/git/commits/{commit_sha}',
    async handle({ params, state }) {
      const sha = params.commit_sha ?? '';
      if (!SHA.test(sha) || (await state.git.objectType(sha)) !== 'commit') throw new HttpFailure(404, 'Not Found');
      return { status: 200, body: gitCommitObject(state, await state.git.readCommit(sha)) };
    },
  },
];
