// Pulls and the issue endpoints a PR uses (labels, comments).
import { commentObject, labelObject } from './github-objects.ts';
import { checkCommentBody, checkPullRequestText } from './limits.ts';
import { closePullRequest, mergePullRequest, type MergeMethod } from './merge-pull-request.ts';
import { renderPullRequest, renderPullRequestSimple } from './pull-request-view.ts';
import type { PullRequestRecord } from './pull-requests.ts';
import { pageOf, str, type Route } from './routes.ts';
import { HttpFailure, now } from './state.ts';

function number(value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new HttpFailure(404, 'Not Found');
  return n;
}

export const pullRoutes: Route[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/pulls',
    async handle({ query, state }) {
      const wanted = query.get('state') ?? 'open';
      const head = query.get('head');
      const base = query.get('base');
      const matches = [...state.pulls.values()]
        .filter((pr) => wanted === 'all' || pr.state === wanted)
        .filter((pr) => !head || head === `${state.owner}:${pr.head}` || (!head.includes(':') && head === pr.head))
        .filter((pr) => !base || base === pr.base)
        .sort((a, b) => b.number - a.number);
      const { shown, headers } = pageOf(matches, query, `${state.apiRepo}/pulls`, { default: 30, max: 100 });
      return { status: 200, headers, body: await Promise.all(shown.map((pr) => renderPullRequestSimple(state, pr))) };
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/pulls',
    async handle({ body, state }) {
      checkPullRequestText(state.limits, body);
      // Only the checks and the new record need the lock; rendering reads git and runs outside it.
      const pr = await state.locked(async () => {
        const headInput = str(body, 'head') ?? '';
        const head = headInput.startsWith(`${state.owner}:`) ? headInput.slice(state.owner.length + 1) : headInput;
        const base = str(body, 'base') ?? '';
        const headSha = await state.git.resolveRef(`refs/heads/${head}`);
        const baseSha = await state.git.resolveRef(`refs/heads/${base}`);
        if (!headSha || !baseSha) throw new HttpFailure(422, 'Validation Failed: head or base branch does not exist');
        if ((await state.git.commitsBetween(baseSha, headSha)).length === 0)
          throw new HttpFailure(422, `No commits between ${base} and ${head}`);
        const duplicate = [...state.pulls.values()].find(
          (pr) => pr.state === 'open' && pr.head === head && pr.base === base,
        );
        if (duplicate) throw new HttpFailure(422, `A pull request already exists for ${state.owner}:${head}.`);
        const at = now();
        const pr: PullRequestRecord = {
          number: state.nextNumber(),
          id: state.nextId(),
          title: str(body, 'title') ?? '',
          body: str(body, 'body') ?? null,
          head,
          base,
          state: 'open',
          merged: false,
          mergeCommitSha: null,
          labels: [],
          comments: 0,
          createdAt: at,
          updatedAt: at,
          closedAt: null,
          mergedAt: null,
          mergedHead: null,
          mergedBase: null,
        };
        state.pulls.set(pr.number, pr);
        return pr;
      });
      return {
        status: 201,
        body: await renderPullRequest(state, pr),
        headers: { location: `${state.apiRepo}/pulls/${pr.number}` },
      };
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/pulls/{pull_number}',
    async handle({ params, state }) {
      return { status: 200, body: await renderPullRequest(state, state.pull(number(params.pull_number))) };
    },
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}/pulls/{pull_number}',
    async handle({ params, body, state }) {
      const n = number(params.pull_number);
      checkPullRequestText(state.limits, body);
      if (body.state === 'closed') await closePullRequest(state, n);
      await state.locked(async () => {
        const pr = state.pull(n);
        if (typeof body.title === 'string') pr.title = body.title;
        if (typeof body.body === 'string') pr.body = body.body;
        pr.updatedAt = now();
      });
      return { status: 200, body: await renderPullRequest(state, state.pull(n)) };
    },
  },
  {
    method: 'PUT',
    template: '/repos/{owner}/{repo}/pulls/{pull_number}/merge',
    async handle({ params, body, state }) {
      const method = (str(body, 'merge_method') ?? 'merge') as MergeMethod | 'rebase';
      if (method === 'rebase') throw new HttpFailure(405, 'Rebase merges are not allowed on this repository.');
      const merged = await mergePullRequest(state, number(params.pull_number), {
        method,
        expectedHeadSha: str(body, 'sha'),
        title: str(body, 'commit_title'),
        message: str(body, 'commit_message'),
      });
      return { status: 200, body: { sha: merged.sha, merged: true, message: 'Pull Request successfully merged' } };
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    handle: ({ params, body, state }) =>
      state.locked(async () => {
        const pr = state.pull(number(params.issue_number));
        for (const name of (body.labels as string[] | undefined) ?? []) {
          if (!pr.labels.some((l) => l.name === name)) pr.labels.push({ name, id: state.labelId(name) });
        }
        pr.updatedAt = now();
        return { status: 200, body: pr.labels.map((l) => labelObject(state.urls, state.fullName, l.name, l.id)) };
      }),
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    handle: ({ params, body, state }) =>
      state.locked(async () => {
        const pr = state.pull(number(params.issue_number));
        checkCommentBody(state.limits, str(body, 'body') ?? '');
        pr.comments += 1;
        const comment = commentObject(state.urls, {
          repoFull: state.fullName,
          issue: pr.number,
          id: state.nextId(),
          body: str(body, 'body') ?? '',
          user: state.actor,
          createdAt: now(),
        });
        return { status: 201, body: comment, headers: { location: comment.url } };
      }),
  },
];
