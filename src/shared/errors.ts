// A small error taxonomy shared by the CLI and the service. Messages start with the product's
// name so a log line says where it came from; `cause` keeps the underlying error.

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
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
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

export class NotFoundError extends TenantGitopsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NOT_FOUND', message, options);
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
