// Merging and closing PRs in the bare repository: a merge commit (or a squash commit) on the
// default branch, moved with compare-and-swap so a concurrent push is never lost.
import type { PullRequestRecord } from './pull-requests.ts';
import { HttpFailure, now, type GitHubState } from './state.ts';

export type MergeMethod = 'merge' | 'squash';

export function mergePullRequest(
  state: GitHubState,
  number: number,
  options: { method?: MergeMethod; expectedHeadSha?: string; title?: string; message?: string } = {},
): Promise<{ sha: string; pr: PullRequestRecord }> {
  return state.locked(async () => {
    const pr = state.pull(number);
    if (pr.state !== 'open') throw new HttpFailure(405, 'Pull Request is not mergeable');
    const head = await state.branchSha(pr.head);
    if (options.expectedHeadSha && options.expectedHeadSha !== head)
      throw new HttpFailure(409, 'Head branch was modified. Review and try the merge again.');
    const base = await state.branchSha(pr.base);
    const tree = await state.git.mergeTree(base, head);
    if (!tree) throw new HttpFailure(405, 'Pull Request is not mergeable');
    const method = options.method ?? 'merge';
    const identity = { name: state.actor.login, email: `${state.actor.login}@users.noreply.local`, date: now() };
    const title =
      options.title ??
      (method === 'squash'
        ? `${pr.title} (#${pr.number})`
        : `Merge pull request #${pr.number} from ${state.owner}/${pr.head}`);
    const message =
      `${title}\n\n${options.message ?? (method === 'squash' ? (pr.body ?? '') : pr.title)}`.trimEnd() + '\n';
    const sha = await state.git.commitTree({
      tree,
      parents: method === 'squash' ? [base] : [base, head],
      message,
      author: identity,
      committer: identity,
    });
    await state.updateRef(`refs/heads/${pr.base}`, sha, base);
    const at = now();
    Object.assign(pr, {
      state: 'closed',
      merged: true,
      mergeCommitSha: sha,
      mergedAt: at,
      closedAt: at,
      updatedAt: at,
      mergedHead: head,
      mergedBase: base,
    });
    state.onPullRequestClosed(pr);
    return { sha, pr };
  });
}

export function closePullRequest(state: GitHubState, number: number): Promise<PullRequestRecord> {
  return state.locked(async () => {
    const pr = state.pull(number);
    if (pr.state === 'closed') return pr;
    const at = now();
    Object.assign(pr, { state: 'closed', closedAt: at, updatedAt: at });
    state.onPullRequestClosed(pr);
    return pr;
  });
}
