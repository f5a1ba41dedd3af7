// Everything the local server knows besides git: repository facts, pull requests, labels,
// counters, and a lock that serialises writes to refs and pull requests.
import { BareRepo } from './bare-repo.ts';
import { userObject, type RepositoryFacts, type Urls } from './github-objects.ts';
import type { GitHubLimits } from '../../src/shared/github-limits.ts';
import type { PullRequestRecord } from './pull-requests.ts';

/** One entry of a 422's `errors` (GitHub's `validation-error` schema). */
export interface ValidationErrorItem {
  resource?: string;
  field?: string;
  code: string;
  message?: string;
}

export class HttpFailure extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly errors: ValidationErrorItem[] | undefined;
  constructor(status: number, message: string, headers: Record<string, string> = {}, errors?: ValidationErrorItem[]) {
    super(message);
    this.status = status;
    this.headers = headers;
    this.errors = errors;
  }
}

export function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class GitHubState {
  readonly git: BareRepo;
  readonly urls: Urls;
  readonly owner: string;
  readonly name: string;
  readonly pulls = new Map<number, PullRequestRecord>();
  readonly labels = new Map<string, number>();
  readonly actor: ReturnType<typeof userObject>;
  readonly limits: GitHubLimits;
  readonly createdAt = now();
  /** The last time a ref moved: what GitHub reports as the repository's pushed_at. */
  pushedAt = this.createdAt;
  defaultBranch = 'main';
  /** Told about every PR that closes (merged or not): the webhook sender listens here. */
  onPullRequestClosed: (pr: PullRequestRecord) => void = () => {};
  #nextNumber = 1;
  #nextId = 1000;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(options: {
    repoDir: string;
    owner: string;
    repo: string;
    urls: Urls;
    limits: GitHubLimits;
    actor?: string;
  }) {
    this.git = new BareRepo(options.repoDir);
    this.limits = options.limits;
    this.urls = options.urls;
    this.owner = options.owner;
    this.name = options.repo;
    this.actor = userObject(options.urls, options.actor ?? 'tenant-gitops-bot', 7, 'User');
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  get apiRepo(): string {
    return `${this.urls.api}/repos/${this.fullName}`;
  }

  nextNumber(): number {
    return this.#nextNumber++;
  }

  nextId(): number {
    return this.#nextId++;
  }

  labelId(name: string): number {
    let id = this.labels.get(name);
    if (id === undefined) {
      id = this.nextId();
      this.labels.set(name, id);
    }
    return id;
  }

  facts(): RepositoryFacts {
    const open = [...this.pulls.values()].filter((p) => p.state === 'open').length;
    return {
      id: 1,
      owner: this.owner,
      ownerId: 1,
      name: this.name,
      defaultBranch: this.defaultBranch,
      openIssues: open,
      createdAt: this.createdAt,
      pushedAt: this.pushedAt,
    };
  }

  /** Moves a ref (a push, as GitHub sees it), then records when. */
  async updateRef(ref: string, sha: string, expected: string | null): Promise<void> {
    await this.git.updateRef(ref, sha, expected);
    this.pushedAt = now();
  }

  /** Runs `work` after every earlier locked write finished: refs and PRs change one at a time. */
  locked<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(work, work);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async branchSha(branch: string): Promise<string> {
    const sha = await this.git.resolveRef(`refs/heads/${branch}`);
    if (!sha) throw new HttpFailure(404, `Branch not found: ${branch}`);
    return sha;
  }

  /** A 40-hex sha or a branch name, as GitHub accepts in compare and contents. */
  async resolveCommitish(value: string): Promise<string> {
    if (/^[0-9a-f]{40}$/.test(value) && (await this.git.objectType(value)) === 'commit') return value;
    const sha = await this.git.resolveRef(`refs/heads/${value}`);
    if (!sha) throw new HttpFailure(404, `No commit found for ${value}`);
    return sha;
  }

  pull(number: number): PullRequestRecord {
    const pr = this.pulls.get(number);
    if (!pr) throw new HttpFailure(404, 'Not Found');
    return pr;
  }
}
