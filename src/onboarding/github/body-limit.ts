// A tenant PR's review text can outgrow what GitHub takes as a PR body (GITHUB_LIMITS). The PR then
// shows the text up to a line boundary plus a notice saying so, and the whole text is the message of
// the branch's commit, which GitHub does not limit. The warnings come first in the text, so a cut
// never hides them. Sizes are counted in UTF-8 bytes: never fewer than the characters GitHub
// counts, so a body that fits here fits there however GitHub counts.
import { tenantSpecPath } from '../../tenant/names.ts';
import { GITHUB_LIMITS } from '../../shared/github-limits.ts';
import { code } from '../../shared/markdown.ts';

/**
 * A commit message is bounded by nothing but sense; this bound is ours, far above the review text of
 * any spec the generator accepts, so only a runaway text is cut (the spec file is in the commit).
 */
export const COMMIT_MESSAGE_MAX_BYTES = 4 * 1024 * 1024;

export interface FitOptions {
  /** The tenant, whose branch and spec file the notice points at. */
  tenant: string;
  branch: string;
  /** @default GITHUB_LIMITS.bodyCharacters */
  limit?: number;
}

/** The PR body: the review text, or as much of it as fits followed by the truncation notice. */
export function fitPullRequestBody(review: string, options: FitOptions): string {
  const notice =
    '> [!CAUTION]\n' +
    "> **…truncated:** the review is longer than GitHub allows in a pull request's description. " +
    `The full review is the commit message of the head commit of branch ${code(options.branch)}, and the spec ` +
    `itself is ${code(tenantSpecPath(options.tenant))} in this PR's files.\n`;
  return fit(review, options.limit ?? GITHUB_LIMITS.bodyCharacters, notice);
}

/** The branch commit's message: the PR title, then the whole review text. */
export function tenantCommitMessage(title: string, review: string, tenant: string): string {
  const notice = `(…truncated: the spec itself is ${tenantSpecPath(tenant)} in this commit.)\n`;
  return fit(`${title}\n\n${review}`, COMMIT_MESSAGE_MAX_BYTES, notice);
}

/**
 * `text` when it fits in `limit` bytes; otherwise its longest run of whole lines that fits with
 * `notice` after it (a limit smaller than the notice keeps no line at all).
 */
export function fit(text: string, limit: number, notice: string): string {
  if (Buffer.byteLength(text, 'utf8') <= limit) return text;
  // A blank line before the notice closes whatever block the cut falls in (table, list, quote).
  const tail = `\n\n${notice}`;
  let budget = limit - Buffer.byteLength(tail, 'utf8');
  let end = 0;
  for (let from = 0; from < text.length;) {
    const newline = text.indexOf('\n', from);
    const next = newline === -1 ? text.length : newline + 1;
    const size = Buffer.byteLength(text.slice(from, next), 'utf8');
    if (size > budget) break;
    budget -= size;
    end = next;
    from = next;
  }
  return `${text.slice(0, end).trimEnd()}${tail}`;
}
