// Renders a stored PR with its live git facts (head and base shas, commits, diff).
import { diffStat } from './bare-repo.ts';
import {
  pullRequestObject,
  pullRequestSimpleObject,
  type PullRequestContext,
  type PullRequestRecord,
} from './pull-requests.ts';
import type { GitHubState } from './state.ts';

async function context(state: GitHubState, pr: PullRequestRecord): Promise<PullRequestContext> {
  const baseSha = (await state.git.resolveRef(`refs/heads/${pr.base}`)) ?? '';
  // A merged PR keeps pointing at the head it was merged with, even if the branch moves later.
  const headSha = pr.mergedHead ?? (await state.git.resolveRef(`refs/heads/${pr.head}`)) ?? '';
  return { urls: state.urls, repo: state.facts(), actor: state.actor, headSha, baseSha };
}

export async function renderPullRequest(state: GitHubState, pr: PullRequestRecord) {
  const ctx = await context(state, pr);
  const from = pr.mergedBase ?? (await state.git.mergeBase(ctx.baseSha, ctx.headSha)) ?? ctx.baseSha;
  const commits = ctx.headSha ? (await state.git.commitsBetween(from, ctx.headSha)).length : 0;
  const stat = ctx.headSha
    ? await diffStat(state.git, from, ctx.headSha)
    : { additions: 0, deletions: 0, changedFiles: 0 };
  return pullRequestObject(pr, ctx, { commits, ...stat });
}

export async function renderPullRequestSimple(state: GitHubState, pr: PullRequestRecord) {
  return pullRequestSimpleObject(pr, await context(state, pr));
}
