// The JSON objects GitHub returns (users, repositories, labels, comments, pull requests), built
// with GitHub's own URL conventions so the payloads satisfy the published schemas field by field.
export interface Urls {
  /** REST API root, e.g. http://127.0.0.1:4567 */
  api: string;
  /** Web root for html_url fields. */
  web: string;
}

export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64url');
}

export function userObject(urls: Urls, login: string, id: number, type: 'User' | 'Organization' | 'Bot' = 'User') {
  const u = `${urls.api}/users/${login}`;
  return {
    login,
    id,
    node_id: nodeId('User', id),
    avatar_url: `${urls.web}/avatars/${login}`,
    gravatar_id: '',
    url: u,
    html_url: `${urls.web}/${login}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type,
    site_admin: false,
  };
}

export interface RepositoryFacts {
  id: number;
  owner: string;
  ownerId: number;
  name: string;
  defaultBranch: string;
  openIssues: number;
  createdAt: string;
  pushedAt: string;
}

/** The `repository` schema (PR head/base, webhooks); `full-repository` adds a few counters. */
export function repositoryObject(urls: Urls, repo: RepositoryFacts) {
  const full = `${repo.owner}/${repo.name}`;
  const r = `${urls.api}/repos/${full}`;
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: full,
    private: true,
    owner: userObject(urls, repo.owner, repo.ownerId, 'Organization'),
    html_url: `${urls.web}/${full}`,
    description: 'Platform repository: tenant specs, generated overlays, ArgoCD configuration',
    fork: false,
    url: r,
    archive_url: `${r}/{archive_format}{/ref}`,
    assignees_url: `${r}/assignees{/user}`,
    blobs_url: `${r}/git/blobs{/sha}`,
    branches_url: `${r}/branches{/branch}`,
    collaborators_url: `${r}/collaborators{/collaborator}`,
    comments_url: `${r}/comments{/number}`,
    commits_url: `${r}/commits{/sha}`,
    compare_url: `${r}/compare/{base}...{head}`,
    contents_url: `${r}/contents/{+path}`,
    contributors_url: `${r}/contributors`,
    deployments_url: `${r}/deployments`,
    downloads_url: `${r}/downloads`,
    events_url: `${r}/events`,
    forks_url: `${r}/forks`,
    git_commits_url: `${r}/git/commits{/sha}`,
    git_refs_url: `${r}/git/refs{/sha}`,
    git_tags_url: `${r}/git/tags{/sha}`,
    git_url: `git://${new URL(urls.web).host}/${full}.git`,
    issue_comment_url: `${r}/issues/comments{/number}`,
    issue_events_url: `${r}/issues/events{/number}`,
    issues_url: `${r}/issues{/number}`,
    keys_url: `${r}/keys{/key_id}`,
    labels_url: `${r}/labels{/name}`,
    languages_url: `${r}/languages`,
    merges_url: `${r}/merges`,
    milestones_url: `${r}/milestones{/number}`,
    notifications_url: `${r}/notifications{?since,all,participating}`,
    pulls_url: `${r}/pulls{/number}`,
    releases_url: `${r}/releases{/id}`,
    ssh_url: `git@${new URL(urls.web).hostname}:${full}.git`,
    stargazers_url: `${r}/stargazers`,
    statuses_url: `${r}/statuses/{sha}`,
    subscribers_url: `${r}/subscribers`,
    subscription_url: `${r}/subscription`,
    tags_url: `${r}/tags`,
    teams_url: `${r}/teams`,
    trees_url: `${r}/git/trees{/sha}`,
    clone_url: `${urls.web}/${full}.git`,
    mirror_url: null,
    hooks_url: `${r}/hooks`,
    svn_url: `${urls.web}/${full}`,
    homepage: null,
    language: 'TypeScript',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues_count: repo.openIssues,
    open_issues: repo.openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'private',
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.pushedAt,
    allow_forking: false,
    web_commit_signoff_required: false,
    license: null,
  };
}

export function fullRepositoryObject(urls: Urls, repo: RepositoryFacts) {
  return {
    ...repositoryObject(urls, repo),
    network_count: 0,
    subscribers_count: 0,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: false,
    delete_branch_on_merge: false,
  };
}

export function labelObject(urls: Urls, repoFull: string, name: string, id: number) {
  return {
    id,
    node_id: nodeId('Label', id),
    url: `${urls.api}/repos/${repoFull}/labels/${encodeURIComponent(name)}`,
    name,
    // pull-request-simple types a label's description as a plain string.
    description: '',
    color: 'ededed',
    default: false,
  };
}

export function commentObject(
  urls: Urls,
  input: {
    repoFull: string;
    issue: number;
    id: number;
    body: string;
    user: ReturnType<typeof userObject>;
    createdAt: string;
  },
) {
  const r = `${urls.api}/repos/${input.repoFull}`;
  return {
    id: input.id,
    node_id: nodeId('IssueComment', input.id),
    url: `${r}/issues/comments/${input.id}`,
    html_url: `${urls.web}/${input.repoFull}/pull/${input.issue}#issuecomment-${input.id}`,
    body: input.body,
    user: input.user,
    created_at: input.createdAt,
    updated_at: input.createdAt,
    issue_url: `${r}/issues/${input.issue}`,
    author_association: 'MEMBER',
  };
}
