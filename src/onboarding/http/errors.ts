// Every error the API returns has the same JSON shape {code, message, issues?}, a stable code the
// backend can branch on, and the HTTP status the shared vocabulary (shared/errors.ts) gives that
// code. Anything unexpected is logged and answered as INTERNAL without detail.
import { ERROR_STATUS, InputError, TenantGitopsError, type ErrorCode, type FieldIssue } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
}

/** An error the HTTP layer raises itself (auth, size, parsing, routing). */
export class ApiError extends TenantGitopsError {
  readonly issues: FieldIssue[] | undefined;
  constructor(code: ErrorCode, message: string, issues?: FieldIssue[]) {
    super(code, message);
    this.issues = issues;
  }
}

export function toErrorResponse(error: unknown, log: Logger): { status: number; body: ErrorBody } {
  if (error instanceof InputError) {
    return {
      status: ERROR_STATUS.INVALID_INPUT,
      body: { code: 'INVALID_INPUT', message: 'tenant-gitops: the request is invalid', issues: error.issues },
    };
  }
  if (error instanceof TenantGitopsError) {
    const status = ERROR_STATUS[error.code];
    if (status >= 500) log.error({ error }, 'request failed');
    const issues = error instanceof ApiError && error.issues ? { issues: error.issues } : {};
    return { status, body: { code: error.code, message: error.message, ...issues } };
  }
  const upstream = (error as { status?: unknown } | null)?.status;
  if (typeof upstream === 'number') {
    log.error({ error }, 'upstream call failed');
    return {
      status: ERROR_STATUS.UPSTREAM_ERROR,
      body: { code: 'UPSTREAM_ERROR', message: `tenant-gitops: an upstream call failed with HTTP ${upstream}` },
    };
  }
  log.error({ error }, 'request failed');
  return {
    status: ERROR_STATUS.INTERNAL,
    body: { code: 'INTERNAL', message: 'tenant-gitops: internal error; see the service log' },
  };
}
