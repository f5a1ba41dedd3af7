// GitHub's size limits on the endpoints this server implements (the figures are the service's
// GITHUB_LIMITS, one home). A value over a limit is refused with the 422 GitHub answers, errors
// included, so a client that sends too much fails here exactly as it would against GitHub.
import { GITHUB_LIMITS, type GitHubLimits } from '../../src/shared/github-limits.ts';
import { HttpFailure, type ValidationErrorItem } from './state.ts';

export type { GitHubLimits };
export { GITHUB_LIMITS };

/** Characters as GitHub counts them: Unicode code points, not UTF-16 units. */
export function characters(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** The title and body of a pull request being created or edited (GitHub stores them on its issue). */
export function checkPullRequestText(limits: GitHubLimits, body: Record<string, unknown>): void {
  const errors: ValidationErrorItem[] = [];
  for (const [field, max] of [
    ['title', limits.titleCharacters],
    ['body', limits.bodyCharacters],
  ] as const) {
    const value = body[field];
    if (typeof value === 'string' && characters(value) > max)
      errors.push({
        resource: 'Issue',
        code: 'custom',
        field,
        message: `${field} is too long (maximum is ${max} characters)`,
      });
  }
  if (errors.length > 0) throw validationFailed(errors);
}

/** An issue (or pull-request) comment. */
export function checkCommentBody(limits: GitHubLimits, text: string): void {
  if (characters(text) <= limits.bodyCharacters) return;
  throw validationFailed([
    {
      resource: 'IssueComment',
      code: 'unprocessable',
      field: 'data',
      message: `Body is too long (maximum is ${limits.bodyCharacters} characters)`,
    },
  ]);
}

/** A blob's decoded content, whether posted as a blob or inline in a tree entry. */
export function checkFileSize(limits: GitHubLimits, content: Buffer): void {
  if (content.length <= limits.fileBytes) return;
  throw new HttpFailure(
    422,
    'Sorry, your input was too large to process. Consider creating the blob in a local clone of the repository and then pushing it to GitHub.',
    {},
    [{ resource: 'Blob', field: 'data', code: 'too_large' }],
  );
}

function validationFailed(errors: ValidationErrorItem[]): HttpFailure {
  return new HttpFailure(422, 'Validation Failed', {}, errors);
}
