// Every error the API returns has the same JSON shape {code, message, issues?} and a stable code
// the backend can branch on. Anything unexpected is logged and answered as INTERNAL without detail.
import { InputError, TenantGitopsError, type FieldIssue } from '../../shared/errors.ts';
import type { Logger } from '../../shared/log.ts';

export const ERROR_CODES = [
  'UNAUTHORIZED',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'INVALID_JSON',
  'INVALID_INPUT',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'CONFLICT',
  'NOT_PROVISIONED',
  'INVALID_SIGNATURE',
  'CLUSTER_NOT_CONFIGURED',
  'UPSTREAM_ERROR',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
}

/** An error the HTTP layer raises itself (auth, size, parsing). */
export class HttpError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly issues: FieldIssue[] | undefined;
  constructor(status: number, code: ErrorCode, message: string, issues?: FieldIssue[]) {
    super(`tenant-gitops: ${message}`);
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

const STATUS_OF: Record<string, number> = {
  INVALID_INPUT: 422,
  CONFLICT: 409,
  NOT_PROVISIONED: 409,
  NOT_FOUND: 404,
  CLUSTER_NOT_CONFIGURED: 503,
};

export function toErrorResponse(error: unknown, log: Logger): { status: number; body: ErrorBody } {
  if (error instanceof HttpError) {
    return { status: error.status, body: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) } };
  }
  if (error instanceof InputError) {
    return { status: 422, body: { code: 'INVALID_INPUT', message: 'tenant-gitops: the request is invalid', issues: error.issues } };
  }
  if (error instanceof TenantGitopsError && STATUS_OF[error.code] !== undefined) {
    return { status: STATUS_OF[error.code] ?? 500, body: { code: error.code as ErrorCode, message: error.message } };
  }
  const upstream = (error as { status?: unknown } | null)?.status;
  if (typeof upstream === 'number') {
    log.error({ error }, 'upstream call failed');
    return { status: 502, body: { code: 'UPSTREAM_ERROR', message: `tenant-gitops: an upstream call failed with HTTP ${upstream}` } };
  }
  log.error({ error }, 'request failed');
  return { status: 500, body: { code: 'INTERNAL', message: 'tenant-gitops: internal error; see the service log' } };
}
