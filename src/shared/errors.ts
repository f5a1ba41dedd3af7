// The product's one error vocabulary, shared by the CLI, the service and the API: every code, and
// the HTTP status the API answers it with. Messages start with the product's name so a log line
// says where it came from; `cause` keeps the underlying error.

/** Every error code the product reports (API bodies, `--json` output, logs) → its HTTP status. */
export const ERROR_STATUS = {
  /** Bad input from a person or the backend; nothing was written. */
  INVALID_INPUT: 422,
  INVALID_JSON: 400,
  /** A path that cannot be decoded (malformed percent-encoding). */
  INVALID_PATH: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHORIZED: 401,
  INVALID_SIGNATURE: 401,
  /** The token is valid but its scopes do not allow this request. */
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  NOT_PROVISIONED: 409,
  /** One API token over its concurrency or rate limit; Retry-After says when to try again. */
  TOO_MANY_REQUESTS: 429,
  CLUSTER_NOT_CONFIGURED: 503,
  /** Another replica of the service is working on this tenant; Retry-After says when to try again. */
  TENANT_BUSY: 503,
  /** GitHub answered an error (or nothing) to a call the service made. */
  GITHUB_REQUEST_FAILED: 502,
  /** The cluster did not finish (a deletion, a wait) in time. */
  CLUSTER_TIMEOUT: 504,
  /** Another upstream call failed with an HTTP status. */
  UPSTREAM_ERROR: 502,
  INTERNAL: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export interface FieldIssue {
  /** File the problem is in, relative to the platform root, when there is one. */
  file?: string;
  /** Dotted field path inside the document, e.g. `spec.quota.requests.cpu`. */
  path: string;
  message: string;
  /** What to do about it. */
  fix?: string;
}

export class TenantGitopsError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(`tenant-gitops: ${message}`, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bad input from a person or the backend: nothing was written. Exit code 2 / HTTP 422. */
export class InputError extends TenantGitopsError {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[], options?: { cause?: unknown }) {
    super('INVALID_INPUT', formatIssues(issues), options);
    this.issues = issues;
  }
}

export class ConflictError extends TenantGitopsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFLICT', message, options);
  }
}

/** The caller is known but may not do this (its scopes, or the rule that another must approve). */
export class ForbiddenError extends TenantGitopsError {
  constructor(message: string, options?: ErrorOptions) {
    super('FORBIDDEN', message, options);
  }
}

export class NotFoundError extends TenantGitopsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NOT_FOUND', message, options);
  }
}

/** A tenant token is asked for before the tenant is provisioned. */
export class NotProvisionedError extends TenantGitopsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NOT_PROVISIONED', message, options);
  }
}

/** Another replica held the tenant for longer than a request waits (several replicas only). */
export class TenantBusyError extends TenantGitopsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TENANT_BUSY', message, options);
  }
}

/** Something needs the cluster and the service runs without one. */
export class ClusterNotConfiguredError extends TenantGitopsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CLUSTER_NOT_CONFIGURED', message, options);
  }
}

export function formatIssues(issues: FieldIssue[]): string {
  return issues
    .map((i) => {
      const where = [i.file, i.path].filter(Boolean).join(': ');
      return `${where}: ${i.message}${i.fix ? ` (fix: ${i.fix})` : ''}`;
    })
    .join('\n');
}
