// One tenant change = branch tenants/<name> holding ONE commit on top of the current default
// branch, and one open PR for it. Every step can be re-run: the branch is rebuilt on main's current
// head, an identical commit is reused, and an open PR is found before one is created. A crash
// between the commit and the PR therefore ends, on the next run, with the same single PR.
import { tenantBranch } from '../../tenant/names.ts';
import { fitPullRequestBody, tenantCommitMessage } from './body-limit.ts';
import type { GitHubClient } from './client.ts';
import { createCommit, isEquivalentCommit } from './create-commit.ts';
import { createTree } from './create-tree.ts';
import { getDefaultBranchHead } from './default-branch.ts';
import { isStatus } from './errors.ts';
import { findOpenPullRequest } from './find-pull-request.ts';
import { filesToDelete, listTree } from './list-tree.ts';
import { createBranch, getBranchSha, updateRef } from './update-ref.ts';
import { createPullRequest, updatePullRequest } from './upsert-pull-request.ts';

export interface TenantChange {
  /** The tenant's name, or anything carrying it (a ResolvedTenant). */
  tenant: string | { name: string };
  action: 'create' | 'update' | 'offboard';
  /** Repo-relative path → content to set. */
  files: Map<string, string>;
  /** Repo-relative files to remove; a path ending in '/' removes everything under it. */
  deletePaths: string[];
  title: string;
  /** The whole review text: the PR shows what fits GitHub's limit, the commit message all of it. */
  body: string;
  labels: string[];
}

export interface OpenedPullRequest {
  number: number;
  url: string;
  headSha: string;
  created: boolean;
}

export async function openTenantPullRequest(gh: GitHubClient, change: TenantChange): Promise<OpenedPullRequest> {
  const tenant = typeof change.tenant === 'string' ? change.tenant : change.tenant.name;
  const branch = tenantBranch(tenant);
  const log = gh.log.child({ tenant, branch, action: change.action });

  const main = await getDefaultBranchHead(gh);
  const deletions =
    change.deletePaths.length === 0
      ? []
      : filesToDelete(await listTree(gh, main.treeSha), change.deletePaths, new Set(change.files.keys()));
  const tree = await createTree(gh, { baseTree: main.treeSha, files: change.files, deletions });

  // The commit comes first and the branch is created with it: for a new tenant (the usual case)
  // that is all, with no lookup. When the branch exists (a re-run, a change while the PR is open),
  // its head is kept if it already is this change on the current main (the fresh commit then stays
  // unreferenced), otherwise the branch is moved to the fresh commit.
  const message = tenantCommitMessage(change.title, change.body, tenant);
  const commit = await createCommit(gh, { message, tree, parent: main.commitSha });
  const existed = !(await createBranch(gh, branch, commit));
  let headSha = commit;
  if (!existed) {
    log.info({ headSha, base: main.commitSha, rebuilt: false }, 'branch committed');
  } else {
    const current = await getBranchSha(gh, branch);
    if (current !== null && (await isEquivalentCommit(gh, current, { tree, parent: main.commitSha }))) {
      headSha = current;
      log.debug({ headSha }, 'branch already holds this change on the current main');
    } else {
      await updateRef(gh, { branch, sha: commit, exists: current !== null });
      log.info({ headSha, base: main.commitSha, rebuilt: true }, 'branch committed');
    }
  }

  const body = fitPullRequestBody(change.body, { tenant, branch });
  const text = { title: change.title, body, labels: change.labels };
  // A branch that did not exist has no open PR (GitHub closes the PR of a deleted head branch), so
  // the lookup is spared; a concurrent run that opened one meanwhile is caught by the 422 below.
  const open = existed ? await findOpenPullRequest(gh, branch, main.branch) : null;
  if (open) {
    await updatePullRequest(gh, open.number, text);
    log.info({ pr: open.number }, 'reused the open PR');
    return { ...open, headSha, created: false };
  }
  try {
    const created = await createPullRequest(gh, { ...text, branch, base: main.branch });
    log.info({ pr: created.number }, 'opened PR');
    return { ...created, headSha, created: true };
  } catch (error) {
    // A concurrent run opened it between our lookup and our create (GitHub: 422 "already exists").
    const raced = isStatus(error, 422) ? await findOpenPullRequest(gh, branch, main.branch) : null;
    if (!raced) throw error;
    await updatePullRequest(gh, raced.number, text);
    log.info({ pr: raced.number }, 'reused the PR a concurrent run opened');
    return { ...raced, headSha, created: false };
  }
}
