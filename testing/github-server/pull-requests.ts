// Pull requests of the local server: plain records in memory, rendered as GitHub's
// `pull-request` / `pull-request-simple` objects on the way out.
import {
  labelObject,
  nodeId,
  repositoryObject,
  type userObject,
  type RepositoryFacts,
  type Urls,
} from './github-objects.ts';

export interface PullRequestRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  head: string;
  base: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergeCommitSha: string | null;
  labels: { id: number; name: string }[];
  comments: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  /** Head and base commits at merge time, kept so the merged PR stays describable. */
  mergedHead: string | null;
  mergedBase: string | null;
}

export interface PullRequestContext {
  urls: Urls;
  repo: RepositoryFacts;
  /** The user every write is attributed to (the token's owner). */
  actor: ReturnType<typeof userObject>;
  headSha: string;
  baseSha: string;
}

export function pullRequestSimpleObject(pr: PullRequestRecord, ctx: PullRequestContext) {
  const full = `${ctx.repo.owner}/${ctx.repo.name}`;
  const r = `${ctx.urls.api}/repos/${full}`;
  const html = `${ctx.urls.web}/${full}/pull/${pr.number}`;
  const repository = repositoryObject(ctx.urls, ctx.repo);
  return {
    url: `${r}/pulls/${pr.number}`,
    id: pr.id,
    node_id: nodeId('PullRequest', pr.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${r}/issues/${pr.number}`,
    commits_url: `${r}/pulls/${pr.number}/commits`,
    review_comments_url: `${r}/pulls/${pr.number}/comments`,
    review_comment_url: `${r}/pulls/comments{/number}`,
    comments_url: `${r}/issues/${pr.number}/comments`,
    statuses_url: `${r}/statuses/${ctx.headSha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: ctx.actor,
    body: pr.body,
    labels: pr.labels.map((l) => labelObject(ctx.urls, full, l.name, l.id)),
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.mergedAt,
    merge_commit_sha: pr.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${ctx.repo.owner}:${pr.head}`,
      ref: pr.head,
      sha: ctx.headSha,
      user: repository.owner,
      repo: repository,
    },
    base: {
      label: `${ctx.repo.owner}:${pr.base}`,
      ref: pr.base,
      sha: ctx.baseSha,
      user: repository.owner,
      repo: repository,
    },
    _links: {
      self: { href: `${r}/pulls/${pr.number}` },
      html: { href: html },
      issue: { href: `${r}/issues/${pr.number}` },
      comments: { href: `${r}/issues/${pr.number}/comments` },
      review_comments: { href: `${r}/pulls/${pr.number}/comments` },
      review_comment: { href: `${r}/pulls/comments{/number}` },
      commits: { href: `${r}/pulls/${pr.number}/commits` },
      statuses: { href: `${r}/statuses/${ctx.headSha}` },
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: false,
  };
}

export function pullRequestObject(
  pr: PullRequestRecord,
  ctx: PullRequestContext,
  diff: { commits: number; changedFiles: number; additions: number; deletions: number },
) {
  return {
    ...pullRequestSimpleObject(pr, ctx),
    merged: pr.merged,
    mergeable: pr.state === 'open' ? true : null,
    rebaseable: false,
    mergeable_state: pr.state === 'open' ? 'clean' : 'unknown',
    merged_by: pr.merged ? ctx.actor : null,
    comments: pr.comments,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: diff.commits,
    additions: diff.additions,
    deletions: diff.deletions,
    changed_files: diff.changedFiles,
  };
}
