// Octokit's RequestError carries status, request and response; we keep it as `cause` and say in
// our own words what was being done, so a log line names the step that failed.
import { TenantGitopsError } from '../../shared/errors.ts';

export class GitHubRequestError extends TenantGitopsError {
  /** HTTP status GitHub answered with; 0 when the request never got an answer. */
  readonly status: number;
  constructor(doing: string, cause: unknown) {
    const status = statusOf(cause);
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('GITHUB_REQUEST_FAILED', `GitHub answered ${status || 'nothing'} while ${doing}: ${detail}`, { cause });
    this.status = status;
  }
}

/** Runs one GitHub call and wraps any failure with what was being done. */
export async function githubCall<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new GitHubRequestError(doing, error);
  }
}

export function isStatus(error: unknown, status: number): boolean {
  if (error instanceof GitHubRequestError) return error.status === status;
  return statusOf(error) === status;
}

// Octokit's RequestError (name `HttpError`) is recognised by shape: it lives in a transitive
// package we do not depend on directly.
function statusOf(error: unknown): number {
  if (error instanceof Error && error.name === 'HttpError' && 'status' in error && typeof error.status === 'number')
    return error.status;
  return 0;
}
